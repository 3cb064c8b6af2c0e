"""Every list page, page by page, forwards and backwards, holds exactly what the plain FilterSet gives.

The pages are read through the views (query string in, ``page`` and ``table`` out), the
expected list straight from the FilterSet over the whole table, ordered by its sort keys and
the primary key. Small pages (size 3) make many of them; ties on every sort key make the
primary key decide.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from clients.filters import ClientFilter
from clients.models import Client
from conftest import PASSWORD
from corpnet.listing import MAX_ROWS, stable
from corpnet.testing import make_client, make_order, make_post, make_worker
from orders.filters import OrderFilter
from orders.models import Order, OrderStatus
from staff.filters import WorkerFilter
from staff.models import Worker

pytestmark = pytest.mark.django_db

SIZE = 3

LISTS = {
    "orders:list": (
        OrderFilter,
        Order,
        [
            "",
            "status=all",
            "status=new&status=done",
            "status=all&order_by=-sum",
            "status=all&order_by=sum",
            "status=all&order_by=title",
            "status=all&order_by=-created",
            "status=all&order_by=executor",
            "status=all&order_by=-client",
            "order_by=client",
            "status=all&order_by=-executor",
            "status=all&order_by=-status",
            "order_by=-id",
            "client_name=иванова&status=all",
            "sum_min=100&sum_max=300&status=all&order_by=created",
            "title=нет-такого",
        ],
    ),
    "clients:list": (
        ClientFilter,
        Client,
        [
            "",
            "order_by=-sum",
            "order_by=sum",
            "order_by=-lastname",
            "order_by=email",
            "name=иванов",
            "has_active_order=true",
        ],
    ),
    "staff:list": (
        WorkerFilter,
        Worker,
        ["", "state=all", "order_by=-post", "order_by=post&state=all", "order_by=-email", "order_by=-id"],
    ),
}


@pytest.fixture
def data():
    rng = random.Random(14)
    posts = [make_post(f"Пост {n}") for n in range(3)]
    workers = [make_worker(f"Сотрудник {n % 3}", post=rng.choice(posts)) for n in range(7)]
    clients = [
        make_client(f"Имя{n % 2}", ["Иванова", "Петрова", "Smith"][n % 3], sum=Decimal(rng.choice([10, 20, 30])))
        for n in range(9)
    ]
    now = timezone.now()
    for n in range(40):
        make_order(
            executor=rng.choice(workers),
            client=rng.choice(clients),
            status=rng.choice(list(OrderStatus)),
            sum=Decimal(rng.choice([100, 200, 300])),
            creation_date=now - timedelta(hours=rng.randrange(6)),
            title=f"заказ {n % 5}",
        )
    Worker.objects.filter(pk__in=[w.pk for w in workers[:2]]).update(dismissed_at=now)


@pytest.fixture
def reader(client, cast, monkeypatch):
    monkeypatch.setattr("corpnet.listing.PAGE_SIZES", (SIZE, 25))
    client.login(username="admin", password=PASSWORD)

    def read(name: str, query: str):
        response = client.get(f"{reverse(name)}?{query}&size={SIZE}")
        assert response.status_code == 200
        return response.context["page"]

    return read


def expected(filterset_class, model, query: str) -> list[int]:
    return list(stable(filterset_class(QueryDict(query), queryset=model.objects.all()).qs).values_list("pk", flat=True))


CASES = [(name, query) for name, (_f, _m, queries) in LISTS.items() for query in queries]


@pytest.mark.parametrize(("name", "query"), CASES)
def test_every_page_forwards_backwards_and_by_number_is_the_plain_querysets(data, reader, name, query):
    filterset_class, model, _queries = LISTS[name]
    want = expected(filterset_class, model, query)
    assert forwards(reader, name, query, want) == want
    assert backwards(reader, name, query, want) == want
    for number in range(1, len(want) // SIZE + 3):
        page = reader(name, f"{query}&page={number}")
        start = (number - 1) * SIZE
        if start < len(want) or number == 1:
            assert [row.pk for row in page.rows] == want[start : start + SIZE] and not page.moved
        else:  # past the end: the last page, said so
            assert page.moved and page.is_last


def forwards(reader, name, query, want) -> list[int]:
    seen = []
    page = reader(name, query)
    assert page.is_first and page.count == len(want) and not page.capped
    while True:
        rows = [row.pk for row in page.rows]
        assert rows == want[len(seen) : len(seen) + SIZE]
        seen += rows
        if page.is_last:
            return seen
        page = reader(name, f"{query}&after={page.next}")
        assert not page.is_first


def backwards(reader, name, query, want) -> list[int]:
    seen = []
    page = reader(name, f"{query}&last=1")
    assert page.is_last
    while True:
        rows = [row.pk for row in page.rows]
        end = len(want) - len(seen)
        assert rows == want[max(0, end - SIZE) : end]
        seen = rows + seen
        if page.is_first:
            return seen
        page = reader(name, f"{query}&before={page.previous}")
        assert not page.is_last


@pytest.mark.parametrize("name", LISTS)
def test_a_garbled_position_shows_the_first_page_and_says_so(data, reader, name):
    for bad in ("after=garbage", "before=%%%", "after=WyJ4Il0", "after=WzEsMl0", "page=-3", "page=x"):
        page = reader(name, bad)
        assert page.moved and page.is_first, bad


def test_a_cursor_past_the_end_shows_the_last_page(data, reader):
    cursor = reader("orders:list", "status=all").next
    Order.objects.all().delete()
    gone = reader("orders:list", f"status=all&after={cursor}")
    assert gone.moved and gone.rows == [] and gone.is_first and gone.is_last


@pytest.mark.parametrize("name", LISTS)
def test_a_deep_page_costs_the_queries_of_the_first(data, reader, name, django_assert_num_queries):
    # session, user, permissions' groups…: whatever the first page costs, every page costs.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        page = reader(name, "")
    costs = {len(first)}
    for query in (f"after={page.next}", "last=1", f"before={reader(name, 'last=1').previous}", "page=2"):
        with CaptureQueriesContext(connection) as deeper:
            reader(name, query)
        costs.add(len(deeper))
    assert len(costs) == 1, costs


@pytest.mark.parametrize("name", LISTS)
def test_a_first_page_holding_every_match_is_counted_by_its_rows(data, reader, name):
    """No COUNT when the first page has room to spare: one query fewer, the same figure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as full:
        reader(name, "")
    filterset_class, model, _queries = LISTS[name]
    few = expected(filterset_class, model, "")[0]
    with CaptureQueriesContext(connection) as short:
        page = reader(name, f"id={few}")
    assert [row.pk for row in page.rows] == [few] and page.count == 1 and not page.capped
    capped_count = f"LIMIT {MAX_ROWS + 1}"
    assert any(capped_count in query["sql"] for query in full.captured_queries)
    assert not any(capped_count in query["sql"] for query in short.captured_queries)


