"""Every report query against the same numbers computed through the ORM, on generated data.

The oracle filters with the ORM's own lookups (``creation_date__date`` in the current time
zone, ``executor__post``), groups months with ``TruncMonth`` (settings.TIME_ZONE, as the
reports do) and sums the ``Decimal`` values in Python, so it shares no SQL with the reports.
Both run on SQLite and on PostgreSQL (scripts/run_tests.py).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpnet.testing import make_client, make_order, make_post, make_worker
from orders.models import ACTIVE_STATUSES, Order, OrderStatus
from reports import selectors as sql
from reports.selectors import ReportFilters
from staff.models import Worker
from staff.services import worker_update

pytestmark = pytest.mark.django_db

MAX_SUM = Decimal("9999999999.99")
MOSCOW = ZoneInfo("Europe/Moscow")

# --- generated worlds ------------------------------------------------------------------------

sums = st.one_of(
    st.sampled_from([Decimal("0.00"), Decimal("0.01"), MAX_SUM]),
    st.decimals(min_value=0, max_value=MAX_SUM, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def month_edges(draw) -> dt.datetime:
    """An instant within a few hours of a local (Moscow) month start: where UTC and local months differ.

    Years from 2009 include Moscow's daylight-saving years and its 2011–2014 UTC+4 period.
    """
    year, month = draw(st.integers(2009, 2030)), draw(st.integers(1, 12))
    start = dt.datetime(year, month, 1, tzinfo=MOSCOW)
    shift = draw(st.sampled_from([-4 * 3600, -3600, -1, 0, 1, 3600, 3 * 3600, 4 * 3600]))
    return (start + dt.timedelta(seconds=shift)).astimezone(dt.UTC)


instants = st.one_of(
    month_edges(),
    st.datetimes(min_value=dt.datetime(2009, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(dt.UTC)),
)
names = st.sampled_from(["Иван Петров", "ёлка Ёжикова", "<script>alert(1)</script>", "O'Brien", "Zoë"])

worlds = st.fixed_dictionaries(
    {
        "posts": st.integers(1, 2),
        "workers": st.lists(st.tuples(st.integers(0, 1), st.booleans(), names), min_size=1, max_size=4),
        "clients": st.lists(sums, min_size=1, max_size=4),
        "orders": st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from(OrderStatus.values), sums, instants),
            max_size=12,
        ),
    }
)
days = st.one_of(st.none(), st.dates(min_value=dt.date(2009, 1, 1), max_value=dt.date(2030, 12, 31)))
filter_specs = st.fixed_dictionaries(
    {
        "date_from": days,
        "date_to": days,
        "post": st.one_of(st.none(), st.integers(0, 1)),
        "statuses": st.lists(st.sampled_from(OrderStatus.values), unique=True, max_size=4).map(tuple),
        "top": st.integers(1, 6),
        "rank": st.sampled_from(sorted(sql.CLIENT_RANKINGS)),
    }
)

PROPERTY = settings(
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build(world: dict) -> tuple[list, list, list]:
    posts = [make_post() for _ in range(world["posts"])]
    workers = []
    for post_index, _dismissed, name in world["workers"]:
        workers.append(make_worker(name, post=posts[post_index % len(posts)]))
    clients = [make_client(sum=deposit) for deposit in world["clients"]]
    for w, c, status, amount, created in world["orders"]:
        make_order(
            executor=workers[w % len(workers)],
            client=clients[c % len(clients)],
            status=status,
            sum=amount,
            creation_date=created,
        )
    # Dismissed last: an active order cannot be given to a dismissed worker, but the reports
    # must still cope with any orders such a worker left behind.
    for worker, (_post, dismissed, _name) in zip(workers, world["workers"], strict=True):
        if dismissed:
            worker.dismissed_at = timezone.now()
            worker.save(update_fields=["dismissed_at"])
    return posts, workers, clients


def to_filters(spec: dict, posts: list) -> ReportFilters:
    post = spec["post"]
    return ReportFilters(
        date_from=spec["date_from"],
        date_to=spec["date_to"],
        post_id=posts[post % len(posts)].pk if post is not None else None,
        statuses=spec["statuses"],
        top=spec["top"],
        rank_clients_by=spec["rank"],
    )


def in_a_rolled_back_transaction(check):
    """Each example builds its own world and leaves nothing behind for the next one."""
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


# --- the oracle: the ORM -------------------------------------------------------------------------


def orm_orders(f: ReportFilters):
    qs = Order.objects.all()
    if f.date_from:
        qs = qs.filter(creation_date__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(creation_date__date__lte=f.date_to)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.post_id is not None:
        qs = qs.filter(executor__post_id=f.post_id)
    return qs


def orm_workload(f: ReportFilters) -> list[sql.WorkloadRow]:
    orders = list(orm_orders(f).values("executor_id", "status", "sum", "creation_date"))
    workers = Worker.objects.current().select_related("post")
    if f.post_id is not None:
        workers = workers.filter(post_id=f.post_id)
    rows = []
    for w in workers:
        mine = [o for o in orders if o["executor_id"] == w.pk]
        active = [o for o in mine if o["status"] in ACTIVE_STATUSES]
        rows.append(
            sql.WorkloadRow(
                worker_id=w.pk,
                name=w.name,
                post=w.post.title,
                orders=len(mine),
                active_orders=len(active),
                active_sum=sum((o["sum"] for o in active), Decimal("0.00")),
                last_order_at=max((o["creation_date"] for o in mine), default=None),
            )
        )
    rows.sort(key=lambda r: (-r.active_orders, -r.active_sum, r.worker_id))
    return rows[: f.top]


def orm_clients(f: ReportFilters) -> list[sql.ClientRow]:
    from clients.models import Client

    orders = list(orm_orders(f).values("client_id", "status", "sum"))
    rows = []
    for c in Client.objects.all():
        mine = [o for o in orders if o["client_id"] == c.pk]
        rows.append(
            sql.ClientRow(
                client_id=c.pk,
                name=c.name,
                lastname=c.lastname,
                deposit=c.sum,
                orders=len(mine),
                total_volume=sum((o["sum"] for o in mine), Decimal("0.00")),
                active_volume=sum((o["sum"] for o in mine if o["status"] in ACTIVE_STATUSES), Decimal("0.00")),
            )
        )
    key = {"total": "total_volume", "active": "active_volume", "deposit": "deposit"}[f.rank_clients_by]
    rows.sort(key=lambda r: (-getattr(r, key), r.client_id))
    return rows[: f.top]


def orm_months(f: ReportFilters) -> list[sql.MonthRow]:
    groups: dict[tuple[str, str], list[Decimal]] = {}
    for month, status, amount in (
        orm_orders(f).annotate(month=TruncMonth("creation_date")).values_list("month", "status", "sum")
    ):
        groups.setdefault((timezone.localtime(month).strftime("%Y-%m"), status), []).append(amount)
    rows, by_status, overall = [], {}, Decimal("0.00")
    month_totals: dict[str, Decimal] = {}
    for (month, _status), amounts in groups.items():
        month_totals[month] = month_totals.get(month, Decimal("0.00")) + sum(amounts, Decimal("0.00"))
    running_by_month = {}
    for month in sorted(month_totals):
        overall += month_totals[month]
        running_by_month[month] = overall
    for month, status in sorted(groups):
        volume = sum(groups[(month, status)], Decimal("0.00"))
        by_status[status] = by_status.get(status, Decimal("0.00")) + volume
        rows.append(
            sql.MonthRow(
                month=month,
                status=status,
                orders=len(groups[(month, status)]),
                volume=volume,
                status_running_total=by_status[status],
                running_total=running_by_month[month],
            )
        )
    return rows


# --- properties ----------------------------------------------------------------------------------


@PROPERTY
@given(world=worlds, spec=filter_specs)
def test_workload_per_worker_matches_the_orm(db, world, spec):
    def check():
        posts, _workers, _clients = build(world)
        f = to_filters(spec, posts)
        assert sql.workload_per_worker(f) == orm_workload(f)

    in_a_rolled_back_transaction(check)


@PROPERTY
@given(world=worlds, spec=filter_specs)
def test_client_volumes_match_the_orm(db, world, spec):
    def check():
        posts, _workers, _clients = build(world)
        f = to_filters(spec, posts)
        assert sql.client_volumes(f) == orm_clients(f)

    in_a_rolled_back_transaction(check)


@PROPERTY
@given(world=worlds, spec=filter_specs)
def test_orders_per_month_and_running_totals_match_the_orm(db, world, spec):
    def check():
        posts, _workers, _clients = build(world)
        f = to_filters(spec, posts)
        assert sql.orders_per_month(f) == orm_months(f)

    in_a_rolled_back_transaction(check)


# --- examples worth naming -------------------------------------------------------------------


def test_sums_of_the_largest_amounts_are_exact_to_the_cent():
    worker, client = make_worker(), make_client(sum=MAX_SUM)
    for amount in (MAX_SUM, MAX_SUM, MAX_SUM, Decimal("0.01")):
        make_order(executor=worker, client=client, sum=amount)
    [row] = sql.workload_per_worker(ReportFilters())
    assert row.active_sum == Decimal("29999999999.98")
    [crow] = sql.client_volumes(ReportFilters())
    assert (crow.deposit, crow.total_volume) == (MAX_SUM, Decimal("29999999999.98"))
    [mrow] = sql.orders_per_month(ReportFilters())
    assert mrow.running_total == Decimal("29999999999.98")


@override_settings(TIME_ZONE="Europe/Moscow")
def test_an_order_just_after_local_midnight_on_the_first_belongs_to_the_local_month():
    # 21:30 UTC on 31 January is 00:30 on 1 February in Moscow.
    make_order(creation_date=dt.datetime(2024, 1, 31, 21, 30, tzinfo=dt.UTC))
    assert [r.month for r in sql.orders_per_month(ReportFilters())] == ["2024-02"]
    assert sql.orders_per_month(ReportFilters(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 2, 1)))
    assert not sql.orders_per_month(ReportFilters(date_to=dt.date(2024, 1, 31)))


@override_settings(TIME_ZONE="America/New_York")
def test_months_follow_daylight_saving_in_the_configured_time_zone():
    # 03:30 UTC on 1 November 2024 is 23:30 EDT (UTC-4) on 31 October; 04:30 UTC on
    # 1 March 2024 is 23:30 EST (UTC-5) on 29 February.
    make_order(creation_date=dt.datetime(2024, 11, 1, 3, 30, tzinfo=dt.UTC))
    make_order(creation_date=dt.datetime(2024, 3, 1, 4, 30, tzinfo=dt.UTC))
    assert [r.month for r in sql.orders_per_month(ReportFilters())] == ["2024-02", "2024-10"]


@override_settings(TIME_ZONE="Europe/Moscow")
def test_months_are_still_local_when_the_process_time_zone_is_not_the_configured_one(monkeypatch):
    # As on Windows, where Django cannot set TZ: SQLite's "localtime" would then be wrong.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        make_order(creation_date=dt.datetime(2024, 1, 31, 21, 30, tzinfo=dt.UTC))
        assert [r.month for r in sql.orders_per_month(ReportFilters())] == ["2024-02"]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_running_total_adds_up_across_months_and_statuses():
    when = [dt.datetime(2024, m, 10, tzinfo=dt.UTC) for m in (1, 2, 3)]
    make_order(creation_date=when[0], sum=Decimal("10.00"), status=OrderStatus.DONE)
    make_order(creation_date=when[0], sum=Decimal("1.00"), status=OrderStatus.NEW)
    make_order(creation_date=when[2], sum=Decimal("100.00"), status=OrderStatus.DONE)
    rows = sql.orders_per_month(ReportFilters())
    assert [(r.month, r.status, r.status_running_total, r.running_total) for r in rows] == [
        ("2024-01", "done", Decimal("10.00"), Decimal("11.00")),
        ("2024-01", "new", Decimal("1.00"), Decimal("11.00")),
        ("2024-03", "done", Decimal("110.00"), Decimal("111.00")),
    ]


def test_idle_workers_keep_a_row_and_dismissed_ones_are_left_out():
    idle = make_worker("Idle")
    gone = make_worker("Gone")
    make_order(executor=gone)
    worker_update(worker=gone, data={"dismissed_at": timezone.now()})
    assert [r.worker_id for r in sql.workload_per_worker(ReportFilters())] == [idle.pk]


def test_filter_values_are_parameters_not_sql():
    make_order(status=OrderStatus.NEW)
    sneaky = ReportFilters(statuses=("new' OR '1'='1", "new') OR (1=1"))
    assert sql.orders_per_month(sneaky) == []
    assert all(r.orders == 0 for r in sql.client_volumes(sneaky))


def test_clients_without_orders_fill_the_top_n_in_id_order_after_those_with_volume():
    # Ranked by volume, the candidates are the top N by volume plus the first N clients by id;
    # a client without orders can only rank by its id.
    first, second, third = (make_client(sum=Decimal(amount)) for amount in ("5.00", "1.00", "0.00"))
    make_order(client=third, sum=Decimal("1.00"), status=OrderStatus.DONE)
    rows = sql.client_volumes(ReportFilters(top=2))
    assert [r.client_id for r in rows] == [third.pk, first.pk]
    rows = sql.client_volumes(ReportFilters(top=3, rank_clients_by="active"))
    assert [r.client_id for r in rows] == [first.pk, second.pk, third.pk]
    assert [r.client_id for r in sql.client_volumes(ReportFilters(top=1, rank_clients_by="deposit"))] == [first.pk]


def test_months_outside_the_orders_dates_or_the_filter_are_empty():
    assert sql.orders_per_month(ReportFilters()) == []
    make_order(creation_date=dt.datetime(2024, 5, 10, tzinfo=dt.UTC))
    assert sql.orders_per_month(ReportFilters(date_from=dt.date(2024, 6, 1))) == []
    assert sql.orders_per_month(ReportFilters(date_to=dt.date(2024, 4, 30))) == []
    assert [r.month for r in sql.orders_per_month(ReportFilters(date_from=dt.date(2024, 5, 10)))] == ["2024-05"]


def test_the_top_workers_counts_cover_all_their_orders_not_only_the_active_ones():
    worker = make_worker()
    make_order(executor=worker, status=OrderStatus.NEW, creation_date=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    last = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    make_order(executor=worker, status=OrderStatus.DONE, creation_date=last)
    [row] = sql.workload_per_worker(ReportFilters())
    assert (row.orders, row.active_orders, row.last_order_at) == (2, 1, last)
