from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clients import selectors
from corpnet.listing import Column, csv_response, paginate, sort_columns


def _columns() -> list[Column]:
    return [
        Column("id", _("ID"), numeric=True),
        Column("lastname", _("Last name")),
        Column("name", _("Name")),
        Column("email", _("Email")),
        Column("", _("Phone")),
        Column("sum", _("Deposit"), numeric=True),
        Column("", _("Active order")),
    ]


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.client_list(data=request.GET)
    page = paginate(queryset, request.GET, estimate=True)
    page.columns = sort_columns(_columns(), request.GET)
    return render(request, "clients/client_list.html", {"filter": filterset, "page": page})


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(pk=pk)
    orders = selectors.client_latest_orders(client=client)
    return render(
        request,
        "clients/client_detail.html",
        {"client": client, "orders": orders, "more_orders": len(orders) >= selectors.LATEST_ORDERS},
    )


@require_GET
@permission_required(["clients.view_client", "clients.export_client"], raise_exception=True)
def client_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.client_list(data=request.GET)
    return csv_response(
        filename="clients.csv",
        header=[_("ID"), _("Last name"), _("Name"), _("Email"), _("Phone"), _("Deposit"), _("Opted out of mailings")],
        queryset=queryset,
        row=lambda c: [c.pk, c.lastname, c.name, c.email, c.phone, c.sum, _("yes") if c.mailing_opt_out else _("no")],
    )
