"""Every write to posts and workers goes through here: pages, admin, API and commands alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from corpnet.services import NAMED_BLOCKERS, ConcurrentUpdateError, delete_unless_referenced, update_versioned
from orders.models import ACTIVE_STATUSES, Order
from orders.services import sync_active_orders
from staff.models import Post, Worker


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if isinstance(data.get("email"), str):
        data["email"] = data["email"].strip().lower()
    if isinstance(data.get("name"), str):
        data["name"] = " ".join(data["name"].split())
    return data


def _check_post_title(post: Post) -> None:
    """A title is taken whatever its case: the error is shown on the title field (the database
    constraint ``post_title_ci_unique`` is the guarantee; its own error would be form-wide)."""
    # Compared in Python: SQLite's LOWER and iexact fold only ASCII, and a company has tens
    # of posts, not thousands.
    wanted = str(post.title).casefold()
    if any(other.casefold() == wanted for other in Post.objects.exclude(pk=post.pk).values_list("title", flat=True)):
        raise ValidationError({"title": _("A post with this title already exists.")}, code="unique")


@transaction.atomic
def post_create(*, title: str, description: str = "") -> Post:
    post = Post(title=" ".join(title.split()), description=description)
    _check_post_title(post)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_update(*, post: Post, data: dict[str, Any]) -> Post:
    for field, value in data.items():
        setattr(post, field, value)
    if isinstance(post.title, str):
        post.title = " ".join(post.title.split())
    _check_post_title(post)
    post.full_clean()
    post.save()
    return post


def post_delete(*, post: Post) -> None:
    delete_unless_referenced(post, what=_("Post “%(title)s”") % {"title": post.title})


@transaction.atomic
def worker_create(*, name: str, phone: Any, email: str, post: Post, active_order=None) -> Worker:
    data = _normalise({"name": name, "phone": phone, "email": email})
    worker = Worker(post=post, **data)
    worker.full_clean()
    worker.save()
    if active_order is not None:
        worker = worker_update(worker=worker, data={"active_order": active_order}, expected_version=None)
    return worker


def worker_update(*, worker: Worker, data: dict[str, Any], expected_version: int | None = None) -> Worker:
    return update_versioned(worker, data=_normalise(data), expected_version=expected_version)


def worker_delete(*, worker: Worker) -> None:
    delete_unless_referenced(worker, what=_("Worker “%(name)s”") % {"name": worker.name})


def _move_active_orders(*, source: Worker, target: Worker) -> list[Order]:
    """Hand every active order of ``source`` to ``target``, with one history row per order.

    Batched UPDATEs and history INSERTs instead of a save per order: a worker who leaves
    with a thousand open orders is handed over in ~20 queries, not ~16,000
    (``bench/staff_reassign.py``).
    """
    orders = list(Order.objects.select_for_update().filter(executor=source, status__in=ACTIVE_STATUSES).order_by("pk"))
    for order in orders:
        order.executor = target
        order.version += 1
    if orders:
        bulk_update_with_history(orders, Order, ["executor", "version"], batch_size=500)
    # ``active_order`` may only point at one's own active order: the source loses it, and the
    # target names one of theirs (the one they already had, or the newest).
    sync_active_orders(workers=[source.pk, target.pk])
    for worker in (source, target):
        worker.refresh_from_db(fields=["active_order", "version"])
    return orders


def _lock_with_target(
    worker: Worker, target: Worker | None, *, expected_version: int | None
) -> tuple[Worker, Worker | None]:
    """Lock the worker handing over and the one taking over, always in id order.

    Two hand-overs in opposite directions at the same moment then queue up instead of
    deadlocking each other.
    """
    pks = {worker.pk} | ({target.pk} if target is not None else set())
    locked = {w.pk: w for w in Worker.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    source = locked[worker.pk]
    if expected_version is not None and source.version != expected_version:
        raise ConcurrentUpdateError()
    return source, (locked.get(target.pk) if target is not None else None)


def _check_target(source: Worker, target: Worker | None) -> Worker:
    if target is None:
        raise ValidationError({"to": _("Choose the worker who takes over the orders.")}, code="required")
    if target.pk == source.pk:
        raise ValidationError({"to": _("Choose another worker than the one handing over.")}, code="same")
    if target.is_dismissed:
        raise ValidationError(
            {"to": _("%(name)s has been dismissed; choose a current worker.") % {"name": target.name}},
            code="dismissed",
        )
    return target


def worker_reassign_orders(*, worker: Worker, to: Worker | None, expected_version: int | None = None) -> list[Order]:
    """Move ``worker``'s active (new or in-progress) orders to ``to``, all or nothing.

    Finished and cancelled orders stay with the worker who did them: they are history.
    Returns the orders that moved.
    """
    with transaction.atomic():
        source, target = _lock_with_target(worker, to, expected_version=expected_version)
        return _move_active_orders(source=source, target=_check_target(source, target))


def worker_dismiss(
    *, worker: Worker, reassign_to: Worker | None = None, expected_version: int | None = None, when=None
) -> Worker:
    """Mark ``worker`` as dismissed: kept in the database and in order history, hidden elsewhere.

    Active orders cannot stay with someone who has left: they move to ``reassign_to`` in
    the same transaction, and without one the dismissal is refused.
    """
    with transaction.atomic():
        source, target = _lock_with_target(worker, reassign_to, expected_version=expected_version)
        if source.is_dismissed:
            raise ValidationError(_("%(name)s has already been dismissed.") % {"name": source.name}, code="dismissed")
        active = list(
            Order.objects.filter(executor=source, status__in=ACTIVE_STATUSES).order_by("pk")[: NAMED_BLOCKERS + 1]
        )
        if active:
            if target is None:
                named = ", ".join(str(o) for o in active[:NAMED_BLOCKERS])
                if len(active) > NAMED_BLOCKERS:
                    named += " …"
                raise ValidationError(
                    {
                        "to": _("%(name)s still has active orders (%(orders)s); choose who takes them over.")
                        % {"name": source.name, "orders": named}
                    },
                    code="active_orders",
                )
            _move_active_orders(source=source, target=_check_target(source, target))
        source.dismissed_at = when or timezone.now()
        source.active_order = None
        source.version += 1
        source.save(update_fields=["dismissed_at", "active_order", "version"])
    return source


def worker_reinstate(*, worker: Worker, expected_version: int | None = None) -> Worker:
    """Undo a dismissal: the worker is back on the staff list and in mailing audiences."""
    with transaction.atomic():
        fresh, _none = _lock_with_target(worker, None, expected_version=expected_version)
        if not fresh.is_dismissed:
            raise ValidationError(_("%(name)s is not dismissed.") % {"name": fresh.name}, code="current")
        fresh.dismissed_at = None
        fresh.version += 1
        fresh.save(update_fields=["dismissed_at", "version"])
    return fresh


#: What "restore this version" puts back. Not ``active_order`` (orders have moved on since,
#: and the order's own rules decide it) nor ``dismissed_at`` (dismiss/reinstate do that,
#: with their own rules about orders).
RESTORABLE_FIELDS = ("name", "phone", "email", "post_id")


def worker_restore_version(*, worker: Worker, history_id: int, expected_version: int | None = None) -> Worker:
    """Put a worker's details back as they were in one of their history records.

    The restore is itself an ordinary, validated, versioned update, so it appears in the
    history as one more change and can be undone the same way.
    """
    try:
        record = worker.history.get(history_id=history_id)
    except (Worker.history.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(_("That version of this worker does not exist."), code="missing") from None
    data = {field: getattr(record, field) for field in RESTORABLE_FIELDS}
    if not Post.objects.filter(pk=data["post_id"]).exists():
        raise ValidationError(
            {"post": _("The post this version had no longer exists; choose a post and save by hand.")},
            code="post_gone",
        )
    return worker_update(worker=worker, data=data, expected_version=expected_version)
