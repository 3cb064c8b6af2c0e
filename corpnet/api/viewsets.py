"""The base viewset: model endpoints whose every write goes through the app's services."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets
from rest_framework.response import Response

from corpnet.api.permissions import ModelPermissions


class ServiceModelViewSet(viewsets.ModelViewSet):
    """List, retrieve, create, update (PUT and PATCH, both with ``version``) and delete.

    Subclasses name three serializers (output/create, PUT, PATCH; ``corpnet.api.fields``) and implement
    ``create_object``, ``update_object`` and ``delete_object`` with a call to their service,
    so that validation, optimistic locking, delete protection and history are the same as on
    the pages and in the admin. The services raise Django's ValidationError, which
    ``corpnet.api.exceptions`` turns into 400 or 409.
    """

    permission_classes = [ModelPermissions]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    #: If set, a page larger than the default one is a bulk export: it needs this permission
    #: and is recorded (accounts.ExportRecord).
    export_permission: str | None = None
    update_serializer_class: type | None = None
    partial_update_serializer_class: type | None = None

    def get_serializer_class(self):
        if self.action == "update" and self.update_serializer_class:
            return self.update_serializer_class
        if self.action == "partial_update" and self.partial_update_serializer_class:
            return self.partial_update_serializer_class
        return self.serializer_class

    # The three writes, implemented by each app with its services.
    def create_object(self, data: dict[str, Any]):
        raise NotImplementedError

    def update_object(self, instance, data: dict[str, Any], expected_version: int | None):
        raise NotImplementedError

    def delete_object(self, instance) -> None:
        raise NotImplementedError

    def paginate_queryset(self, queryset):
        from accounts.exports import export_guard, export_record

        exporting = export_guard(view=self, request=self.request)
        page = super().paginate_queryset(queryset)
        if exporting and page is not None:
            export_record(request=self.request, what=f"api:{self.basename}", row_count=len(page))
        return page

    def perform_create(self, serializer) -> None:
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike: the PATCH serializer makes every field but ``version``
        # optional itself, so it is never run with partial=True (which would drop ``version``).
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        updated = self.update_object(instance, data, version)
        return Response(self.serializer_class(updated, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance) -> None:
        self.delete_object(instance)
