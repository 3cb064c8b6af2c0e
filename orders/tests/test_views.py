import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from corpnet.listing import MAX_ROWS
from corpnet.testing import make_client, make_order, make_worker
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db

#: The session, the user, then their own and their groups' permissions (Django's ModelBackend).
FRAMEWORK_QUERIES = 4


@pytest.fixture
def employee_client(client, cast):
    client.login(username="employee", password=PASSWORD)
    return client


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_order_list_needs_login(client):
    assert client.get(reverse("orders:list")).status_code == 302


def test_a_user_without_a_role_gets_403(client, cast):
    client.login(username="outsider", password=PASSWORD)
    assert client.get(reverse("orders:list")).status_code == 403
    assert client.get(reverse("orders:export")).status_code == 403


def test_only_active_orders_are_listed_by_default(employee_client):
    make_order(title="Открытый заказ", status=OrderStatus.NEW)
    make_order(title="Закрытый заказ", status=OrderStatus.DONE)
    text = employee_client.get(reverse("orders:list")).text
    assert "Открытый заказ" in text and "Закрытый заказ" not in text
    assert "Закрытый заказ" in employee_client.get(reverse("orders:list"), {"status": "done"}).text


def test_a_cyrillic_client_name_filters_the_list(employee_client):
    make_order(title="Её заказ", client=make_client("Анна", "Иванова"))
    make_order(title="Чужой заказ", client=make_client("John", "Smith"))
    text = employee_client.get(reverse("orders:list"), {"client_name": "ИВАНОВА"}).text
    assert "Её заказ" in text and "Чужой заказ" not in text


def test_columns_sort_both_ways(employee_client):
    make_order(title="cheap", sum=Decimal("1.00"))
    make_order(title="dear", sum=Decimal("9.00"))
    up = employee_client.get(reverse("orders:list"), {"order_by": "sum"}).text
    down = employee_client.get(reverse("orders:list"), {"order_by": "-sum"}).text
    assert up.index("cheap") < up.index("dear")
    assert down.index("dear") < down.index("cheap")
    assert "order_by=-sum" in up  # the header now offers the reverse order


def test_the_query_count_does_not_grow_with_the_page_size(employee_client, django_assert_max_num_queries):
    worker, client = make_worker(), make_client()
    for _ in range(60):
        make_order(executor=worker, client=client)
    # A capped count and the page's rows.
    with django_assert_max_num_queries(FRAMEWORK_QUERIES + 2):
        assert employee_client.get(reverse("orders:list"), {"size": 50, "page": 2}).status_code == 200


def test_pages_page_and_page_sizes(employee_client):
    worker, client = make_worker(), make_client()
    for i in range(30):
        make_order(executor=worker, client=client, title=f"order-{i:02d}")
    first = employee_client.get(reverse("orders:list"), {"order_by": "title"})
    second = employee_client.get(reverse("orders:list"), {"order_by": "title", "page": 2})
    assert not first.context["page"].is_last and len(first.context["page"].rows) == 25
    assert [o.title for o in second.context["page"].rows] == [f"order-{i}" for i in range(25, 30)]
    big = employee_client.get(reverse("orders:list"), {"size": 50})
    assert len(big.context["page"].rows) == 30


def test_counts_are_capped(employee_client, settings, monkeypatch):
    monkeypatch.setattr("corpnet.listing.MAX_ROWS", 5)
    worker, client = make_worker(), make_client()
    for _ in range(8):
        make_order(executor=worker, client=client)
    page = employee_client.get(reverse("orders:list"), {"page": 99}).context["page"]
    assert page.capped and page.count == 5 and page.is_last and page.moved
    assert MAX_ROWS == 10_000


@pytest.mark.parametrize(
    "query",
    [
        {"id": "abc"},
        {"sum_min": "1e999"},
        {"sum_max": "NaN"},
        {"creation_date_after": "2024-13-45"},
        {"page": "-1"},
        {"page": "999999"},
        {"page": "1e9"},
        {"size": "1000000"},
        {"order_by": "password"},
        {"order_by": "-executor__password"},
        {"status": "nonsense"},
        {"executor": "1;DROP TABLE"},
        {"name": "x" * 10_000},
        {"title": "<script>alert(1)</script>"},
    ],
)
def test_bad_input_is_answered_without_a_500(employee_client, query):
    make_order()
    response = employee_client.get(reverse("orders:list"), query)
    assert response.status_code in (200, 400)
    assert "<script>alert" not in response.text
    export = employee_client.get(reverse("orders:export"), query)
    assert export.status_code in (200, 400)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"id": "abc"}, "id"),
        ({"sum_min": "1e999"}, "sum"),
        ({"creation_date_after": "2024-13-45"}, "creation_date"),
        ({"order_by": "password"}, "order_by"),
    ],
)
def test_the_problem_is_shown_next_to_its_field(employee_client, query, field):
    response = employee_client.get(reverse("orders:list"), query)
    assert response.context["filter"].form.errors.get(field)
    assert "errorlist" in response.text


def test_a_10_kb_query_string_is_not_a_500(employee_client):
    response = employee_client.get(reverse("orders:list") + "?" + "&".join(f"x{i}=1" for i in range(2000)))
    assert response.status_code in (200, 400)


def test_the_detail_page(employee_client, django_assert_max_num_queries):
    order = make_order(title="Покупка BTC", description="<b>note</b>")
    with django_assert_max_num_queries(FRAMEWORK_QUERIES + 1):
        response = employee_client.get(reverse("orders:detail", args=[order.pk]))
    assert response.status_code == 200
    assert "Покупка BTC" in response.text and "&lt;b&gt;note&lt;/b&gt;" in response.text


def test_an_unknown_order_is_a_404(employee_client):
    assert employee_client.get(reverse("orders:detail", args=[424242])).status_code == 404


def test_the_csv_holds_exactly_the_filtered_rows(employee_client):
    mine = make_order(title="=cmd|' /C calc'!A0", client=make_client("Анна", "Иванова"), sum=Decimal("12.34"))
    make_order(title="other", client=make_client("John", "Smith"))
    make_order(title="done", client=make_client("Анна", "Иванова"), status=OrderStatus.DONE)
    response = employee_client.get(reverse("orders:export"), {"client_name": "иванова"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 2
    assert rows[1][0] == str(mine.pk)
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][6] == "12.34"


def test_the_filter_form_shows_the_current_filter_and_keeps_the_sort_order(employee_client):
    response = employee_client.get(reverse("orders:list"), {"client_name": "Иванова", "order_by": "-sum,id"})
    assert 'value="Иванова"' in response.text
    assert '<input type="hidden" name="order_by" value="-sum,id">' in response.text
    assert 'aria-sort="descending"' in response.text


def test_the_export_link_carries_the_filter(employee_client):
    response = employee_client.get(reverse("orders:list"), {"status": "done", "page": "2"})
    assert f'href="{reverse("orders:export")}?status=done"' in response.text
