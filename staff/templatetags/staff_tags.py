"""The worker list's rows, rendered in Python (why: see orders/templatetags/order_tags.py)."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def worker_rows(workers) -> SafeString:
    """``<tr>`` per worker: id, name (+ "dismissed"), post, email, phone, active order."""
    staff_url, orders_url = reverse("staff:list"), reverse("orders:list")
    dismissed = f' <span class="tag">{escape(gettext("dismissed"))}</span>'
    muted = ' class="muted"'
    rows = []
    for w in workers:
        active = f'<a href="{orders_url}{w.active_order_id}/">#{w.active_order_id}</a>' if w.active_order_id else ""
        rows.append(
            f'<tr{muted if w.dismissed_at else ""}><td class="num">{w.pk}</td>'
            f'<td><a href="{staff_url}{w.pk}/">{escape(w.name)}</a>{dismissed if w.dismissed_at else ""}</td>'
            f"<td>{escape(w.post.title)}</td><td>{escape(w.email)}</td><td>{escape(str(w.phone))}</td>"
            f"<td>{active}</td></tr>"
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 -- every value above is escaped
