"""Reads for the order pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from orders.filters import OrderFilter
from orders.models import Order


def stable(queryset: QuerySet) -> QuerySet:
    """Add the primary key as the last sort key, so that pages never repeat or skip rows."""
    if queryset.query.order_by:
        return queryset.order_by(*queryset.query.order_by, "-pk")
    return queryset


def order_list(*, data) -> tuple[OrderFilter, QuerySet]:
    """The filtered orders (active ones unless a status is asked for), with executor and client."""
    filterset = OrderFilter(data, queryset=Order.objects.select_related("executor", "client"))
    return filterset, stable(filterset.qs)


def order_get(*, pk: int) -> Order:
    return get_object_or_404(Order.objects.select_related("executor__post", "client"), pk=pk)
