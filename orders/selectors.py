"""Reads for the order pages."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from corpnet.listing import stable
from orders.filters import OrderFilter
from orders.models import Order

#: The columns the order list and its CSV show. Loading only these skips the description and,
#: above all, the executor's and client's phone numbers, which phonenumber-field would parse
#: for every row (a tenth of the page's CPU) only for the list not to show them.
LIST_FIELDS = (
    "id",
    "title",
    "status",
    "creation_date",
    "sum",
    "executor",
    "executor__name",
    "client",
    "client__name",
    "client__lastname",
)


def order_list(*, data) -> tuple[OrderFilter, QuerySet]:
    """The filtered orders (active ones unless a status is asked for), with executor and client."""
    filterset = OrderFilter(data, queryset=Order.objects.select_related("executor", "client").only(*LIST_FIELDS))
    return filterset, stable(filterset.qs)


def order_get(*, pk: int) -> Order:
    return get_object_or_404(Order.objects.select_related("executor__post", "client"), pk=pk)


#: How many of someone's active orders their page names; the rest are one link away.
ACTIVE_SHOWN = 5


def active_orders_of(**owner) -> tuple[list[Order], int]:
    """A worker's (``executor=``) or client's (``client=``) active orders, newest first, and how
    many there are: the first ``ACTIVE_SHOWN`` in one query, counted only when there are more."""
    queryset = Order.objects.filter(**owner, active=True).order_by("-creation_date", "-id")
    orders = list(queryset.only("id", "title", "status", "creation_date")[: ACTIVE_SHOWN + 1])
    count = len(orders) if len(orders) <= ACTIVE_SHOWN else queryset.count()
    return orders[:ACTIVE_SHOWN], count


def with_active_count(queryset: QuerySet, *, owner_field: str) -> QuerySet:
    """``queryset`` of workers or clients with ``active_count``: how many active orders each
    has, counted by the database in the page's own query from the (owner, active, …) index."""
    counted = (
        Order.objects.filter(**{owner_field: OuterRef("pk")}, active=True)
        .order_by()
        .values(owner_field)
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(active_count=Coalesce(Subquery(counted), 0))
