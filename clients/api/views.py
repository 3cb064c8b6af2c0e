from __future__ import annotations

from clients import services
from clients.api.serializers import ClientPatchSerializer, ClientSerializer, ClientUpdateSerializer
from clients.filters import ClientFilter
from clients.models import Client
from corpnet.api.pagination import FilterSetCursorPagination
from corpnet.api.viewsets import ServiceModelViewSet


class ClientViewSet(ServiceModelViewSet):
    """Clients, filtered with the clients page's ClientFilter. ``sum`` (the deposit) is a decimal string."""

    # A page of more than 50 clients is a bulk export: its own permission, and recorded.
    export_permission = "clients.export_client"

    queryset = Client.objects.all()
    serializer_class = ClientSerializer
    update_serializer_class = ClientUpdateSerializer
    partial_update_serializer_class = ClientPatchSerializer
    filterset_class = ClientFilter
    pagination_class = FilterSetCursorPagination

    def create_object(self, data):
        return services.client_create(**data)

    def update_object(self, instance, data, expected_version):
        return services.client_update(client=instance, data=data, expected_version=expected_version)

    def delete_object(self, instance):
        services.client_delete(client=instance)
