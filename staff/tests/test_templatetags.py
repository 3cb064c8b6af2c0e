import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from corpnet.testing import make_worker

pytestmark = pytest.mark.django_db


def rows(workers) -> str:
    return Template("{% load staff_tags %}{% worker_rows workers %}").render(Context({"workers": workers}))


def test_each_worker_is_a_row_with_their_post_email_and_phone():
    worker = make_worker("Иван Петров")
    html = rows([worker])
    assert f'<tr><td class="num">{worker.pk}</td><td><a href="/staff/{worker.pk}/">Иван Петров</a></td>' in html
    assert f"<td>{worker.post.title}</td><td>{worker.email}</td><td>{worker.phone}</td>" in html


def test_a_dismissed_worker_is_muted_and_tagged_in_the_active_language():
    worker = make_worker("Пётр Сидоров")
    worker.dismissed_at = timezone.now()
    with translation.override("en"):
        assert '<tr class="muted">' in rows([worker]) and '<span class="tag">dismissed</span>' in rows([worker])
    with translation.override("ru"):
        assert "dismissed" not in rows([worker])


def test_markup_in_a_name_is_escaped():
    html = rows([make_worker("<script>alert(1)</script>")])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
