"""The reports, in hand-written SQL.

Every report is one round trip (the monthly one adds a query for the first and last
order's date) and runs unchanged on SQLite and PostgreSQL, except for the sum of money in
cents (``_sum_cents``), written per ``connection.vendor``. Values always travel as ``%s`` parameters, never inside the SQL text: the f-strings only
splice in fragments written in this module (placeholders, ``sql_cents`` of our own columns,
an ORDER BY column picked from a whitelist).

Money is summed in whole cents (``_sum_cents``, ``corpnet.money.sql_cents``) and turned into
``Decimal`` here, in Python: SQLite stores decimals as floats, and a float sum over a million
rows is not exact.

Speed: at a million orders each report reads one covering index of ``orders_order`` (see
``orders/models.py``) and never fetches order rows from the table; work that only the top N
rows need (an executor's order count, a client's volumes) is done for those N rows only.
``bench/reports.py`` measures it.

Months and days are the company's: ``settings.TIME_ZONE`` (Europe/Moscow by default), not
UTC. An order placed at 00:30 on 1 February in Moscow (21:30 on 31 January in UTC) belongs
to February, and a date filter "from 1 February" starts at Moscow midnight. ``creation_date``
is stored in UTC; the date filters and the bounds of each local month are converted to UTC
in Python, with zoneinfo (see ``_local_months``), so SQL only compares timestamps.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clients.models import Client
from corpnet.display import person_name
from corpnet.money import sql_cents
from orders.models import ACTIVE_STATUSES, Order, OrderStatus
from staff.models import Worker

#: How clients may be ranked in the top-N report: a choice maps to a fixed column alias of
#: the query below, so the ORDER BY never contains user input.
CLIENT_RANKINGS = {
    "total": "total_cents",
    "active": "active_cents",
    "deposit": "deposit_cents",
}

DEFAULT_TOP = 10


@dataclass(frozen=True)
class ReportFilters:
    """What every report is narrowed by; all values end up as SQL parameters.

    ``date_from``/``date_to`` are inclusive calendar days in ``settings.TIME_ZONE``;
    ``statuses`` empty means every status; ``post_id`` narrows to orders executed by
    (and, in the workload report, to workers holding) that post.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    post_id: int | None = None
    statuses: tuple[str, ...] = ()
    top: int = DEFAULT_TOP
    rank_clients_by: str = "total"

    def utc_bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The half-open range [start, end) of ``creation_date`` in aware datetimes."""
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = end = None
        if self.date_from is not None:
            start = dt.datetime.combine(self.date_from, dt.time.min, tzinfo=tz)
        if self.date_to is not None:
            end = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


@dataclass(frozen=True)
class WorkloadRow:
    worker_id: int
    name: str
    post: str
    orders: int
    active_orders: int
    active_sum: Decimal
    last_order_at: dt.datetime | None


@dataclass(frozen=True)
class ClientRow:
    client_id: int
    name: str
    lastname: str
    deposit: Decimal
    orders: int
    total_volume: Decimal
    active_volume: Decimal

    @property
    def full_name(self) -> str:
        return person_name(self.name, self.lastname)


@dataclass(frozen=True)
class MonthRow:
    month: str  # "YYYY-MM" in settings.TIME_ZONE
    status: str
    orders: int
    volume: Decimal
    status_running_total: Decimal  # this status, from the first month up to this one
    running_total: Decimal  # every shown status, from the first month to the end of this one


# --- helpers ---------------------------------------------------------------------------------


def _placeholders(values: Sequence) -> str:
    """``%s, %s, %s`` for an IN list: only the count of values shapes the SQL text."""
    return ", ".join(["%s"] * len(values))


def _money(cents) -> Decimal:
    # PostgreSQL's SUM(bigint) is numeric (a Decimal); SQLite's is an int. Both are exact.
    return Decimal(int(cents or 0)).scaleb(-2)


def _aware(value) -> dt.datetime | None:
    """MAX(creation_date): an aware datetime on PostgreSQL, a UTC text on SQLite."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=dt.UTC)


def _order_conditions(filters: ReportFilters) -> tuple[list[str], list]:
    """WHERE conditions on orders (alias ``o``) shared by every report, with their parameters."""
    conditions: list[str] = []
    params: list = []
    start, end = filters.utc_bounds()
    if start is not None:
        conditions.append("o.creation_date >= %s")
        params.append(connection.ops.adapt_datetimefield_value(start))
    if end is not None:
        conditions.append("o.creation_date < %s")
        params.append(connection.ops.adapt_datetimefield_value(end))
    if filters.statuses:
        conditions.append(f"o.status IN ({_placeholders(filters.statuses)})")
        params.extend(filters.statuses)
    if filters.post_id is not None:
        conditions.append("o.executor_id IN (SELECT id FROM staff_worker WHERE post_id = %s)")
        params.append(filters.post_id)
    return conditions, params


