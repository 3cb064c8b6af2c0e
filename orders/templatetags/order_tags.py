"""The orders on a worker's or client's page, in the order list's columns."""

from __future__ import annotations

from django import template

from orders.tables import OrderTable

register = template.Library()


@register.simple_tag
def order_table(orders, exclude: str = "") -> OrderTable:
    """``{% order_table orders exclude="executor" as table %}``: the list's table without those columns."""
    return OrderTable(orders, exclude=exclude.split(",") if exclude else ())
