from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from corpnet.testing import make_client

pytestmark = pytest.mark.django_db


def rows(clients) -> str:
    return Template("{% load client_tags %}{% client_rows clients %}").render(Context({"clients": clients}))


def test_each_client_is_a_row_with_their_deposit_in_the_active_language():
    client = make_client("Анна", "Иванова", sum=Decimal("1234567.50"))
    with translation.override("en"):
        html = rows([client])
    assert f'<a href="/clients/{client.pk}/">Иванова</a></td><td>Анна</td>' in html
    assert '<td class="num">1,234,567.50</td>' in html
    with translation.override("ru"):
        assert '<td class="num">1\xa0234\xa0567,50</td>' in rows([client])


def test_markup_in_a_name_is_escaped():
    html = rows([make_client("<b>x</b>", "<script>y</script>")])
    assert "<script>" not in html and "&lt;script&gt;y&lt;/script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