@pytest.mark.parametrize(
    ("ordering", "keys"),
    [
        (["client", "-id"], ["client__lastname", "client__name", "client__id", "-id"]),
        (["-client", "id"], ["-client__lastname", "-client__name", "-client__id", "id"]),
        (["-executor"], ["-executor__name", "-executor__id"]),
        (["client_id", "executor__name"], ["client_id", "executor__name"]),
        (["executor__post"], ["executor__post__title"]),
        (["-sum", "pk"], ["-sum", "pk"]),
    ],
)
def test_a_sort_by_a_relation_is_read_as_django_reads_it(ordering, keys):
    """The cursor holds what the ORDER BY compares: the related model's ordering, not its id."""
    from corpnet.listing import sort_keys

    assert sort_keys(Order, ordering) == keys


def test_a_sort_by_a_relation_to_a_model_without_ordering_is_by_its_id_column():
    from corpnet.listing import sort_keys
    from mailing.models import Mailing, Recipient

    assert sort_keys(Mailing, ["-created_by", "id"]) == ["-created_by_id", "id"]
    assert sort_keys(Recipient, ["mailing__created_by"]) == ["mailing__created_by_id"]


def test_a_cursor_of_a_sort_by_a_relation_holds_the_persons_name(data, reader):
    page = reader("orders:list", "status=all&order_by=-client")
    row = page.rows[-1]
    values = json.loads(base64.urlsafe_b64decode(page.next + "=" * (-len(page.next) % 4)))
    assert values[:3] == [row.client.lastname, row.client.name, str(row.client.pk)]


def test_a_sort_by_an_expression_is_refused_clearly():
    from django.db.models import F

    from corpnet.listing import sort_keys

    with pytest.raises(ValueError, match="field names"):
        sort_keys(Order, [F("sum").desc()])
