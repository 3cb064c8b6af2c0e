"""The order list's columns: the list page, the orders on a worker's or client's page, the CSV."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corpnet.display import person_name
from corpnet.tables import Column, Table
from orders.models import OrderStatus

_STATUS_LABELS = dict(OrderStatus.choices)


def active_orders_column(owner: str) -> Column:
    """A worker's (``owner="executor"``) or client's (``"client"``) active orders on their list:
    how many, linked to the order list filtered to exactly those. ``active_count`` is the
    annotation ``orders.selectors.with_active_count`` adds to the page's query; the CSV leaves
    it out."""

    def count(row) -> str:
        return str(row.active_count) if getattr(row, "active_count", 0) else ""

    def url(row) -> str:
        # The order list's default status is "active": this is exactly the orders counted.
        return f"{reverse('orders:list')}?{owner}={row.pk}" if getattr(row, "active_count", 0) else ""

    return Column("active_orders", _("Active orders"), value=count, link=url, kind="number", in_csv=False)


def _client_name(order) -> str:
    return person_name(order.client)


class OrderTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("title", _("Title"), sort="title", link_to=("orders:detail", "pk")),
        Column(
            "status",
            _("Status"),
            value=lambda o: _STATUS_LABELS.get(o.status, o.status),
            sort="status",
            kind="status",
            raw=lambda o: o.status,
        ),
        Column("created", _("Created"), value="creation_date", sort="created", kind="datetime"),
        Column(
            "executor",
            _("Executor"),
            value="executor.name",
            sort="executor",
            link_to=("staff:detail", "executor_id"),
        ),
        Column(
            "client",
            _("Client"),
            value=_client_name,
            sort="client",
            link_to=("clients:detail", "client_id"),
        ),
        Column("sum", _("Sum"), sort="sum", kind="money"),
    )
    empty = _("No orders match this filter.")
