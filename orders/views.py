from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import Client
from clients.selectors import client_list
from corpnet.csv_export import csv_response
from corpnet.listing import paginate
from corpnet.services import ConcurrentUpdateError
from orders import selectors, services
from orders.forms import OrderForm, client_label, clients_found, executor_label, executors_found
from orders.models import Order, OrderStatus
from orders.tables import OrderTable
from staff.forms import add_service_errors


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
    order = selectors.order_get(pk=pk)
    moves = [(status, OrderStatus(status).label) for status in services.next_statuses(order)]
    return render(request, "orders/order_detail.html", {"order": order, "moves": moves})


@require_GET
@permission_required("orders.view_order", raise_exception=True)
def order_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.order_list(data=request.GET)
    return csv_response(OrderTable, queryset, "orders.csv")


# --- Opening and changing orders: managers and the admin ---------------------

#: How many clients the "open an order" page's client finder lists.
CLIENTS_FOUND = 20


def _order_url(order: Order) -> str:
    return reverse("orders:detail", args=[order.pk])


def _find_client(request: HttpRequest) -> HttpResponse:
    """No client chosen yet: find one by name (the clients page's filter), then open the order."""
    query = request.GET.get("q", "").strip()
    found = None
    if query:
        _filterset, queryset = client_list(data={"name": query})
        found = list(queryset[:CLIENTS_FOUND])
    return render(request, "orders/order_find_client.html", {"query": query, "found": found})


@permission_required("orders.add_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    client_id = request.GET.get("client", "")
    if not client_id.isdigit():
        return _find_client(request)
    client = get_object_or_404(Client, pk=int(client_id))
    form = OrderForm(request.POST or None)
    if form.is_valid():
        try:
            order = services.order_create(client=client, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Order %(order)s has been opened.") % {"order": order})
            return redirect(_order_url(order))
    return render(request, "orders/order_form.html", {"form": form, "order": None, "client": client})


@permission_required("orders.change_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(pk=pk)
    context = {"order": order, "client": order.client}
    if request.method == "GET":
        return render(request, "orders/order_form.html", {**context, "form": OrderForm.for_order(order)})
    form = OrderForm(request.POST, order=order)
    if form.is_valid():
        try:
            order = services.order_update(
                order=order, data=form.service_data(), expected_version=form.cleaned_data["version"]
            )
        except ConcurrentUpdateError as exc:
            refused = [(form[name].label, form.cleaned_data[name]) for name in ("title", "client", "executor", "sum")]
            order = selectors.order_get(pk=pk)
            fresh = {"order": order, "client": order.client, "form": OrderForm.for_order(order)}
            return render(
                request, "orders/order_form.html", {**fresh, "stale": exc.messages, "refused": refused}, status=409
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Order %(order)s has been saved.") % {"order": order})
            return redirect(_order_url(order))
    return render(request, "orders/order_form.html", {**context, "form": form})


@permission_required("orders.change_order", raise_exception=True)
@require_POST
def order_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an order to its next status: the first POST (a button on the order's page) asks to
    confirm, the second (``confirm``) does it."""
    order = selectors.order_get(pk=pk)
    status, version = request.POST.get("status", ""), request.POST.get("version", "")
    if status not in services.next_statuses(order):
        messages.error(
            request,
            _("Order %(order)s is %(status)s now and cannot be moved that way; choose again.")
            % {"order": order, "status": order.get_status_display().lower()},
        )
        return redirect(_order_url(order))
    if not request.POST.get("confirm"):
        context = {"order": order, "status": status, "status_label": OrderStatus(status).label, "version": version}
        return render(request, "orders/order_status_confirm.html", context)
    try:
        order = services.order_set_status(
            order=order, status=status, expected_version=int(version) if version.isdigit() else None
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Order %(order)s is now %(status)s.") % {"order": order, "status": order.get_status_display().lower()},
        )
    return redirect(_order_url(order))


# --- Finders: the executor and client fields' lists, filled by static/js/finder.js ------------


def _found(request: HttpRequest, search, label) -> JsonResponse:
    """Up to ``forms.FOUND`` matches for ``?q=`` as the field's choices, in one or two queries."""
    user = request.user
    if not (user.has_perm("orders.add_order") or user.has_perm("orders.change_order")):
        raise PermissionDenied
    found = search(request.GET.get("q", "")[:200])
    return JsonResponse({"results": [{"id": item.pk, "label": label(item)} for item in found]})


@require_GET
@login_required
def find_executors(request: HttpRequest) -> JsonResponse:
    return _found(request, executors_found, executor_label)


@require_GET
@login_required
def find_clients(request: HttpRequest) -> JsonResponse:
    return _found(request, clients_found, client_label)