def _sum_cents(column: str) -> str:
    """An aggregate: the exact SUM of a money column (or expression) in whole cents.

    PostgreSQL sums ``numeric`` exactly, so it adds the column itself and scales the one
    total; turning every row into cents first costs it twice the time of the whole sum
    (``numeric`` arithmetic per row). SQLite stores floats, so each row becomes exact cents
    (``sql_cents``) before they are added. NULLs (a ``CASE`` without ``ELSE``) are skipped,
    and a sum over no rows is NULL on both.
    """
    if connection.vendor == "postgresql":
        return f"(SUM({column}) * 100)"
    return f"SUM({sql_cents(column)})"


def _local_months(filters: ReportFilters) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The local months (``settings.TIME_ZONE``) from the first order to the last, within the
    filter's dates: ``("YYYY-MM", start, end)`` with the half-open range of each in aware
    datetimes, computed here with zoneinfo (daylight saving and old offsets included).

    One cheap query: MIN and MAX of ``creation_date`` are the two ends of its index, as long
    as each is its own subquery (SQLite reads a whole index for ``SELECT MIN(x), MAX(x)``).
    """
    first, last = _run(
        "SELECT (SELECT MIN(creation_date) FROM orders_order), (SELECT MAX(creation_date) FROM orders_order)", []
    )[0]
    if first is None:
        return []
    first, last = _aware(first), _aware(last)
    start, end = filters.utc_bounds()
    if start is not None:
        first = max(first, start)
    if end is not None:
        last = min(last, end - dt.timedelta(microseconds=1))
    if first > last:
        return []
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    first, last = first.astimezone(tz), last.astimezone(tz)
    year, month = first.year, first.month
    months = []
    while (year, month) <= (last.year, last.month):
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        begins = dt.datetime(year, month, 1, tzinfo=tz)
        if next_year > dt.MAXYEAR:
            ends = dt.datetime.max.replace(tzinfo=dt.UTC)
        else:
            ends = dt.datetime(next_year, next_month, 1, tzinfo=tz)
        months.append((f"{year:04d}-{month:02d}", begins, ends))
        year, month = next_year, next_month
    return months


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- the reports -----------------------------------------------------------------------------


def workload_per_worker(filters: ReportFilters) -> list[WorkloadRow]:
    """Current workers by active workload: active orders, their sum, the last order's date.

    Why SQL: the ranking needs only the active orders, so only they are aggregated per
    executor (a third of the table, read from the ``(status, creation_date, …, executor_id,
    sum)`` index alone), then LEFT JOINed to the workers so idle workers keep a row with
    zeros, ranked and cut to the top N; only for those N rows are all their orders counted
    and the last date found, by correlated subqueries that each read a few entries of the
    ``(executor_id, active, creation_date, id, status, sum)`` index. Sums in exact cents. Through the ORM the
    filters would land in the WHERE of the join (dropping idle workers) unless each aggregate
    carried its own ``filter=``, and it would aggregate every order of every worker.
    """
    conditions, params = _order_conditions(filters)
    where = " AND ".join(conditions) or "1 = 1"
    active = list(ACTIVE_STATUSES)
    worker_where = "w.dismissed_at IS NULL"
    worker_params: list = []
    if filters.post_id is not None:
        worker_where += " AND w.post_id = %s"
        worker_params.append(filters.post_id)
    sql = f"""
        WITH active_load AS (
            SELECT o.executor_id, COUNT(*) AS active_orders, {_sum_cents("o.sum")} AS active_cents
            FROM orders_order o
            WHERE o.status IN ({_placeholders(active)}) AND {where}
            GROUP BY o.executor_id
        ),
        ranked AS (
            SELECT w.id, w.name, w.post_id,
                   COALESCE(a.active_orders, 0) AS active_orders,
                   COALESCE(a.active_cents, 0) AS active_cents
            FROM staff_worker w
            LEFT JOIN active_load a ON a.executor_id = w.id
            WHERE {worker_where}
            ORDER BY active_orders DESC, active_cents DESC, w.id
            LIMIT %s
        )
        SELECT r.id, r.name, p.title,
               (SELECT COUNT(*) FROM orders_order o WHERE o.executor_id = r.id AND {where}) AS orders,
               r.active_orders, r.active_cents,
               (SELECT MAX(o.creation_date) FROM orders_order o WHERE o.executor_id = r.id AND {where}) AS last_order_at
        FROM ranked r
        JOIN staff_post p ON p.id = r.post_id
        ORDER BY r.active_orders DESC, r.active_cents DESC, r.id
    """  # noqa: S608 - only fragments written in this module are interpolated; values are params
    rows = _run(sql, [*active, *params, *worker_params, filters.top, *params, *params])
    return [
        WorkloadRow(
            worker_id=r[0],
            name=r[1],
            post=r[2],
            orders=int(r[3]),
            active_orders=int(r[4]),
            active_sum=_money(r[5]),
            last_order_at=_aware(r[6]),
        )
        for r in rows
    ]


def client_volumes(filters: ReportFilters) -> list[ClientRow]:
    """The top N clients: deposit against their total and active order volume.

    Why SQL: first the candidates, then the numbers for those few clients only. Ranked by
    deposit, the candidates are the top N of the clients' ``sum`` index and no order is
    aggregated at all. Ranked by volume, the orders are aggregated per client (all of them,
    or only the active ones) straight from the ``(client_id, active, creation_date, id,
    status, executor_id, sum)`` index, in its order, and cut to the top N, joined by the first N clients by id: a client
    without (active) orders ranks 0, so it can only make the top N by its id, and then it is
    among those. For each candidate, correlated subqueries count and sum its orders from a
    few index entries, so a client's deposit is never repeated once per order (the double
    count of a JOIN + GROUP BY that the ORM produces when annotating two relations). The
    ranking column is chosen from a fixed whitelist. Sums are in exact cents.
    """
    conditions, params = _order_conditions(filters)
    where = " AND ".join(conditions) or "1 = 1"
    active = list(ACTIVE_STATUSES)
    rank = CLIENT_RANKINGS[filters.rank_clients_by]
    if filters.rank_clients_by == "deposit":
        # ``sum`` and its whole cents sort alike: money has two decimal places.
        candidates = "SELECT c.id FROM clients_client c ORDER BY c.sum DESC, c.id LIMIT %s"
        candidate_params = [filters.top]
    else:
        only_active = f"o.status IN ({_placeholders(active)}) AND " if filters.rank_clients_by == "active" else ""
        candidates = f"""
            SELECT ranked.client_id FROM (
                SELECT o.client_id FROM orders_order o
                WHERE {only_active}{where}
                GROUP BY o.client_id
                ORDER BY {_sum_cents("o.sum")} DESC, o.client_id
                LIMIT %s
            ) ranked
            UNION
            SELECT first_clients.id FROM (
                SELECT c.id FROM clients_client c ORDER BY c.id LIMIT %s
            ) first_clients
        """  # noqa: S608 - only fragments written in this module are interpolated; values are params
        candidate_params = [*(active if only_active else []), *params, filters.top, filters.top]
    sql = f"""
        SELECT id, name, lastname, deposit_cents, orders, total_cents, active_cents FROM (
            SELECT c.id, c.name, c.lastname,
                   {sql_cents("c.sum")} AS deposit_cents,
                   (SELECT COUNT(*) FROM orders_order o WHERE o.client_id = c.id AND {where}) AS orders,
                   (SELECT COALESCE({_sum_cents("o.sum")}, 0) FROM orders_order o
                    WHERE o.client_id = c.id AND {where}) AS total_cents,
                   (SELECT COALESCE({_sum_cents("o.sum")}, 0) FROM orders_order o
                    WHERE o.client_id = c.id AND o.status IN ({_placeholders(active)}) AND {where}) AS active_cents
            FROM clients_client c
            WHERE c.id IN ({candidates})
        ) volumes
        ORDER BY {rank} DESC, id
        LIMIT %s
    """  # noqa: S608 - only fragments written in this module are interpolated; values are params
    rows = _run(sql, [*params, *params, *active, *params, *candidate_params, filters.top])
    return [
        ClientRow(
            client_id=r[0],
            name=r[1],
            lastname=r[2],
            deposit=_money(r[3]),
            orders=int(r[4]),
            total_volume=_money(r[5]),
            active_volume=_money(r[6]),
        )
        for r in rows
    ]


def orders_per_month(filters: ReportFilters) -> list[MonthRow]:
    """Orders and their volume per local month and status, with running totals.

    Why SQL: running totals are a window function, ``SUM(...) OVER (ORDER BY month)``, over
    the monthly groups; the ORM cannot put a window over an aggregate of a GROUP BY in one
    query. The window without PARTITION uses the default RANGE frame, whose peers are the
    other statuses of the same month, so ``running_total`` is the total up to the end of the
    row's month. Sums are in exact cents.

    The months are not computed per order in SQL (a time-zone conversion of every timestamp,
    then a sort or hash of a million rows): their bounds are computed in Python
    (``_local_months``) and passed in as a VALUES list; each (month, status) pair is then a
    range of the ``(status, creation_date, id, executor_id, sum)`` index, counted and summed
    from the index alone by two correlated subqueries (the filter's own terms are written not
    to pull SQLite onto another index, see ``_order_conditions``). Pairs without orders are
    dropped after the window (they add nothing to any total). The same SQL runs on both
    databases.
    """
    months = _local_months(filters)
    if not months:
        return []
    adapt = connection.ops.adapt_datetimefield_value
    month_params = [value for label, begins, ends in months for value in (label, adapt(begins), adapt(ends))]
    month_values = ", ".join(["(%s, %s, %s)"] * len(months))
    if filters.post_id is None:
        # Every order counts: each (month, status) pair is a range of the status index.
        statuses = list(filters.statuses) or list(OrderStatus.values)
        conditions, params = _order_conditions(filters)
        where = " AND ".join(conditions) or "1 = 1"
        in_pair = "o.status = s.status AND o.creation_date >= m.begins AND o.creation_date < m.ends"
        monthly = f"""
            statuses (status) AS (VALUES {", ".join(["(%s)"] * len(statuses))}),
            monthly AS MATERIALIZED (
                SELECT m.month, s.status,
                       (SELECT COUNT(*) FROM orders_order o WHERE {in_pair} AND {where}) AS orders,
                       (SELECT {_sum_cents("o.sum")} FROM orders_order o WHERE {in_pair} AND {where}) AS cents
                FROM months m CROSS JOIN statuses s
            )"""  # noqa: S608 - only fragments written in this module are interpolated
        monthly_params = [*statuses, *params, *params]
    else:
        # One post's workers hold a twelfth of the orders: rather than test every order's
        # executor, read each of the post's workers' orders per month from the worker index
        # (executor_id, active, creation_date, …): "active IN (true, false)" is always true
        # and lets that index narrow to the month's dates too. Then group the few rows.
        conditions, params = _order_conditions(filters)
        where = " AND ".join(conditions)
        monthly = f"""
            monthly AS (
                SELECT m.month, o.status, COUNT(*) AS orders, {_sum_cents("o.sum")} AS cents
                FROM months m
                CROSS JOIN staff_worker w
                JOIN orders_order o ON o.executor_id = w.id
                    AND o.active IN (%s, %s) AND o.creation_date >= m.begins AND o.creation_date < m.ends
                WHERE w.post_id = %s AND {where}
                GROUP BY m.month, o.status
            )"""  # noqa: S608 - only fragments written in this module are interpolated
        monthly_params = [True, False, filters.post_id, *params]
    sql = f"""
        WITH months (month, begins, ends) AS (VALUES {month_values}),
        {monthly},
        running AS (
            SELECT month, status, orders, cents,
                   SUM(cents) OVER (PARTITION BY status ORDER BY month) AS status_running,
                   SUM(cents) OVER (ORDER BY month) AS running
            FROM monthly
        )
        SELECT month, status, orders, cents, status_running, running
        FROM running
        ORDER BY month, status
    """  # noqa: S608 - only fragments written in this module are interpolated; values are params
    # Pairs without orders are dropped here: "WHERE orders > 0" in SQL, SQLite would push
    # into the pairs and count each of them a second time.
    rows = [r for r in _run(sql, [*month_params, *monthly_params]) if r[2]]
    return [
        MonthRow(
            month=r[0],
            status=r[1],
            orders=int(r[2]),
            volume=_money(r[3]),
            status_running_total=_money(r[4]),
            running_total=_money(r[5]),
        )
        for r in rows
    ]


# The home page's figures: plain ORM counts, cached because everyone opens the page first.

#: How long the home page's figures are reused. Exact COUNT(*)s and a SUM over a million
#: orders and 100,000 clients cost ~100 ms on PostgreSQL, on the page everyone opens first;
#: a minute-old figure, labelled with its time, is as useful and costs nothing.
FIGURES_SECONDS = 60
_CACHE_KEY = "corpnet:dashboard-figures:v1"


@dataclass(frozen=True)
class DashboardFigures:
    workers: int
    clients: int
    active_orders: int
    total_deposits: Decimal
    as_of: dt.datetime


def dashboard_figures_compute() -> DashboardFigures:
    """The exact figures, now: three queries (the clients' count and deposits in one)."""
    clients = Client.objects.aggregate(count=Count("pk"), total=Sum("sum"))
    return DashboardFigures(
        workers=Worker.objects.current().count(),
        clients=clients["count"],
        active_orders=Order.objects.active().count(),
        total_deposits=clients["total"] or Decimal("0"),
        as_of=timezone.now(),
    )


def dashboard_figures() -> DashboardFigures:
    """The figures as of at most FIGURES_SECONDS ago (per server process; the page says when)."""
    figures = cache.get(_CACHE_KEY)
    if figures is None:
        figures = dashboard_figures_compute()
        cache.set(_CACHE_KEY, figures, FIGURES_SECONDS)
    return figures
