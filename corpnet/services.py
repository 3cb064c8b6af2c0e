"""Helpers every app's services share: versioned updates and protected deletes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: How many blocking objects a refusal message names before saying "and N more".
NAMED_BLOCKERS = 10


class ConcurrentUpdateError(ValidationError):
    """Raised when an update is based on a version someone else has changed meanwhile."""

    def __init__(self) -> None:
        super().__init__(
            _("This record was changed by someone else meanwhile — review the current values and save again."),
            code="stale",
        )


def update_versioned(instance: models.Model, *, data: dict[str, Any], expected_version: int | None) -> models.Model:
    """Apply ``data`` to a locked fresh copy of ``instance``, validate it and save it.

    ``expected_version`` is the version the caller's form or request was based on; if the
    row has moved on since, the update is refused (optimistic locking). ``None`` skips the
    check for internal callers that hold no stale copy.
    """
    model = type(instance)
    with transaction.atomic():
        fresh = model._default_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and fresh.version != expected_version:
            raise ConcurrentUpdateError()
        for field, value in data.items():
            setattr(fresh, field, value)
        fresh.full_clean()
        fresh.version += 1
        fresh.save()
    return fresh


def delete_unless_referenced(instance: models.Model, *, what: str) -> None:
    """Delete ``instance``, or refuse with a message naming what still refers to it.

    Foreign keys that keep history (orders → worker, workers → post) are PROTECT in the
    database; this turns Django's ProtectedError into a message a person can act on.
    """
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = sorted(
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects, key=lambda o: o.pk
        )
        named = ", ".join(str(o) for o in blockers[:NAMED_BLOCKERS])
        more = len(blockers) - NAMED_BLOCKERS
        if more > 0:
            named += " " + ngettext("and %(n)d more", "and %(n)d more", more) % {"n": more}
        raise ValidationError(
            _("%(what)s cannot be deleted because it is still referred to: %(named)s.")
            % {"what": what, "named": named},
            code="protected",
        ) from None
