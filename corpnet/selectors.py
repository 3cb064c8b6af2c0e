"""Reads that span several apps (the home page's figures)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from clients.models import Client
from orders.models import Order
from staff.models import Worker


@dataclass(frozen=True)
class DashboardFigures:
    workers: int
    clients: int
    active_orders: int
    total_deposits: Decimal


def dashboard_figures() -> DashboardFigures:
    return DashboardFigures(
        workers=Worker.objects.current().count(),
        clients=Client.objects.count(),
        active_orders=Order.objects.active().count(),
        total_deposits=Client.objects.aggregate(total=Sum("sum"))["total"] or Decimal("0"),
    )
