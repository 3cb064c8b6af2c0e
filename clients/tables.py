"""The client list's columns: the list page and its CSV."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corpnet.tables import Column, Table


def _active_order(client) -> str:
    return f"#{client.active_order_id}" if client.active_order_id else ""


def _active_order_url(client) -> str:
    return reverse("orders:detail", args=[client.active_order_id]) if client.active_order_id else ""


class ClientTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("lastname", _("Last name"), sort="lastname", link=lambda c: reverse("clients:detail", args=[c.pk])),
        Column("name", _("Name"), sort="name"),
        Column("email", _("Email"), sort="email"),
        Column("phone", _("Phone"), value=lambda c: str(c.phone)),
        Column("sum", _("Deposit"), sort="sum", kind="money"),
        Column("active_order", _("Active order"), value=_active_order, link=_active_order_url, in_csv=False),
        Column(
            "mailing_opt_out",
            _("Opted out of mailings"),
            value=lambda c: _("yes") if c.mailing_opt_out else _("no"),
            on_page=False,
        ),
    )
    empty = _("No clients match this filter.")
