"""The company's roles, as Django groups with exactly these permissions.

Kept in code so that every database (a fresh one, the test database, production after a
deploy) ends up with the same groups: ``migrate`` syncs them, and so does ``seed_demo``.
A permission of an app that has not been migrated yet is skipped until it exists.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

LOOK = [
    "staff.view_post",
    "staff.view_worker",
    "clients.view_client",
    "orders.view_order",
    "prices.view_coin",
    "prices.view_quote",
    "mailing.view_mailing",
]

ROLES: dict[str, list[str]] = {
    # May only look.
    "employee": LOOK,
    # Manages staff: workers and posts.
    "hr": LOOK
    + [
        "staff.add_post",
        "staff.change_post",
        "staff.delete_post",
        "staff.add_worker",
        "staff.change_worker",
        "staff.delete_worker",
    ],
    # Registers clients and orders (opens, edits, moves an order through its statuses), sends
    # mailings and takes client lists out (CSV, API pages beyond one page). Deleting clients
    # and orders stays with the admin: they are history.
    "manager": LOOK
    + [
        "clients.add_client",
        "clients.change_client",
        "orders.add_order",
        "orders.change_order",
        "mailing.send_mailing",
        "clients.export_client",
    ],
}

#: Permissions no model declares, created here so that no other app needs a migration for them:
#: "app.codename" → (model name, description).
EXTRA_PERMISSIONS: dict[str, tuple[str, str]] = {
    "clients.export_client": ("client", "Can export client lists"),
}


def ensure_extra_permissions() -> None:
    for name, (model, description) in EXTRA_PERMISSIONS.items():
        app_label, codename = name.split(".", 1)
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            continue  # the app is not migrated yet; the next migrate creates it
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": description})


def _permission_ids(names: list[str]) -> tuple[list[int], list[str]]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.filter(
            content_type__app_label__in={a for a, _ in wanted}
        ).values_list("pk", "content_type__app_label", "codename")
    }
    missing = sorted(f"{a}.{c}" for a, c in wanted if (a, c) not in found)
    return [found[w] for w in wanted if w in found], missing


def ensure_roles() -> list[str]:
    """Create or update the groups; returns the permissions that do not exist (yet)."""
    ensure_extra_permissions()
    all_missing: list[str] = []
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        ids, missing = _permission_ids(permissions)
        group.permissions.set(ids)
        all_missing += missing
    return sorted(set(all_missing))


def sync_roles_after_migrate(**kwargs) -> None:
    ensure_roles()
