from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from corpnet.listing import Column, csv_response, paginate, sort_columns
from orders import selectors


def _columns() -> list[Column]:
    return [
        Column("id", _("ID"), numeric=True),
        Column("title", _("Title")),
        Column("status", _("Status")),
        Column("created", _("Created")),
        Column("executor", _("Executor")),
        Column("client", _("Client")),
        Column("sum", _("Sum"), numeric=True),
    ]


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.order_list(data=request.GET)
    page = paginate(queryset, request.GET, fetch=selectors.order_page_fetcher(filterset, queryset), estimate=True)
    page.columns = sort_columns(_columns(), request.GET)
    return render(request, "orders/order_list.html", {"filter": filterset, "page": page})


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "orders/order_detail.html", {"order": selectors.order_get(pk=pk)})


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.order_list(data=request.GET)
    return csv_response(
        filename="orders.csv",
        header=[_("ID"), _("Title"), _("Status"), _("Created"), _("Executor"), _("Client"), _("Sum")],
        queryset=queryset,
        row=lambda o: [
            o.pk,
            o.title,
            o.get_status_display(),
            o.creation_date.isoformat(),
            o.executor.name,
            f"{o.client.lastname} {o.client.name}",
            o.sum,
        ],
    )
