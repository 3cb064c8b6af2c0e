from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.exports import export_record
from clients import selectors, services
from clients.forms import ClientForm
from clients.models import Client
from clients.tables import ClientTable
from corpnet.csv_export import csv_response
from corpnet.listing import paginate
from corpnet.services import ConcurrentUpdateError
from orders.selectors import active_orders_of, with_active_count
from staff.forms import add_service_errors


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.client_list(data=request.GET)
    page = paginate(with_active_count(queryset, owner_field="client"), request.GET)
    table = ClientTable(page.rows, params=request.GET)
    return render(request, "clients/client_list.html", {"filter": filterset, "page": page, "table": table})


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(pk=pk)
    orders = selectors.client_latest_orders(client=client)
    active_orders, active_count = active_orders_of(client=client)
    context = {
        "client": client,
        "orders": orders,
        "more_orders": len(orders) >= selectors.LATEST_ORDERS,
        "active_orders": active_orders,
        "active_count": active_count,
        "active_url": f"{reverse('orders:list')}?client={client.pk}",
    }
    return render(request, "clients/client_detail.html", context)


@require_GET
@permission_required(["clients.view_client", "clients.export_client"], raise_exception=True)
def client_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.client_list(data=request.GET)
    # Recorded before the rows leave (an interrupted download counts too).
    export_record(request=request, what="clients.csv", row_count=queryset.count())
    return csv_response(ClientTable, queryset, "clients.csv")


# --- Adding and changing clients: managers and the admin ---------------------


def _client_url(client: Client) -> str:
    return reverse("clients:detail", args=[client.pk])


@permission_required("clients.add_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, initial={"sum": 0})
    if form.is_valid():
        try:
            client = services.client_create(**form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Client %(name)s has been added.") % {"name": f"{client.lastname} {client.name}"}
            )
            return redirect(_client_url(client))
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    if request.method == "GET":
        return render(request, "clients/client_form.html", {"form": ClientForm.for_client(client), "client": client})
    form = ClientForm(request.POST)
    if form.is_valid():
        try:
            client = services.client_update(
                client=client, data=form.service_data(), expected_version=form.cleaned_data["version"]
            )
        except ConcurrentUpdateError as exc:
            # Show what is saved now, with the refused input beside it to copy from.
            refused = [
                (form[name].label, form.cleaned_data[name]) for name in ("lastname", "name", "email", "phone", "sum")
            ]
            client = get_object_or_404(Client, pk=pk)
            context = {
                "form": ClientForm.for_client(client),
                "client": client,
                "stale": exc.messages,
                "refused": refused,
            }
            return render(request, "clients/client_form.html", context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Client %(name)s has been saved.") % {"name": f"{client.lastname} {client.name}"}
            )
            return redirect(_client_url(client))
    return render(request, "clients/client_form.html", {"form": form, "client": client})
