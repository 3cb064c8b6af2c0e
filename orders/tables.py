"""The order list's columns: the list page, the orders on a worker's or client's page, the CSV."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corpnet.display import person_name
from corpnet.tables import Column, Table
from orders.models import OrderStatus

_STATUS_LABELS = dict(OrderStatus.choices)


def _client_name(order) -> str:
    return person_name(order.client)


class OrderTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("title", _("Title"), sort="title", link=lambda o: reverse("orders:detail", args=[o.pk])),
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
            link=lambda o: reverse("staff:detail", args=[o.executor_id]),
        ),
        Column(
            "client",
            _("Client"),
            value=_client_name,
            sort="client",
            link=lambda o: reverse("clients:detail", args=[o.client_id]),
        ),
        Column("sum", _("Sum"), sort="sum", kind="money"),
    )
    empty = _("No orders match this filter.")
