from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.timezone import localtime

from corpnet.testing import make_client, make_order, make_worker
from orders.models import Order

pytestmark = pytest.mark.django_db


def rows(orders, **flags) -> str:
    template = Template("{% load order_tags %}{% order_rows orders executor=executor client=client %}")
    return template.render(
        Context({"orders": orders, "executor": flags.get("executor"), "client": flags.get("client")})
    )


def test_each_order_is_a_row_linking_to_the_order_its_executor_and_client():
    order = make_order(title="Buy BTC", executor=make_worker("Ivan Petrov"), client=make_client("Anna", "Smith"))
    html = rows([order])
    assert html.count("<tr>") == 1
    assert f'<a href="/orders/{order.pk}/">Buy BTC</a>' in html
    assert f'<a href="/staff/{order.executor_id}/">Ivan Petrov</a>' in html
    assert f'<a href="/clients/{order.client_id}/">Smith Anna</a>' in html


def test_markup_in_names_is_escaped():
    order = make_order(title="<script>x</script>", executor=make_worker("<b>w</b>"))
    html = rows([order])
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;w&lt;/b&gt;" in html


def test_status_date_and_sum_follow_the_active_language():
    order = make_order(sum=Decimal("1234567.50"), status="in_progress")
    with translation.override("ru"):
        html = rows([order])
    assert "1\xa0234\xa0567,50" in html
    assert "В работе" in html
    assert localtime(order.creation_date).strftime("%d.%m.%Y %H:%M") in html
    with translation.override("en"):
        assert "1,234,567.50" in rows([order])


def test_a_workers_or_clients_own_table_leaves_their_column_out():
    order = make_order(executor=make_worker("Ivan Petrov"), client=make_client("Anna", "Smith"))
    assert "Ivan Petrov" not in rows([order], executor=False) and "Smith Anna" in rows([order], executor=False)
    assert "Smith Anna" not in rows([order], client=False) and "Ivan Petrov" in rows([order], client=False)


def test_the_list_selector_does_not_load_the_phone_numbers_the_list_does_not_show():
    from django.http import QueryDict

    from orders.selectors import order_list

    make_order()
    _filterset, queryset = order_list(data=QueryDict(""))
    order = queryset[0]
    assert isinstance(order, Order)
    assert "phone" in order.executor.get_deferred_fields() and "phone" in order.client.get_deferred_fields()
    assert "description" in order.get_deferred_fields()
