"""Reads for the staff pages (and anyone else who lists workers)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from orders.models import Order
from staff.filters import WorkerFilter
from staff.models import Worker

#: Orders shown on a worker's page; the rest are one click away on the filtered order list.
LATEST_ORDERS = 20


def stable(queryset: QuerySet) -> QuerySet:
    """Add the primary key as the last sort key, so that pages never repeat or skip rows."""
    if queryset.query.order_by:
        return queryset.order_by(*queryset.query.order_by, "pk")
    return queryset


def worker_filter(*, data) -> WorkerFilter:
    """The filtered worker list; invalid filter values are skipped and reported on the form."""
    return WorkerFilter(data, queryset=Worker.objects.select_related("post"))


def worker_list(*, data) -> tuple[WorkerFilter, QuerySet]:
    filterset = worker_filter(data=data)
    return filterset, stable(filterset.qs)


def worker_get(*, pk: int) -> Worker:
    return get_object_or_404(Worker.objects.select_related("post", "active_order"), pk=pk)


def worker_latest_orders(*, worker: Worker, limit: int = LATEST_ORDERS) -> list[Order]:
    return list(Order.objects.filter(executor=worker).select_related("client")[:limit])
