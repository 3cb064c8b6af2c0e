from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from corpnet.reports import charts, sql
from corpnet.reports.forms import ReportFilterForm
from orders.models import OrderStatus


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """All three reports on one page; any logged-in employee may read them (login is global)."""
    form = ReportFilterForm(request.GET)
    form.is_valid()  # invalid fields are shown with their errors and left out of the filters
    filters = form.report_filters()
    workload = sql.workload_per_worker(filters)
    clients = sql.client_volumes(filters)
    months = sql.orders_per_month(filters)
    context = {
        "form": form,
        "filters": filters,
        "workload": workload,
        "clients": clients,
        "months": months,
        "workload_chart": _workload_chart(workload),
        "clients_chart": _clients_chart(clients),
        "months_chart": _months_chart(months),
    }
    return render(request, "reports/index.html", context)


def _workload_chart(rows: list[sql.WorkloadRow]):
    return charts.bar_chart(
        ident="workload",
        title=_("Active order sum per worker"),
        labels=[r.name for r in rows],
        series=[(_("Active sum"), [r.active_sum for r in rows])],
        empty=_("No workers match the filters."),
    )


def _clients_chart(rows: list[sql.ClientRow]):
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


def _months_chart(rows: list[sql.MonthRow]):
    """One line per status plus the overall line, each carried forward through months without orders."""
    months = sorted({r.month for r in rows})
    labels = dict(OrderStatus.choices)
    by_status: dict[str, dict[str, object]] = {}
    overall: dict[str, object] = {}
    for r in rows:
        by_status.setdefault(r.status, {})[r.month] = r.status_running_total
        overall[r.month] = r.running_total
    series = []
    for status in [s for s in OrderStatus.values if s in by_status]:
        series.append((str(labels[status]), _carried(months, by_status[status])))
    series.append((_("All shown statuses"), _carried(months, overall)))
    return charts.line_chart(
        ident="months",
        title=_("Running total of order volume by month"),
        x_labels=months,
        series=series if months else [],
        empty=_("No orders match the filters."),
    )


def _carried(months: list[str], points: dict) -> list:
    values, last = [], 0
    for month in months:
        last = points.get(month, last)
        values.append(last)
    return values
