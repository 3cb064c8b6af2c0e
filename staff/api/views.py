from __future__ import annotations

from corpnet.api.viewsets import ServiceModelViewSet
from staff import services
from staff.api.serializers import (
    PostPatchSerializer,
    PostSerializer,
    WorkerPatchSerializer,
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

    def create_object(self, data):
        return services.worker_create(**data)

    def update_object(self, instance, data, expected_version):
        return services.worker_update(worker=instance, data=data, expected_version=expected_version)

    def delete_object(self, instance):
        services.worker_delete(worker=instance)
