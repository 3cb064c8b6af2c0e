from __future__ import annotations

from rest_framework import serializers

from corpnet.api.fields import (
    E164PhoneField,
    OptionalFieldsMixin,
    PartialUpdateMixin,
    VersionedSerializer,
    VersionedUpdateMixin,
)
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


class WorkerUpdateSerializer(VersionedUpdateMixin, WorkerSerializer):
    pass


class WorkerPatchSerializer(PartialUpdateMixin, WorkerUpdateSerializer):
    pass
