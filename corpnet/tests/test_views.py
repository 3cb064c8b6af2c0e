import pytest
from django.urls import reverse

from corpnet.testing import make_client, make_order

pytestmark = pytest.mark.django_db


def test_home_sends_a_visitor_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_is_behind_login_too(client):
    assert client.get("/admin/").status_code == 302


def test_home_shows_a_user_without_a_role_no_figures(client, cast):
    make_order(client=make_client(sum="2500.50"))
    client.force_login(cast.outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "data-no-role" in response.text and "data-figure" not in response.text
    assert "2,500.50" not in response.text
    assert client.get("/reports/").status_code == 403


def test_home_shows_the_figures_to_any_role(client, cast):
    make_order(client=make_client(sum="2500.50"))
    client.force_login(cast.employee)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-figure="active-orders">1<' in body
    assert "2,500.50" in body or "2 500,50" in body


def test_logout_is_post_only_and_logs_out(client, cast):
    client.force_login(cast.employee)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_page_is_served_in_russian_when_asked(client, cast):
    client.force_login(cast.employee)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert "Выйти" in client.get("/").content.decode()


def test_csrf_is_enforced_on_login():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


def test_home_links_to_every_list_at_a_constant_query_cost(client, cast, django_assert_max_num_queries):
    from conftest import PASSWORD
    from corpnet.testing import make_order

    for _ in range(3):
        make_order()
    client.login(username="employee", password=PASSWORD)
    # Session, user, two permission queries + figures (3) + the latest prices block (3).
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    for url in ("/orders/", "/staff/", "/clients/"):
        assert f'href="{url}"' in response.text
    # Within the minute the figures are reused: no COUNT(*)s or SUM over the big tables.
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_home_figures_are_reused_for_a_minute_and_say_how_old_they_are(client, cast):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from corpnet.testing import make_order
    from reports.selectors import _CACHE_KEY, FIGURES_SECONDS, dashboard_figures

    assert FIGURES_SECONDS == 60  # the page says "every minute"
    client.force_login(cast.employee)
    make_order()
    assert 'data-figure="active-orders">1<' in client.get("/").text
    make_order()
    body = client.get("/").text
    assert 'data-figure="active-orders">1<' in body  # a minute-old figure, as the page says
    as_of = dashboard_figures().as_of
    assert timezone.now() - as_of < timedelta(seconds=FIGURES_SECONDS)
    assert "Figures as of" in body and "updated every minute" in body
    cache.delete(_CACHE_KEY)  # what the minute passing does
    assert 'data-figure="active-orders">2<' in client.get("/").text


def test_the_figures_note_is_translated(client, cast):
    client.force_login(cast.employee)
    assert "Данные на" in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").text
