from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from corpnet.api.pagination import FilterSetCursorPagination
from corpnet.api.permissions import ModelChangePermissions
from corpnet.api.viewsets import ServiceModelViewSet
from staff import services
from staff.api.serializers import (
    PostPatchSerializer,
    PostSerializer,
    ReassignedSerializer,
    VersionSerializer,
    WorkerDismissSerializer,
    WorkerPatchSerializer,
    WorkerReassignSerializer,
    WorkerSerializer,
    WorkerUpdateSerializer,
)
from staff.filters import WorkerFilter
from staff.models import Post, Worker


class PostViewSet(ServiceModelViewSet):
    """Posts (job titles). No filters: the whole list is small."""

    queryset = Post.objects.all()
    serializer_class = PostSerializer
    update_serializer_class = PostSerializer
    partial_update_serializer_class = PostPatchSerializer
    filter_backends: list = []
    pagination_class = FilterSetCursorPagination

    def create_object(self, data):
        return services.post_create(**data)

    def update_object(self, instance, data, expected_version):
        return services.post_update(post=instance, data=data)

    def delete_object(self, instance):
        services.post_delete(post=instance)


class WorkerViewSet(ServiceModelViewSet):
    """Workers, filtered with the staff page's WorkerFilter (current staff unless ``state`` says otherwise)."""

    queryset = Worker.objects.select_related("post")
    serializer_class = WorkerSerializer
    update_serializer_class = WorkerUpdateSerializer
    partial_update_serializer_class = WorkerPatchSerializer
    filterset_class = WorkerFilter
    pagination_class = FilterSetCursorPagination

    def create_object(self, data):
        return services.worker_create(**data)

    def update_object(self, instance, data, expected_version):
        return services.worker_update(worker=instance, data=data, expected_version=expected_version)

    def delete_object(self, instance):
        services.worker_delete(worker=instance)

    def _action(self, serializer_class):
        worker = self.get_object()
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return worker, dict(serializer.validated_data)

    @extend_schema(request=WorkerDismissSerializer, responses=WorkerSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelChangePermissions])
    def dismiss(self, request, pk=None):
        """Dismiss the worker (kept in history, hidden from lists); active orders go to ``reassign_to``."""
        worker, data = self._action(WorkerDismissSerializer)
        worker = services.worker_dismiss(
            worker=worker, reassign_to=data.get("reassign_to"), expected_version=data["version"]
        )
        return Response(WorkerSerializer(worker, context=self.get_serializer_context()).data)

    @extend_schema(request=VersionSerializer, responses=WorkerSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelChangePermissions])
    def reinstate(self, request, pk=None):
        """Undo a dismissal."""
        worker, data = self._action(VersionSerializer)
        worker = services.worker_reinstate(worker=worker, expected_version=data["version"])
        return Response(WorkerSerializer(worker, context=self.get_serializer_context()).data)

    @extend_schema(request=WorkerReassignSerializer, responses=ReassignedSerializer)
    @action(detail=True, methods=["post"], url_path="reassign-orders", permission_classes=[ModelChangePermissions])
    def reassign_orders(self, request, pk=None):
        """Move the worker's active orders to ``to``, all or nothing."""
        worker, data = self._action(WorkerReassignSerializer)
        moved = services.worker_reassign_orders(worker=worker, to=data["to"], expected_version=data["version"])
        return Response({"moved": [order.pk for order in moved]})
