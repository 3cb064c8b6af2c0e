from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from corpnet.api.fields import (
    MAX_VERSION,
    E164PhoneField,
    OptionalFieldsMixin,
    PartialUpdateMixin,
    VersionedSerializer,
    VersionedUpdateMixin,
)
from corpnet.validators import validate_deliverable_email
from staff.models import Post, Worker


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "title", "description"]


class PostPatchSerializer(OptionalFieldsMixin, PostSerializer):
    pass


class WorkerSerializer(VersionedSerializer):
    phone = E164PhoneField()
    is_dismissed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Worker
        fields = ["id", "name", "phone", "email", "post", "active_order", "dismissed_at", "is_dismissed", "version"]
        read_only_fields = ["dismissed_at"]

    def validate_email(self, value: str) -> str:
        validate_deliverable_email(value)
        return value


class WorkerUpdateSerializer(VersionedUpdateMixin, WorkerSerializer):
    pass


class WorkerPatchSerializer(PartialUpdateMixin, WorkerUpdateSerializer):
    pass


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text=_("The worker's version, as last read; a stale one answers 409.")
    )


class WorkerDismissSerializer(VersionSerializer):
    reassign_to = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Who takes over the worker's active orders; required when there are any."),
    )


class WorkerReassignSerializer(VersionSerializer):
    to = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.all(), help_text=_("Who takes over the worker's active orders.")
    )


class ReassignedSerializer(serializers.Serializer):
    moved = serializers.ListField(child=serializers.IntegerField(), help_text=_("Ids of the orders that moved."))
