"""Every write to clients goes through here: pages, admin, API and commands alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Client
from corpnet.services import delete_unless_referenced, update_versioned


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if isinstance(data.get("email"), str):
        data["email"] = data["email"].strip().lower()
    for field in ("name", "lastname"):
        if isinstance(data.get(field), str):
            data[field] = " ".join(data[field].split())
    return data


@transaction.atomic
def client_create(
    *, name: str, lastname: str, email: str, phone: Any, sum: Decimal = Decimal("0"), mailing_opt_out: bool = False
) -> Client:
    client = Client(
        **_normalise({"name": name, "lastname": lastname, "email": email}),
        phone=phone,
        sum=sum,
        mailing_opt_out=mailing_opt_out,
    )
    client.full_clean()
    client.save()
    return client


def client_update(*, client: Client, data: dict[str, Any], expected_version: int | None = None) -> Client:
    return update_versioned(client, data=_normalise(data), expected_version=expected_version)


def client_delete(*, client: Client) -> None:
    delete_unless_referenced(client, what=_("Client “%(name)s”") % {"name": str(client)})
