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


def test_home_shows_the_figures_to_any_logged_in_user(client, cast):
    make_order(client=make_client(sum="2500.50"))
    client.force_login(cast.outsider)
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
    # session + user + figures (4) + the latest prices block (3), whatever the data size.
    with django_assert_max_num_queries(9):
        response = client.get("/")
    assert response.status_code == 200
    for url in ("/orders/", "/staff/", "/clients/"):
        assert f'href="{url}"' in response.text
