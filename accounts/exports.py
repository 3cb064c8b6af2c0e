"""Bulk exports of client data: who may, and the record each one leaves."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied

from accounts.lockout import client_ip
from accounts.models import ExportRecord
from corpnet.api.pagination import PagePagination

EXPORT_PERMISSION = "clients.export_client"


def export_record(*, request: HttpRequest, what: str, row_count: int) -> ExportRecord:
    params = {key: values if len(values) > 1 else values[0] for key, values in request.GET.lists()}
    return ExportRecord.objects.create(
        user=request.user, what=what[:100], filter_params=params, row_count=row_count, ip_address=client_ip(request)
    )


class ExportGuardedPaginationMixin:
    """For client lists in the API: a page larger than the default is a bulk export, which
    takes ``clients.export_client`` and is recorded."""

    export_what = "api:clients"

    def get_page_size(self, request):
        size = super().get_page_size(request)
        if size is not None and size > self.page_size:
            if not request.user.has_perm(EXPORT_PERMISSION):
                raise PermissionDenied(
                    _(
                        "Pages of more than %(n)d clients are a bulk export, which needs the permission to export client lists."
                    )
                    % {"n": self.page_size}
                )
            self._exporting = True
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self._exporting = False
        page = super().paginate_queryset(queryset, request, view)
        if self._exporting and page is not None:
            export_record(request=request, what=self.export_what, row_count=len(page))
        return page


class ClientPagination(ExportGuardedPaginationMixin, PagePagination):
    """The clients API's numbered pages: up to 50 for any role, more for exporters only."""
