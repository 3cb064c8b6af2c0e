from __future__ import annotations

from corpnet.api.pagination import FilterSetCursorPagination
from corpnet.api.viewsets import ServiceModelViewSet
from orders import services
from orders.api.serializers import OrderPatchSerializer, OrderSerializer, OrderUpdateSerializer
from orders.filters import OrderFilter
from orders.models import Order


class OrderViewSet(ServiceModelViewSet):
    """Orders, filtered with the orders page's OrderFilter (active orders unless ``status`` says
    otherwise), in keyset pages as on the orders page."""

    queryset = Order.objects.select_related("executor", "client")
    serializer_class = OrderSerializer
    update_serializer_class = OrderUpdateSerializer
    partial_update_serializer_class = OrderPatchSerializer
    filterset_class = OrderFilter
    pagination_class = FilterSetCursorPagination

    def create_object(self, data):
        return services.order_create(**data)

    def update_object(self, instance, data, expected_version):
        return services.order_update(order=instance, data=data, expected_version=expected_version)

    def delete_object(self, instance):
        services.order_delete(order=instance)
