"""The worker list's columns: the list page and its CSV."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corpnet.tables import Column, Table


def _active_order(worker) -> str:
    return f"#{worker.active_order_id}" if worker.active_order_id else ""


def _active_order_url(worker) -> str:
    return reverse("orders:detail", args=[worker.active_order_id]) if worker.active_order_id else ""


class WorkerTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("name", _("Name"), sort="name", template="staff/_cell_worker_name.html"),
        Column("post", _("Post"), value="post.title", sort="post"),
        Column("email", _("Email"), sort="email"),
        Column("phone", _("Phone"), value=lambda w: str(w.phone)),
        Column("active_order", _("Active order"), value=_active_order, link=_active_order_url, in_csv=False),
        Column("dismissed_at", _("Dismissed at"), kind="datetime", on_page=False),
    )
    empty = _("No workers match this filter.")

    def row_css(self, worker) -> str:
        return "muted" if worker.dismissed_at else ""
