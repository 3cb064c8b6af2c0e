"""The worker list's columns: the list page and its CSV."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corpnet.tables import Column, Table
from orders.tables import active_orders_column


class WorkerTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("name", _("Name"), sort="name", template="staff/_cell_worker_name.html", link_to=("staff:detail", "pk")),
        Column("post", _("Post"), value="post.title", sort="post"),
        Column("email", _("Email"), sort="email"),
        Column("phone", _("Phone"), value=lambda w: str(w.phone)),
        active_orders_column("executor"),
        Column("dismissed_at", _("Dismissed at"), kind="datetime", on_page=False),
    )
    empty = _("No workers match this filter.")

    def row_css(self, worker) -> str:
        return "muted" if worker.dismissed_at else ""
