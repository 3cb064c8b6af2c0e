"""Reads for the client pages (and anyone else who lists clients)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clients.filters import ClientFilter
from clients.models import Client
from corpnet.listing import stable
from orders.models import Order

#: Orders shown on a client's page; the rest are one click away on the filtered order list.
LATEST_ORDERS = 20


def client_list(*, data) -> tuple[ClientFilter, QuerySet]:
    # What the list and its CSV show, not the bookkeeping columns (search, version).
    shown = ("id", "lastname", "name", "email", "phone", "sum", "mailing_opt_out", "active_order")
    filterset = ClientFilter(data, queryset=Client.objects.only(*shown))
    return filterset, stable(filterset.qs)


def client_get(*, pk: int) -> Client:
    return get_object_or_404(Client, pk=pk)


def client_latest_orders(*, client: Client, limit: int = LATEST_ORDERS) -> list[Order]:
    return list(Order.objects.filter(client=client).select_related("executor")[:limit])
