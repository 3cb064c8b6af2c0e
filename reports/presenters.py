"""What the page shows, shaped from the report rows: the charts' geometry and the monthly pivot table.

Pure functions of the rows (no queries), so the page's query count is the reports' three.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from corpnet import charts
from orders.models import OrderStatus
from reports.selectors import ClientRow, MonthRow, WorkloadRow

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Cell:
    orders: int
    volume: Decimal


@dataclass(frozen=True)
class MonthLine:
    month: str
    cells: list[Cell]  # one per status in MonthTable.statuses
    orders: int
    volume: Decimal
    running_total: Decimal


@dataclass(frozen=True)
class MonthTable:
    statuses: list[tuple[str, str]]  # (value, label), in OrderStatus order
    lines: list[MonthLine]


def statuses_shown(selected: tuple[str, ...]) -> list[tuple[str, str]]:
    """The status columns: those asked for, or every status when none was."""
    wanted = set(selected) or set(OrderStatus.values)
    return [(value, str(label)) for value, label in OrderStatus.choices if value in wanted]


def month_table(rows: list[MonthRow], selected: tuple[str, ...]) -> MonthTable:
    """One line per month with a cell per status; the SQL's running total is per month already."""
    statuses = statuses_shown(selected)
    by_month: dict[str, dict[str, MonthRow]] = {}
    for row in rows:
        by_month.setdefault(row.month, {})[row.status] = row
    lines = []
    for month, cells in by_month.items():  # rows arrive ordered by month
        shown = [cells.get(value) for value, _label in statuses]
        lines.append(
            MonthLine(
                month=month,
                cells=[Cell(r.orders, r.volume) if r else Cell(0, ZERO) for r in shown],
                orders=sum(r.orders for r in cells.values()),
                volume=sum((r.volume for r in cells.values()), ZERO),
                running_total=next(iter(cells.values())).running_total,
            )
        )
    return MonthTable(statuses=statuses, lines=lines)


def workload_chart(rows: list[WorkloadRow]) -> charts.BarChart:
    return charts.bar_chart(
        ident="workload",
        title=_("Active order sum per worker"),
        labels=[r.name for r in rows],
        series=[(_("Active sum"), [r.active_sum for r in rows])],
        empty=_("No workers match the filters."),
    )


def clients_chart(rows: list[ClientRow]) -> charts.BarChart:
    return charts.bar_chart(
        ident="clients",
        title=_("Deposit and order volume per client"),
        labels=[r.full_name for r in rows],
        series=[
            (_("Deposit"), [r.deposit for r in rows]),
            (_("Total volume"), [r.total_volume for r in rows]),
            (_("Active volume"), [r.active_volume for r in rows]),
        ],
        empty=_("No clients match the filters."),
    )


def months_chart(rows: list[MonthRow]) -> charts.LineChart:
    """Running totals: one line per status and one for all of them, carried through quiet months."""
    months = _month_span(sorted({r.month for r in rows}))
    by_status: dict[str, dict[str, Decimal]] = {}
    overall: dict[str, Decimal] = {}
    for r in rows:
        by_status.setdefault(r.status, {})[r.month] = r.status_running_total
        overall[r.month] = r.running_total
    labels = dict(OrderStatus.choices)
    series = [(str(labels[s]), _carried(months, by_status[s])) for s in OrderStatus.values if s in by_status]
    if months:
        series.append((_("All shown statuses"), _carried(months, overall)))
    return charts.line_chart(
        ident="months",
        title=_("Running total of order volume by month"),
        x_labels=months,
        series=series,
        empty=_("No orders match the filters."),
    )


def _month_span(months: list[str], limit: int = 600) -> list[str]:
    """Every month from the first to the last, so that the x axis is proportional to time.

    Past ``limit`` months (fifty years) only the months with orders are drawn: a line
    across centuries would be thousands of points nobody can read.
    """
    if not months:
        return []
    (y0, m0), (y1, m1) = (map(int, months[0].split("-")), map(int, months[-1].split("-")))
    count = (y1 - y0) * 12 + (m1 - m0) + 1
    if count > limit:
        return months
    return [f"{y0 + (m0 - 1 + i) // 12:04d}-{(m0 - 1 + i) % 12 + 1:02d}" for i in range(count)]


def _carried(months: list[str], points: dict[str, Decimal]) -> list[Decimal]:
    values, last = [], ZERO
    for month in months:
        last = points.get(month, last)
        values.append(last)
    return values
