"""Reads for the staff pages (and anyone else who lists workers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from corpnet.listing import stable
from orders.models import ACTIVE_STATUSES, Order
from staff.filters import WorkerFilter
from staff.models import Post, Worker

#: Orders shown on a worker's page; the rest are one click away on the filtered order list.
LATEST_ORDERS = 20


def worker_filter(*, data) -> WorkerFilter:
    """The filtered worker list; invalid filter values are skipped and reported on the form."""
    # What the list and its CSV show: not the post's description nor the bookkeeping columns.
    shown = ("id", "name", "email", "phone", "dismissed_at", "active_order", "post", "post__title")
    return WorkerFilter(data, queryset=Worker.objects.select_related("post").only(*shown))


def worker_list(*, data) -> tuple[WorkerFilter, QuerySet]:
    filterset = worker_filter(data=data)
    return filterset, stable(filterset.qs)


def worker_get(*, pk: int) -> Worker:
    return get_object_or_404(Worker.objects.select_related("post"), pk=pk)


def worker_latest_orders(*, worker: Worker, limit: int = LATEST_ORDERS) -> list[Order]:
    return list(Order.objects.filter(executor=worker).select_related("client")[:limit])


# --- Staff management: history, delete page, posts ---------------------------

#: The worker's page shows this many most recent history records; the admin has them all.
HISTORY_SHOWN = 50
#: Columns whose changes are bookkeeping, not something a person did.
HISTORY_HIDDEN = {"version", "search"}
#: How many of a worker's orders the delete page names.
ORDERS_SHOWN = 50

_KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    history_id: int
    when: datetime
    who: Any
    kind: str
    kind_label: str
    changes: list[Change] = field(default_factory=list)
    restorable: bool = False


def _show(name: str, value: Any, posts: dict[int, str]) -> Any:
    if value in (None, ""):
        return "—"
    if name == "post":
        return posts.get(value, f"#{value}")
    if name == "active_order":
        return f"#{value}"
    if name == "phone":
        return getattr(value, "as_international", value)
    return value


def worker_history(*, worker: Worker, limit: int = HISTORY_SHOWN) -> list[HistoryEntry]:
    """The worker's history, newest first: who changed what, when, from what to what.

    At most two queries whatever the length: the records with their users, then the titles
    of the posts they mention other than the current one. Each record is diffed against the one before it in Python.
    """
    records = list(worker.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    # Most workers never change post: the current one comes with the worker (worker_get).
    posts = {worker.post_id: worker.post.title} if worker.post_id else {}
    other_ids = {r.post_id for r in records} - set(posts)
    if other_ids:
        posts.update(Post.objects.filter(pk__in=other_ids).values_list("pk", "title"))
    labels = {f.name: f.verbose_name for f in Worker._meta.fields}

    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            history_id=record.history_id,
            when=record.history_date,
            who=record.history_user,
            kind=record.history_type,
            kind_label=_KINDS.get(record.history_type, record.history_type),
            # The newest record is what the worker is now; restoring it would change nothing.
            restorable=index > 0 and record.history_type != "-",
        )
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, excluded_fields=HISTORY_HIDDEN)
            entry.changes = [
                Change(labels.get(c.field, c.field), _show(c.field, c.old, posts), _show(c.field, c.new, posts))
                for c in delta.changes
            ]
        entries.append(entry)
    return entries


def worker_orders_summary(*, worker: Worker, limit: int = ORDERS_SHOWN) -> tuple[list[Order], int, int]:
    """The worker's orders for the delete page: the first ``limit``, how many in all, how many active."""
    counts = Order.objects.filter(executor=worker).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES))
    )
    orders = list(Order.objects.filter(executor=worker).order_by("-creation_date", "-id")[:limit])
    return orders, counts["total"], counts["active"]


def post_list() -> list[Post]:
    """Every post with how many current workers hold it, in one query."""
    return list(
        Post.objects.annotate(
            worker_count=Count("workers", filter=Q(workers__dismissed_at__isnull=True)),
            dismissed_count=Count("workers", filter=Q(workers__dismissed_at__isnull=False)),
        ).order_by("title")
    )


def worker_restore_preview(*, worker: Worker, history_id) -> list[tuple[str, str, str]] | None:
    """What restoring one history record would change: (field label, now, then) for each
    restorable field that differs; None if the record does not exist (the service says so)."""
    from staff.services import RESTORABLE_FIELDS

    try:
        record = worker.history.get(history_id=history_id)
    except (Worker.history.model.DoesNotExist, ValueError, TypeError):
        return None
    posts = dict(Post.objects.filter(pk__in={worker.post_id, record.post_id}).values_list("pk", "title"))
    changes = []
    for attname in RESTORABLE_FIELDS:
        now, then = getattr(worker, attname), getattr(record, attname)
        if now == then:
            continue
        if attname == "post_id":
            now, then = posts.get(now, "—"), posts.get(then, "—")
        name = attname.removesuffix("_id")
        changes.append((Worker._meta.get_field(name).verbose_name, str(now), str(then)))
    return changes
