from __future__ import annotations

from rest_framework import serializers

from corpnet.api.fields import PartialUpdateMixin, VersionedSerializer, VersionedUpdateMixin
from orders.models import Order


class OrderSerializer(VersionedSerializer):
    executor_name = serializers.CharField(source="executor.name", read_only=True)
    client_name = serializers.CharField(source="client.__str__", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "title",
            "status",
            "sum",
            "creation_date",
            "executor",
            "executor_name",
            "client",
            "client_name",
            "description",
            "version",
        ]


class OrderUpdateSerializer(VersionedUpdateMixin, OrderSerializer):
    pass


class OrderPatchSerializer(PartialUpdateMixin, OrderUpdateSerializer):
    pass
