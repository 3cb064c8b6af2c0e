"""The worker list's columns: the list page and its CSV."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corpnet.tables import Column, Table


def _active_orders(row) -> str:
    # Set for the page's rows by orders.selectors.count_active_orders; the CSV leaves it out.
    return str(row.active_count) if getattr(row, "active_count", 0) else ""


def _active_orders_url(row) -> str:
    # The order list's default status is "active": this is exactly the orders counted.
    return f"{reverse('orders:list')}?executor={row.pk}" if getattr(row, "active_count", 0) else ""


class WorkerTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("name", _("Name"), sort="name", template="staff/_cell_worker_name.html"),
        Column("post", _("Post"), value="post.title", sort="post"),
        Column("email", _("Email"), sort="email"),
        Column("phone", _("Phone"), value=lambda w: str(w.phone)),
        Column(
            "active_orders",
            _("Active orders"),
            value=_active_orders,
            link=_active_orders_url,
            kind="number",
            in_csv=False,
        ),
        Column("dismissed_at", _("Dismissed at"), kind="datetime", on_page=False),
    )
    empty = _("No workers match this filter.")

    def row_css(self, worker) -> str:
        return "muted" if worker.dismissed_at else ""
