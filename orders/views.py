from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from corpnet.csv_export import csv_response
from corpnet.listing import paginate
from orders import selectors
from orders.tables import OrderTable


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.order_list(data=request.GET)
    page = paginate(queryset, request.GET)
    table = OrderTable(page.rows, params=request.GET)
    return render(request, "orders/order_list.html", {"filter": filterset, "page": page, "table": table})


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "orders/order_detail.html", {"order": selectors.order_get(pk=pk)})


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.order_list(data=request.GET)
    return csv_response(OrderTable, queryset, "orders.csv")
