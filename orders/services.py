"""Every write to orders goes through here: pages, admin, API and commands alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from clients.models import Client
from corpnet.services import delete_unless_referenced, update_versioned
from orders.models import Order, OrderStatus
from staff.models import Worker

#: Where an order may move next. "Done" and "cancelled" are final: a finished order is history.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.NEW: (OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED),
    OrderStatus.IN_PROGRESS: (OrderStatus.DONE, OrderStatus.CANCELLED),
    OrderStatus.DONE: (),
    OrderStatus.CANCELLED: (),
}


def next_statuses(order: Order) -> tuple[str, ...]:
    return TRANSITIONS.get(order.status, ())


def sync_active_orders(*, workers=(), clients=()) -> None:
    """Keep ``active_order`` of these workers and clients (ids) truthful.

    ``active_order`` names one of the owner's active (new or in-progress) orders whenever
    they have any, and is empty only when they have none: the one already named stays while
    it is still an active order of theirs, otherwise the newest active order takes its place.
    Every order service calls this for the workers and clients an order left or joined.

    It does not bump their ``version``: the field follows the orders by itself, so an edit
    form of the client opened before someone opened an order for them is not stale (an
    ``active_order`` it carries is validated again on save).
    """
    for model, owner_field, pks in ((Worker, "executor_id", workers), (Client, "client_id", clients)):
        pks = sorted({pk for pk in pks if pk is not None})
        for owner in model.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
            # One query: the order already named if it is still an active one of theirs, else their newest.
            keep_named = Case(When(pk=owner.active_order_id, then=Value(0)), default=Value(1))
            newest = (
                Order.objects.filter(**{owner_field: owner.pk}, active=True)
                .order_by(keep_named, "-creation_date", "-id")
                .values_list("pk", flat=True)
                .first()
            )
            if newest != owner.active_order_id:
                owner.active_order_id = newest
                owner.save(update_fields=["active_order"])


@transaction.atomic
def order_create(
    *,
    title: str,
    executor: Worker,
    client: Client,
    sum: Decimal,
    description: str = "",
    status: str = OrderStatus.NEW,
    creation_date=None,
) -> Order:
    order = Order(
        title=" ".join(title.split()),
        executor=executor,
        client=client,
        sum=sum,
        description=description,
        status=status,
    )
    if creation_date is not None:
        order.creation_date = creation_date
    order.full_clean()
    order.save()
    sync_active_orders(workers=[order.executor_id], clients=[order.client_id])
    return order


def _check_transition(order: Order, status: str | None) -> None:
    if status is None or status == order.status:
        return
    if status not in next_statuses(order):
        raise ValidationError(
            {
                "status": _("An order that is %(old)s cannot become %(new)s.")
                % {
                    "old": order.get_status_display().lower(),
                    "new": str(dict(OrderStatus.choices).get(status, status)).lower(),
                }
            },
            code="transition",
        )


def order_update(*, order: Order, data: dict[str, Any], expected_version: int | None = None) -> Order:
    """Change an order. A status change must follow ``TRANSITIONS``; the executor's and the
    client's ``active_order`` (old and new ones) follow the order."""
    with transaction.atomic():
        before = Order.objects.select_for_update().get(pk=order.pk)
        if "status" in data:
            _check_transition(before, data["status"])
        order = update_versioned(before, data=data, expected_version=expected_version)
        sync_active_orders(workers=[before.executor_id, order.executor_id], clients=[before.client_id, order.client_id])
    return order


def order_set_status(*, order: Order, status: str, expected_version: int | None = None) -> Order:
    return order_update(order=order, data={"status": status}, expected_version=expected_version)


def order_delete(*, order: Order) -> None:
    with transaction.atomic():
        executor_id, client_id = order.executor_id, order.client_id
        delete_unless_referenced(order, what=_("Order #%(id)s") % {"id": order.pk})
        sync_active_orders(workers=[executor_id], clients=[client_id])
