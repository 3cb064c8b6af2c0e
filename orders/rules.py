"""Rules about orders that other models' validation shares."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_active_order(owner, *, owner_field: str) -> None:
    """An ``active_order`` may only be an active order of the same worker or client.

    ``owner_field`` names the order's column pointing back at the owner
    (``executor_id`` for workers, ``client_id`` for clients).
    """
    order = owner.active_order if owner.active_order_id else None
    if order is None:
        return
    if owner.pk is None or getattr(order, owner_field) != owner.pk:
        raise ValidationError(
            {
                "active_order": _("Order #%(id)s belongs to someone else; pick one of their own orders.")
                % {"id": order.pk}
            }
        )
    if not order.is_active:
        raise ValidationError(
            {
                "active_order": _(
                    "Order #%(id)s is %(status)s, not active; only a new or in-progress order can be active."
                )
                % {"id": order.pk, "status": order.get_status_display().lower()}
            }
        )


def check_executor_current(order) -> None:
    """Someone dismissed cannot be given work: an active order needs a current executor.

    Finished orders keep their dismissed executor, since that is history.
    """
    if order.executor_id and order.is_active and order.executor.dismissed_at is not None:
        raise ValidationError(
            {"executor": _("%(name)s has been dismissed; pick a current worker.") % {"name": order.executor.name}}
        )
