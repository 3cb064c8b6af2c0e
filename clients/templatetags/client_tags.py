"""The client list's rows, rendered in Python (why: see orders/templatetags/order_tags.py)."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def client_rows(clients) -> SafeString:
    """``<tr>`` per client: id, last name, name, email, phone, deposit, active order."""
    clients_url, orders_url = reverse("clients:list"), reverse("orders:list")
    rows = []
    for c in clients:
        active = f'<a href="{orders_url}{c.active_order_id}/">#{c.active_order_id}</a>' if c.active_order_id else ""
        # Money has two decimal places: the same text as {{ sum|floatformat:"2g" }}.
        deposit = number_format(c.sum, 2, force_grouping=True)
        rows.append(
            f'<tr><td class="num">{c.pk}</td><td><a href="{clients_url}{c.pk}/">{escape(c.lastname)}</a></td>'
            f"<td>{escape(c.name)}</td><td>{escape(c.email)}</td><td>{escape(str(c.phone))}</td>"
            f'<td class="num">{escape(deposit)}</td><td>{active}</td></tr>'
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 -- every value above is escaped
