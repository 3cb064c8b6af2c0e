"""Authentication backend: Django's ModelBackend, reading the user and their permissions in one query.

Every intranet page loads the request's user (``get_user``) and checks a permission. Django's
ModelBackend spends three queries on that: the user, their own permissions, their groups'
permissions. Here ``get_user`` reads the user together with both kinds of permission in one
query and fills the caches ModelBackend reads (``_user_perm_cache``, ``_group_perm_cache``,
``_perm_cache``), so the permission checks that follow cost nothing: one query per page
instead of three, whatever the page.

Permissions are read afresh on every request (the caches live on the user object, which
lives for one request), so granting or revoking one takes effect on the next request.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Q

#: Marks where a row's permission comes from in the one query (user's own / via a group).
_OWN, _GROUP = "u", "g"


def _user_with_permissions_sql(connection, user_model) -> str:
    """One row per permission of the user (or one row with NULLs when they have none).

    Raw SQL because the ORM cannot join one user to the union of two many-to-many paths
    without multiplying rows (own × group permissions); here each permission comes once per
    path. Table and column names come from the models' meta and are quoted; the user id is
    a parameter (passed three times).
    """
    q = connection.ops.quote_name
    meta = user_model._meta
    own = meta.get_field("user_permissions").remote_field.through._meta
    memberships = meta.get_field("groups").remote_field.through._meta
    group_perms = Group._meta.get_field("permissions").remote_field.through._meta
    content_type = Permission._meta.get_field("content_type")
    ct_meta = content_type.remote_field.model._meta
    pk = q(meta.pk.column)
    own_user = q(own.get_field(meta.model_name).column)
    own_perm = q(own.get_field("permission").column)
    member_user = q(memberships.get_field(meta.model_name).column)
    member_group = q(memberships.get_field("group").column)
    gp_group = q(group_perms.get_field("group").column)
    gp_perm = q(group_perms.get_field("permission").column)
    columns = ", ".join(f"u.{q(f.column)}" for f in meta.concrete_fields)
    return (
        f"SELECT {columns}, x.src AS perm_src, ct.{q('app_label')} AS perm_app, "  # noqa: S608 -- names only
        f"p.{q('codename')} AS perm_codename "
        f"FROM {q(meta.db_table)} u "
        f"LEFT JOIN ("
        f"SELECT o.{own_perm} AS pid, '{_OWN}' AS src FROM {q(own.db_table)} o WHERE o.{own_user} = %s "
        f"UNION ALL "
        f"SELECT gp.{gp_perm}, '{_GROUP}' FROM {q(memberships.db_table)} m "
        f"JOIN {q(group_perms.db_table)} gp ON gp.{gp_group} = m.{member_group} WHERE m.{member_user} = %s"
        f") x ON 1 = 1 "
        f"LEFT JOIN {q(Permission._meta.db_table)} p ON p.{q('id')} = x.pid "
        f"LEFT JOIN {q(ct_meta.db_table)} ct ON ct.{q('id')} = p.{q(content_type.column)} "
        f"WHERE u.{pk} = %s"
    )


def _converted(connection, fields, values) -> list:
    """Values as the ORM would give them (SQLite returns datetimes as text, booleans as 0/1)."""
    result = []
    for field, value in zip(fields, values, strict=True):
        col = field.get_col(field.model._meta.db_table)
        for converter in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            value = converter(value, col, connection)
        result.append(value)
    return result


class ModelBackendOneQuery(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        db = router.db_for_read(user_model)
        connection = connections[db]
        fields = user_model._meta.concrete_fields
        with connection.cursor() as cursor:
            cursor.execute(_user_with_permissions_sql(connection, user_model), [pk, pk, pk])
            rows = cursor.fetchall()
        if not rows:
            return None
        n = len(fields)
        user = user_model.from_db(db, [f.attname for f in fields], _converted(connection, fields, rows[0][:n]))
        if not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:
            # Superusers pass has_perm() without asking a backend; their (complete) list is
            # read only if something asks for it, by get_all_permissions below.
            found = {_OWN: set(), _GROUP: set()}
            for source, app_label, codename in (row[n:] for row in rows):
                if source is not None and codename is not None:
                    found[source].add(f"{app_label}.{codename}")
            user._user_perm_cache = found[_OWN]
            user._group_perm_cache = found[_GROUP]
            user._perm_cache = found[_OWN] | found[_GROUP]
        return user

    async def aget_user(self, user_id):
        # ModelBackend's async twin would read the user alone and permissions later.
        return await sync_to_async(self.get_user)(user_id)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in perms.values_list("content_type__app_label", "codename").distinct()
            }
        return user_obj._perm_cache
