"""The clients endpoint: deposits as decimal strings, the page's filter, admin-only writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from clients.filters import ClientFilter
from clients.models import Client
from corpnet.testing import make_client, make_order

pytestmark = pytest.mark.django_db

URL = "/api/v1/clients/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_an_employee_reads_a_client_with_an_exact_decimal_deposit(api, cast):
    client = make_client(sum=Decimal("9999999999999.99"))
    body = api(cast.employee).get(f"{URL}{client.pk}/").json()
    assert body["sum"] == "9999999999999.99"
    assert body["phone"] == "+79031234567"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"name": "иванов"},
        {"sum_min": "500", "sum_max": "2000"},
        {"mailing_opt_out": "true"},
        {"email": "MAIL.EXAMPLE", "order_by": "-sum"},
        {"phone": "903 123"},
    ],
)
def test_the_filters_shared_with_the_page_give_the_same_rows_as_the_filterset(api, cast, query):
    make_client("Пётр", "Иванов", sum=Decimal("100"))
    make_client("Ольга", "ИВАНОВА", sum=Decimal("1500"), mailing_opt_out=True)
    make_client("Анна", "Смирнова", sum=Decimal("2500"))
    q = QueryDict(mutable=True)
    q.update(query)
    expected = [c.pk for c in ClientFilter(q, queryset=Client.objects.all()).qs]
    response = api(cast.employee).get(URL, query)
    assert response.status_code == 200
    assert ids(response) == expected


@pytest.mark.parametrize("who", ["hr", "employee", "outsider"])
def test_only_managers_and_the_admin_write_clients(api, cast, who):
    response = api(getattr(cast, who)).post(
        URL, {"name": "А", "lastname": "Б", "email": "a@b.example", "phone": "+79031234567"}, format="json"
    )
    assert response.status_code == 403
    assert not Client.objects.exists()


def test_a_manager_adds_and_changes_a_client_but_only_the_admin_deletes(api, cast):
    manager = api(cast.manager)
    body = {"name": "Анна", "lastname": "Ким", "email": "kim@mail.example", "phone": "+7 903 123-45-67"}
    created = manager.post(URL, body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert manager.patch(f"{URL}{pk}/", {"name": "Анна-Мария", "version": 1}, format="json").status_code == 200
    assert manager.delete(f"{URL}{pk}/").status_code == 403
    assert api(cast.admin).delete(f"{URL}{pk}/").status_code == 204


def test_the_admin_creates_a_client_and_a_negative_deposit_is_refused(api, cast):
    admin = api(cast.admin)
    body = {"name": "Анна", "lastname": "Ким", "email": "kim@mail.example", "phone": "+7 903 123-45-67"}
    bad = admin.post(URL, {**body, "sum": "-0.01"}, format="json")
    assert bad.status_code == 400 and "sum" in bad.json()
    ok = admin.post(URL, {**body, "sum": "10.10"}, format="json")
    assert ok.status_code == 201
    assert ok.json()["sum"] == "10.10" and ok.json()["phone"] == "+79031234567"


def test_the_admin_sets_an_active_order_with_the_current_version(api, cast):
    order = make_order()
    response = api(cast.admin).patch(
        f"{URL}{order.client_id}/", {"active_order": order.pk, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["active_order"] == order.pk
    assert response.json()["version"] == 2


def test_a_stale_patch_answers_409(api, cast):
    client = make_client()
    admin = api(cast.admin)
    assert admin.patch(f"{URL}{client.pk}/", {"name": "Новое", "version": 1}, format="json").status_code == 200
    stale = admin.patch(f"{URL}{client.pk}/", {"name": "Другое", "version": 1}, format="json")
    assert stale.status_code == 409
    client.refresh_from_db()
    assert client.name == "Новое"


def test_a_client_with_orders_cannot_be_deleted(api, cast):
    order = make_order()
    response = api(cast.admin).delete(f"{URL}{order.client_id}/")
    assert response.status_code == 409
    assert "#" in response.json()["detail"]
    assert Client.objects.filter(pk=order.client_id).exists()


def test_a_json_body_with_nan_or_a_wrong_type_answers_400(api, cast):
    client = make_client()
    admin = api(cast.admin)
    nan = admin.generic("PATCH", f"{URL}{client.pk}/", '{"sum": NaN, "version": 1}', "application/json")
    assert nan.status_code == 400
    wrong = admin.patch(f"{URL}{client.pk}/", {"sum": ["1"], "version": "x"}, format="json")
    assert wrong.status_code == 400
    assert {"sum", "version"} <= set(wrong.json())


def test_a_browser_session_write_with_the_csrf_token_is_recorded_under_that_user(cast):
    from rest_framework.test import APIClient

    from conftest import PASSWORD

    client = make_client()
    browser = APIClient(enforce_csrf_checks=True)
    assert browser.login(username="admin", password=PASSWORD)
    browser.get("/admin/")  # a page with a form (log out) sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.patch(f"{URL}{client.pk}/", {"sum": "7.00", "version": 1}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.json()
    client.refresh_from_db()
    assert client.sum == Decimal("7.00")
    assert client.history.first().history_user == cast.admin
