"""The client list's columns: the list page and its CSV."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corpnet.tables import Column, Table
from orders.tables import active_orders_column


class ClientTable(Table):
    columns = (
        Column("id", _("ID"), sort="id", kind="number"),
        Column("lastname", _("Last name"), sort="lastname", link_to=("clients:detail", "pk")),
        Column("name", _("Name"), sort="name"),
        Column("email", _("Email"), sort="email"),
        Column("phone", _("Phone"), value=lambda c: str(c.phone)),
        Column("sum", _("Deposit"), sort="sum", kind="money"),
        active_orders_column("client"),
        Column(
            "mailing_opt_out",
            _("Opted out of mailings"),
            value=lambda c: _("yes") if c.mailing_opt_out else _("no"),
            on_page=False,
        ),
    )
    empty = _("No clients match this filter.")
