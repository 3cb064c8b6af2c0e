"""Every write to orders goes through here: pages, admin, API and commands alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Client
from corpnet.services import delete_unless_referenced, update_versioned
from orders.models import ACTIVE_STATUSES, Order, OrderStatus
from staff.models import Worker


def _release(order: Order) -> None:
    """Clear ``active_order`` wherever it no longer may point at ``order``.

    An order is someone's active order only while it is active and theirs: once it is
    done, cancelled, deleted or handed to another worker or client, the reference goes.
    """
    for model, owner_field in ((Worker, "executor_id"), (Client, "client_id")):
        owners = model.objects.select_for_update().filter(active_order=order)
        if order.pk and order.status in ACTIVE_STATUSES:
            owners = owners.exclude(pk=getattr(order, owner_field))
        for owner in owners:
            owner.active_order = None
            owner.version += 1
            owner.save(update_fields=["active_order", "version"])


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
    return order


def order_update(*, order: Order, data: dict[str, Any], expected_version: int | None = None) -> Order:
    with transaction.atomic():
        order = update_versioned(order, data=data, expected_version=expected_version)
        _release(order)
    return order


def order_set_status(*, order: Order, status: str, expected_version: int | None = None) -> Order:
    return order_update(order=order, data={"status": status}, expected_version=expected_version)


def order_delete(*, order: Order) -> None:
    with transaction.atomic():
        order.status = OrderStatus.CANCELLED  # only to release references; the row is deleted next
        _release(order)
        delete_unless_referenced(order, what=_("Order #%(id)s") % {"id": order.pk})
