import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from corpnet.testing import make_client, make_order

pytestmark = pytest.mark.django_db

#: The session, the user, then their own and their groups' permissions (Django's ModelBackend).
FRAMEWORK_QUERIES = 4


@pytest.fixture
def employee_client(client, cast):
    client.login(username="employee", password=PASSWORD)
    return client


def test_the_client_list_needs_login(client):
    assert client.get(reverse("clients:list")).status_code == 302


def test_a_user_without_a_role_gets_403(client, cast):
    client.login(username="outsider", password=PASSWORD)
    assert client.get(reverse("clients:list")).status_code == 403


def test_name_matches_name_or_lastname_in_any_case(employee_client):
    make_client("Анна", "Иванова")
    make_client("Иван", "Smith")
    make_client("Пётр", "Сидоров")
    text = employee_client.get(reverse("clients:list"), {"name": "ИВАН"}).text
    assert "Иванова" in text and "Smith" in text and "Сидоров" not in text


def test_deposit_range_and_sorting(employee_client):
    make_client("Малый", "Вклад", sum=Decimal("10.00"))
    make_client("Большой", "Вклад", sum=Decimal("1000000.00"))
    text = employee_client.get(reverse("clients:list"), {"sum_min": "100", "order_by": "-sum"}).text
    assert "Большой" in text and "Малый" not in text


def test_the_query_count_does_not_grow(employee_client, django_assert_max_num_queries):
    for _ in range(40):
        make_client()
    # A capped count and the page's rows (their active orders counted in the same query).
    with django_assert_max_num_queries(FRAMEWORK_QUERIES + 2):
        assert employee_client.get(reverse("clients:list"), {"size": 100}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"id": "abc"},
        {"sum_min": "1e999"},
        {"page": "-1"},
        {"page": "999999"},
        {"order_by": "x"},
        {"has_active_order": "maybe"},
    ],
)
def test_bad_input_is_answered_without_a_500(employee_client, query):
    assert employee_client.get(reverse("clients:list"), query).status_code in (200, 400)


def test_the_detail_page_shows_deposit_and_latest_orders(employee_client, django_assert_max_num_queries):
    client = make_client("Анна", "Иванова", sum=Decimal("1234.50"))
    for _ in range(22):
        make_order(client=client, title="Покупка SOL")
    # The client, their latest orders, their newest active orders and how many there are.
    with django_assert_max_num_queries(FRAMEWORK_QUERIES + 4):
        response = employee_client.get(reverse("clients:detail", args=[client.pk]))
    assert response.status_code == 200
    assert "1,234.50" in response.text or "1 234,50" in response.text
    # The latest 20 in the table, the newest 5 of the 22 active ones named above it.
    assert response.text.count("Покупка SOL") == 20 + 5
    assert 'data-count="22"' in response.text
    assert f"client={client.pk}" in response.text


def test_the_csv_export_follows_the_filter(client, cast):
    employee_client = client  # exporting client lists takes a manager (clients.export_client)
    client.force_login(cast.manager)
    make_client("Анна", "Иванова", email="anna@mail.example")
    make_client("John", "Smith", email="-2+3@mail.example")
    response = employee_client.get(reverse("clients:export"), {"email": "anna"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["Иванова"]
    response = employee_client.get(reverse("clients:export"), {"name": "smith"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][3] == "'-2+3@mail.example"
