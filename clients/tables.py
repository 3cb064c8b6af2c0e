"""The client list's columns: the list page and its CSV."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corpnet.tables import Column, Table


def _active_orders(row) -> str:
    # Set for the page's rows by orders.selectors.count_active_orders; the CSV leaves it out.
    return str(row.active_count) if getattr(row, "active_count", 0) else ""


def _active_orders_url(row) -> str:
    # The order list's default status is "active": this is exactly the orders counted.
    return f"{reverse('orders:list')}?client={row.pk}" if getattr(row, "active_count", 0) else ""


class ClientTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("lastname", _("Last name"), sort="lastname", link=lambda c: reverse("clients:detail", args=[c.pk])),
        Column("name", _("Name"), sort="name"),
        Column("email", _("Email"), sort="email"),
        Column("phone", _("Phone"), value=lambda c: str(c.phone)),
        Column("sum", _("Deposit"), sort="sum", kind="money"),
        Column(
            "active_orders",
            _("Active orders"),
            value=_active_orders,
            link=_active_orders_url,
            kind="number",
            in_csv=False,
        ),
        Column(
            "mailing_opt_out",
            _("Opted out of mailings"),
            value=lambda c: _("yes") if c.mailing_opt_out else _("no"),
            on_page=False,
        ),
    )
    empty = _("No clients match this filter.")
