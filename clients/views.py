from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clients import selectors
from clients.tables import ClientTable
from corpnet.csv_export import csv_response
from corpnet.listing import paginate


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.client_list(data=request.GET)
    page = paginate(queryset, request.GET)
    table = ClientTable(page.rows, params=request.GET)
    return render(request, "clients/client_list.html", {"filter": filterset, "page": page, "table": table})


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
@permission_required("clients.view_client", raise_exception=True)
def client_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.client_list(data=request.GET)
    return csv_response(ClientTable, queryset, "clients.csv")
