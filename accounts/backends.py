"""Authentication backend: Django's ModelBackend, reading a user's permissions in one query.

ModelBackend asks for the user's own permissions and their groups' permissions separately:
two queries on every page that checks a permission. Every intranet page does, so one
UNION-free query for both (a permission is the user's if granted directly or via a group)
keeps each page at a constant, smaller number of queries.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackendOneQuery(ModelBackend):
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
