from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prices.selectors import home_prices
from reports import presenters
from reports import selectors as sql
from reports.forms import ReportFilterForm

#: The home figures and the reports show workers, clients and orders: whoever reads them must
#: be allowed to see all three (every role is; a user with no group is not).
FIGURES_PERMISSIONS = ("staff.view_worker", "clients.view_client", "orders.view_order")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perms(FIGURES_PERMISSIONS):
        # Logged in but given no role yet: a note saying so, and no company data.
        return render(request, "home.html", {"no_role": True})
    return render(
        request, "home.html", {"figures": sql.dashboard_figures(), "latest_prices": home_prices(user=request.user)}
    )


@require_GET
@permission_required(FIGURES_PERMISSIONS, raise_exception=True)
def reports(request: HttpRequest) -> HttpResponse:
    """All three reports on one page, for anyone who may see workers, clients and orders."""
    form = ReportFilterForm(request.GET)
    form.is_valid()  # invalid fields are shown with their errors and left out of the filters
    filters = form.report_filters()
    workload = sql.workload_per_worker(filters)
    clients = sql.client_volumes(filters)
    months = sql.orders_per_month(filters)
    context = {
        "form": form,
        "filters": filters,
        "time_zone": settings.TIME_ZONE,
        "workload": workload,
        "clients": clients,
        "months": months,
        "month_table": presenters.month_table(months, filters.statuses),
        "workload_chart": presenters.workload_chart(workload),
        "clients_chart": presenters.clients_chart(clients),
        "months_chart": presenters.months_chart(months),
    }
    return render(request, "reports/index.html", context)
