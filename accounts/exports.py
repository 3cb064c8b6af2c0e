"""Bulk exports of client data: who may, and the record each one leaves."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied

from accounts.lockout import client_ip
from accounts.models import ExportRecord

EXPORT_PERMISSION = "clients.export_client"


def export_record(*, request: HttpRequest, what: str, row_count: int) -> ExportRecord:
    params = {key: values if len(values) > 1 else values[0] for key, values in request.GET.lists()}
    return ExportRecord.objects.create(
        user=request.user, what=what[:100], filter_params=params, row_count=row_count, ip_address=client_ip(request)
    )


def export_guard(*, view, request, page_size_param: str = "page_size") -> bool:
    """For a viewset with ``export_permission``: is this request a bulk export (a page larger
    than the default)? Raises 403 for a user without the permission."""
    from corpnet.api.pagination import DEFAULT_PAGE_SIZE

    permission = getattr(view, "export_permission", None)
    raw = request.query_params.get(page_size_param, "")
    if not permission or not raw.strip().isdigit() or int(raw) <= DEFAULT_PAGE_SIZE:
        return False
    if not request.user.has_perm(permission):
        raise PermissionDenied(
            _("Pages of more than %(n)d clients are a bulk export, which needs the permission to export client lists.")
            % {"n": DEFAULT_PAGE_SIZE}
        )
    return True
