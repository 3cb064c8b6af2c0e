"""Reads that span several apps (the home page's figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from clients.models import Client
from orders.models import Order
from staff.models import Worker

#: How long the home page's figures are reused. Exact COUNT(*)s and a SUM over a million
#: orders and 100,000 clients cost ~100 ms on PostgreSQL, on the page everyone opens first;
#: a minute-old figure, labelled with its time, is as useful and costs nothing.
FIGURES_SECONDS = 60
_CACHE_KEY = "corpnet:dashboard-figures:v1"


@dataclass(frozen=True)
class DashboardFigures:
    workers: int
    clients: int
    active_orders: int
    total_deposits: Decimal
    as_of: datetime


def dashboard_figures_compute() -> DashboardFigures:
    """The exact figures, now: three queries (the clients' count and deposits in one)."""
    clients = Client.objects.aggregate(count=Count("pk"), total=Sum("sum"))
    return DashboardFigures(
        workers=Worker.objects.current().count(),
        clients=clients["count"],
        active_orders=Order.objects.active().count(),
        total_deposits=clients["total"] or Decimal("0"),
        as_of=timezone.now(),
    )


def dashboard_figures() -> DashboardFigures:
    """The figures as of at most FIGURES_SECONDS ago (per server process; the page says when)."""
    figures = cache.get(_CACHE_KEY)
    if figures is None:
        figures = dashboard_figures_compute()
        cache.set(_CACHE_KEY, figures, FIGURES_SECONDS)
    return figures
