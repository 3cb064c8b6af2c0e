"""The orders endpoint: same filter as the page, cursor pagination, stale updates, protection."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from corpnet.testing import make_client, make_order, make_worker
from orders.filters import OrderFilter
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_an_employee_reads_orders_with_money_as_decimal_strings_and_iso_dates(api, cast):
    order = make_order(sum=Decimal("1234.50"))
    response = api(cast.employee).get(f"{URL}{order.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["sum"] == "1234.50"
    assert datetime.fromisoformat(body["creation_date"]) == order.creation_date
    assert body["version"] == 1
    assert body["executor_name"] == order.executor.name


def test_a_done_order_is_still_retrievable_though_the_list_shows_active_ones_by_default(api, cast):
    done = make_order(status=OrderStatus.DONE)
    active = make_order()
    client = api(cast.employee)
    assert ids(client.get(URL)) == [active.pk]
    assert client.get(f"{URL}{done.pk}/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": ["all"]},
        {"status": ["done", "new"]},
        {"name": "ИВАНОВ"},
        {"title": "btc", "status": "all"},
        {"sum_min": "100", "sum_max": "600", "status": "all"},
        {"order_by": "-sum", "status": "all"},
        {"order_by": "executor", "status": "all"},
        {"order_by": "title"},
    ],
)
def test_the_filters_shared_with_the_page_give_the_same_rows_as_the_filterset(api, cast, query):
    ivanov = make_worker("Пётр Иванов")
    other = make_worker("Сидор Сидоров")
    client = make_client("Ольга", "Иванова")
    for i, status in enumerate([OrderStatus.NEW, OrderStatus.IN_PROGRESS, OrderStatus.DONE, OrderStatus.CANCELLED] * 2):
        make_order(
            executor=ivanov if i % 2 else other,
            client=client if i % 3 == 0 else None,
            title="Покупка BTC" if i % 2 else "Продажа ETH",
            sum=Decimal(100 * i + 50),
            status=status,
        )
    with_ids = {**query}
    response = api(cast.employee).get(URL, {**with_ids, "page_size": 100})
    assert response.status_code == 200, response.json()
    filterset = OrderFilter(_querydict(with_ids), queryset=Order.objects.all())
    expected = [o.pk for o in filterset.qs]
    assert sorted(ids(response)) == sorted(expected)
    if "order_by" in query:
        # Rows with equal keys may come in either order; the keys' sequence must agree.
        param = query["order_by"].lstrip("-")
        key = {"sum": lambda o: o.sum, "executor": lambda o: o.executor.name, "title": lambda o: o.title}[param]
        by_id = {o.pk: o for o in filterset.qs}
        assert [key(by_id[i]) for i in ids(response)] == [key(o) for o in filterset.qs]


def test_several_ids_filter_like_on_the_page(api, cast):
    a, b, _c = make_order(), make_order(), make_order()
    response = api(cast.employee).get(f"{URL}?id={a.pk}&id={b.pk}")
    assert sorted(ids(response)) == sorted([a.pk, b.pk])


def test_a_bad_filter_value_answers_400_naming_the_field(api, cast):
    response = api(cast.employee).get(URL, {"id": "abc", "sum_min": "-5"})
    assert response.status_code == 400
    assert set(response.json()) == {"id", "sum"}


def test_cursor_pages_walk_every_row_exactly_once_in_the_asked_order(api, cast):
    executor, client = make_worker(), make_client()
    for i in range(7):
        make_order(executor=executor, client=client, sum=Decimal(i % 3))
    seen, url = [], f"{URL}?page_size=3&order_by=-sum"
    reader = api(cast.employee)
    while url:
        body = reader.get(url).json()
        seen += [(Decimal(r["sum"]), r["id"]) for r in body["results"]]
        url = body["next"]
    assert len(seen) == 7 == len({i for _, i in seen})
    assert seen == sorted(seen, key=lambda r: (-r[0], -r[1]))


def test_a_forged_cursor_answers_404_not_500(api, cast):
    import base64

    make_order()
    reader = api(cast.employee)

    def cursor(*values) -> str:
        return "n." + base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode()

    assert reader.get(URL, {"cursor": cursor("not-a-date", "1")}).status_code == 404
    assert reader.get(URL, {"cursor": cursor("1"), "order_by": "id"}).status_code == 200
    assert reader.get(URL, {"cursor": cursor("x"), "order_by": "id"}).status_code == 404
    # By executor: the executor's name and id, then the order's creation time and id.
    by_executor = cursor("x", "1", "2026-01-01T00:00:00+00:00", "1")
    assert reader.get(URL, {"cursor": by_executor, "order_by": "executor"}).status_code == 200
    assert reader.get(URL, {"cursor": cursor("x", "1"), "order_by": "executor"}).status_code == 404
    assert reader.get(URL, {"cursor": cursor(str(10**30)), "order_by": "id"}).status_code == 404
    for garbled in ("%%%", "n.%%%", "q." + cursor("1")[2:], "n.WzFd"):
        assert reader.get(URL, {"cursor": garbled, "order_by": "id"}).status_code == 404, garbled


def test_previous_links_walk_back_to_the_first_page(api, cast):
    executor, client = make_worker(), make_client()
    for i in range(7):
        make_order(executor=executor, client=client, sum=Decimal(i % 3))
    reader = api(cast.employee)
    pages = [reader.get(f"{URL}?page_size=3&order_by=sum").json()]
    while pages[-1]["next"]:
        pages.append(reader.get(pages[-1]["next"]).json())
    back = reader.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[-2]["results"]


def test_the_list_costs_a_constant_number_of_queries(api, cast, django_assert_max_num_queries):
    for _ in range(30):
        make_order()
    reader = api(cast.employee)
    # Token + user, two permission lookups, the page: the same for 30 rows or 30,000.
    with django_assert_max_num_queries(6):
        assert len(ids(reader.get(URL, {"page_size": 500}))) == 30


def test_the_admin_creates_an_order_through_the_service(api, cast):
    executor, client = make_worker(), make_client()
    response = api(cast.admin).post(
        URL,
        {"title": "  Покупка   SOL ", "executor": executor.pk, "client": client.pk, "sum": "10.05"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    order = Order.objects.get(pk=response.json()["id"])
    assert order.title == "Покупка SOL"  # normalised by order_create
    assert order.sum == Decimal("10.05")
    assert order.history.get().history_user == cast.admin


@pytest.mark.parametrize("who", ["employee", "hr", "outsider"])
def test_only_managers_and_the_admin_may_write_orders(api, cast, who):
    order = make_order()
    client = api(getattr(cast, who))
    assert client.patch(f"{URL}{order.pk}/", {"title": "x", "version": 1}, format="json").status_code == 403
    assert client.delete(f"{URL}{order.pk}/").status_code == 403
    order.refresh_from_db()
    assert order.title == "Покупка BTC"


def test_a_manager_opens_and_moves_an_order_but_only_the_admin_deletes_it(api, cast):
    executor, client = make_worker(), make_client()
    manager = api(cast.manager)
    body = {"title": "Покупка SOL", "executor": executor.pk, "client": client.pk, "sum": "10.05"}
    created = manager.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    moved = manager.patch(f"{URL}{pk}/", {"status": "in_progress", "version": 1}, format="json")
    assert moved.status_code == 200
    backwards = manager.patch(f"{URL}{pk}/", {"status": "new", "version": 2}, format="json")
    assert backwards.status_code == 400 and "status" in backwards.json()
    assert manager.delete(f"{URL}{pk}/").status_code == 403
    assert Order.objects.filter(pk=pk).exists()


def test_invalid_input_answers_400_with_field_errors_and_writes_nothing(api, cast):
    response = api(cast.admin).post(URL, {"title": "", "executor": 999999, "sum": "-1"}, format="json")
    assert response.status_code == 400
    assert {"title", "executor", "client", "sum"} <= set(response.json())
    assert not Order.objects.exists()


def test_a_stale_version_answers_409_and_changes_nothing(api, cast):
    order = make_order()
    admin = api(cast.admin)
    first = admin.patch(f"{URL}{order.pk}/", {"status": "in_progress", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = admin.patch(f"{URL}{order.pk}/", {"status": "cancelled", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale"
    order.refresh_from_db()
    assert (order.status, order.version) == (OrderStatus.IN_PROGRESS, 2)


def test_a_patch_without_version_is_refused(api, cast):
    order = make_order()
    response = api(cast.admin).patch(f"{URL}{order.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_deleting_an_order_releases_it_and_answers_204(api, cast):
    order = make_order()
    assert api(cast.admin).delete(f"{URL}{order.pk}/").status_code == 204
    assert not Order.objects.filter(pk=order.pk).exists()


def _querydict(data):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q
