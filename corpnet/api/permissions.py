"""Permissions that mirror the pages: the model's view/add/change/delete permissions."""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """``DjangoModelPermissions`` that also guards reads with the ``view_*`` permission.

    DRF's class lets any authenticated user read; the pages do not (an outsider with no role
    sees nothing), so neither does the API.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class ModelChangePermissions(ModelPermissions):
    """For POST actions that change an existing object (``/workers/7/dismiss/``): ``change_*``."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}
