"""The reports, in hand-written SQL.

Every query here is one round trip and runs unchanged on SQLite and PostgreSQL, except for
the one expression that turns a timestamp into a month, chosen by ``connection.vendor``.
Values always travel as ``%s`` parameters, never inside the SQL text: the f-strings only
splice in fragments written in this module (placeholders, ``sql_cents`` of our own columns,
an ORDER BY column picked from a whitelist).

Money is summed in whole cents (``corpnet.money.sql_cents``) and turned into ``Decimal`` here,
in Python: SQLite stores decimals as floats, and a float sum over a million rows is not exact.

Months and days are the company's: ``settings.TIME_ZONE`` (Europe/Moscow by default), not
UTC. An order placed at 00:30 on 1 February in Moscow (21:30 on 31 January in UTC) belongs
to February, and a date filter "from 1 February" starts at Moscow midnight. ``creation_date``
is stored in UTC; the date filters are converted to UTC bounds in Python, and the month
expression converts each timestamp to local time in SQL (see ``_month_sql``).
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_datetime

from corpnet.money import sql_cents
from orders.models import ACTIVE_STATUSES

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
        return f"{self.name} {self.lastname}"


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


def _month_sql(column: str) -> tuple[str, list]:
    """The local (``settings.TIME_ZONE``) month of a UTC timestamp as 'YYYY-MM'.

    The only vendor-specific SQL in the reports. PostgreSQL converts with the time zone's
    name, passed as a parameter. SQLite has no time-zone database, but its ``localtime``
    modifier uses the process's zone, and Django sets the process's ``TZ`` to
    ``settings.TIME_ZONE`` at start-up (and again when a test overrides it), so it follows
    the same rules, daylight saving included, at C speed. Where Django could not set it
    (Windows), the month comes from the function Django's ORM registers on every SQLite
    connection for ``TruncMonth``: exact, but Python code per row, so several times slower.
    ``%%`` is a literal ``%`` in a query with parameters.
    """
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE %s, 'YYYY-MM')", [settings.TIME_ZONE]
    if os.environ.get("TZ") == settings.TIME_ZONE:
        return f"strftime('%%Y-%%m', {column}, 'localtime')", []
    trunc, params = connection.ops.datetime_trunc_sql("month", column, (), settings.TIME_ZONE)
    return f"substr({trunc}, 1, 7)", list(params)


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- the reports -----------------------------------------------------------------------------


def workload_per_worker(filters: ReportFilters) -> list[WorkloadRow]:
    """Current workers by active workload: active orders, their sum, the last order's date.

    Why SQL: the orders are aggregated per executor first, in a CTE with conditional
    aggregates (one pass, a hash aggregate on PostgreSQL), then LEFT JOINed to the workers so
    idle workers keep a row with zeros; sums in exact cents; a LIMIT on the ranked result.
    Through the ORM the filters would land in the WHERE of the join (dropping idle workers)
    unless each aggregate carried its own ``filter=``, PostgreSQL would sort a million joined
    rows instead of hashing them (1.8 s against 0.5 s at 1M orders), and a float column
    cannot be summed exactly on SQLite.
    """
    conditions, params = _order_conditions(filters)
    where = " AND ".join(conditions) or "1 = 1"
    active = list(ACTIVE_STATUSES)
    worker_where = "w.dismissed_at IS NULL"
    worker_params: list = []
    if filters.post_id is not None:
        worker_where += " AND w.post_id = %s"
        worker_params.append(filters.post_id)
    cents = sql_cents("o.sum")
    sql = f"""
        WITH load AS (
            SELECT o.executor_id,
                   COUNT(*) AS orders,
                   COUNT(CASE WHEN o.status IN ({_placeholders(active)}) THEN 1 END) AS active_orders,
                   SUM(CASE WHEN o.status IN ({_placeholders(active)}) THEN {cents} ELSE 0 END) AS active_cents,
                   MAX(o.creation_date) AS last_order_at
            FROM orders_order o
            WHERE {where}
            GROUP BY o.executor_id
        )
        SELECT w.id, w.name, p.title,
               COALESCE(l.orders, 0) AS orders,
               COALESCE(l.active_orders, 0) AS active_orders,
               COALESCE(l.active_cents, 0) AS active_cents,
               l.last_order_at
        FROM staff_worker w
        JOIN staff_post p ON p.id = w.post_id
        LEFT JOIN load l ON l.executor_id = w.id
        WHERE {worker_where}
        ORDER BY active_orders DESC, active_cents DESC, w.id
        LIMIT %s
    """  # noqa: S608 - only fragments written in this module are interpolated; values are params
    rows = _run(sql, [*active, *active, *params, *worker_params, filters.top])
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

    Why SQL: the orders are aggregated per client once, in a CTE, before joining the
    clients, so a client's deposit is not repeated once per order (the classic double
    count of a JOIN + GROUP BY that the ORM produces when annotating two relations), and
    the ranking column is chosen from a fixed whitelist. Sums are in exact cents.
    """
    conditions, params = _order_conditions(filters)
    where = " AND ".join(conditions) or "1 = 1"
    active = list(ACTIVE_STATUSES)
    cents = sql_cents("o.sum")
    rank = CLIENT_RANKINGS[filters.rank_clients_by]
    sql = f"""
        WITH volume AS (
            SELECT o.client_id,
                   COUNT(*) AS orders,
                   SUM({cents}) AS total_cents,
                   SUM(CASE WHEN o.status IN ({_placeholders(active)}) THEN {cents} ELSE 0 END) AS active_cents
            FROM orders_order o
            WHERE {where}
            GROUP BY o.client_id
        )
        SELECT c.id, c.name, c.lastname,
               {sql_cents("c.sum")} AS deposit_cents,
               COALESCE(v.orders, 0) AS orders,
               COALESCE(v.total_cents, 0) AS total_cents,
               COALESCE(v.active_cents, 0) AS active_cents
        FROM clients_client c
        LEFT JOIN volume v ON v.client_id = c.id
        ORDER BY {rank} DESC, c.id
        LIMIT %s
    """  # noqa: S608 - only fragments written in this module are interpolated; values are params
    rows = _run(sql, [*active, *params, filters.top])
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
    row's month. ``GROUP BY 1, 2`` (by position) rather than repeating the month expression,
    so that its time-zone parameter appears once. Sums are in exact cents.
    """
    month, month_params = _month_sql("o.creation_date")
    conditions, params = _order_conditions(filters)
    where = " AND ".join(conditions) or "1 = 1"
    sql = f"""
        WITH monthly AS (
            SELECT {month} AS month, o.status AS status,
                   COUNT(*) AS orders, SUM({sql_cents("o.sum")}) AS cents
            FROM orders_order o
            WHERE {where}
            GROUP BY 1, 2
        )
        SELECT month, status, orders, cents,
               SUM(cents) OVER (PARTITION BY status ORDER BY month) AS status_running,
               SUM(cents) OVER (ORDER BY month) AS running
        FROM monthly
        ORDER BY month, status
    """  # noqa: S608 - only fragments written in this module are interpolated; values are params
    rows = _run(sql, [*month_params, *params])
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
