from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clients.models import Client
from corpnet.api.fields import E164PhoneField, PartialUpdateMixin, VersionedSerializer, VersionedUpdateMixin
from corpnet.validators import validate_deliverable_email
from orders.models import Order


class ClientSerializer(VersionedSerializer):
    phone = E164PhoneField()

    class Meta:
        model = Client
        fields = ["id", "name", "lastname", "email", "phone", "sum", "active_order", "mailing_opt_out", "version"]
        # A new client has no orders yet, so an active order is set by a later update.
        read_only_fields = ["active_order"]

    def validate_email(self, value: str) -> str:
        validate_deliverable_email(value)
        return value


class ClientUpdateSerializer(VersionedUpdateMixin, ClientSerializer):
    active_order = serializers.PrimaryKeyRelatedField(
        queryset=Order.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("One of this client's active orders."),
    )


class ClientPatchSerializer(PartialUpdateMixin, ClientUpdateSerializer):
    pass
