from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from corpnet.listing import stable
from corpnet.testing import make_client, make_order, make_worker
from orders.filters import OrderFilter
from orders.models import OrderStatus
from orders.tables import OrderTable

pytestmark = pytest.mark.django_db


def run(query: str):
    f = OrderFilter(QueryDict(query), queryset=__import__("orders.models").models.Order.objects.all())
    return f, set(f.qs)


def test_without_a_status_only_active_orders_are_listed():
    new = make_order(status=OrderStatus.NEW)
    make_order(status=OrderStatus.DONE)
    assert run("")[1] == {new}


def test_status_all_and_a_specific_status():
    new = make_order(status=OrderStatus.NEW)
    done = make_order(status=OrderStatus.DONE)
    assert run("status=all")[1] == {new, done}
    assert run("status=done")[1] == {done}


def test_a_cyrillic_client_name_matches_whatever_its_case():
    mine = make_order(client=make_client("Анна", "Иванова"))
    make_order(client=make_client("John", "Smith"))
    assert run("client_name=ИВАНОВА")[1] == {mine}
    assert run("name=иванова")[1] == {mine}


def test_name_matches_the_executor_too():
    mine = make_order(executor=make_worker("Фёдор Петров"))
    make_order(executor=make_worker("John Smith"))
    assert run("name=федор")[1] == {mine}


def test_ids_one_or_several():
    a, b, _ = make_order(), make_order(), make_order()
    assert run(f"id={a.pk}&id={b.pk}")[1] == {a, b}
    assert run(f"id={a.pk},{b.pk}")[1] == {a, b}


@pytest.mark.parametrize(
    "query, field",
    [
        ("id=abc", "id"),
        ("sum_min=1e999", "sum"),
        ("sum_min=NaN", "sum"),
        ("creation_date_after=2024-13-45", "creation_date"),
        ("order_by=password", "order_by"),
        ("status=lost", "status"),
    ],
)
def test_bad_input_is_a_field_error_and_the_filter_is_not_applied(query, field):
    order = make_order(sum=Decimal("10"))
    f, rows = run(query)
    assert field in f.errors
    assert rows == {order}


def test_a_10kb_name_is_cut_not_a_crash():
    make_order()
    f, rows = run("name=" + "я" * 10_000)
    assert rows == set()


#: Each column of the order list and the filter that narrows it.
LISTED_FIELD_FILTERS = {
    "ID": "id",
    "Title": "title",
    "Status": "status",
    "Created": "creation_date",
    "Executor": "executor_name",
    "Client": "client_name",
    "Sum": "sum",
}


def test_every_listed_field_has_a_filter():
    assert [str(c.header) for c in OrderTable.columns if c.on_page] == list(LISTED_FIELD_FILTERS)
    assert set(LISTED_FIELD_FILTERS.values()) <= set(OrderFilter.base_filters)
    choices = {value for value, _label in OrderFilter.base_filters["order_by"].extra["choices"]}
    assert {c.sort for c in OrderTable.columns if c.sort} <= choices


def test_executor_and_client_by_id():
    mine = make_order()
    make_order()
    assert run(f"executor={mine.executor_id}")[1] == {mine}
    assert run(f"client={mine.client_id}")[1] == {mine}


def test_title_creation_date_and_sum_ranges():
    cheap = make_order(title="Покупка BTC", sum=Decimal("10.00"))
    dear = make_order(title="Продажа ETH", sum=Decimal("1000.00"))
    assert run("title=покупка")[1] == {cheap}
    assert run("sum_min=100")[1] == {dear}
    assert run("sum_max=10")[1] == {cheap}
    today = cheap.creation_date.date().isoformat()
    assert run(f"creation_date_after={today}")[1] == {cheap, dear}
    assert run("creation_date_before=2000-01-01")[1] == set()


def test_impossible_values_are_form_errors_and_the_filter_is_skipped():
    new = make_order()
    f, rows = run("creation_date_after=2024-13-45&sum_min=1e999&id=abc&order_by=nope")
    assert rows == {new}
    assert {"creation_date", "sum", "id", "order_by"} <= set(f.form.errors)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sum_min=10",
        "creation_date_after=2026-01-01",
        "client_name=иванов",
        "executor_name=иванов",
        "name=иванов",
        "client=5",
        "title=btc",
        "order_by=-sum",
        "status=new&status=done&order_by=-sum",
        "status=done&sum_min=10",
    ],
)
def test_filters_compare_plain_columns_and_mean_the_same_on_every_database(query):
    """No planner hints (``+column``): the database's statistics choose the index."""
    worker, client = make_worker(name="Иванов Пётр"), make_client(lastname="Иванова")
    expected = make_order(executor=worker, client=client, title="BTC", status=OrderStatus.NEW, sum=Decimal("20"))
    filterset, found = run(query)
    assert '+"orders_order"' not in str(filterset.qs.query)
    if "status=done" not in query and "client=5" not in query and "after=2026" not in query:
        assert found == {expected}


@pytest.mark.parametrize("by", ["client", "executor"])
def test_sorting_by_a_person_keeps_their_orders_together_newest_first(by):
    """Namesakes stay apart: each person's orders form one run, newest first; descending
    reverses the whole list."""
    if by == "client":
        people = [make_client("Анна", "Иванова"), make_client("Анна", "Иванова"), make_client("Борис", "Алексеев")]
    else:
        people = [make_worker("Иванова Анна"), make_worker("Иванова Анна"), make_worker("Алексеев Борис")]
    now = timezone.now()
    made = [
        make_order(**{by: people[n % 3]}, creation_date=now - timedelta(hours=n), status=OrderStatus.NEW)
        for n in range(9)
    ]
    f, _found = run(f"order_by={by}")
    rows = list(stable(f.qs))
    owners = [getattr(o, f"{by}_id") for o in rows]
    # Алексеев first, then the two namesakes, each in one run.
    assert owners[:3] == [people[2].pk] * 3
    assert sorted(owners[3:6]) == [owners[3]] * 3 and sorted(owners[6:]) == [owners[6]] * 3
    assert owners[3] < owners[6]
    for start in (0, 3, 6):
        run_of = rows[start : start + 3]
        assert [o.creation_date for o in run_of] == sorted((o.creation_date for o in run_of), reverse=True)
    assert set(rows) == set(made)
    f_desc, _found = run(f"order_by=-{by}")
    assert list(stable(f_desc.qs)) == rows[::-1]
