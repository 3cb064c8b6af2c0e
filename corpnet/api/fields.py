"""Serializer fields and bases shared by every app's API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

#: Versions are counters bumped once per update; anything larger is not a version.
MAX_VERSION = 2**31 - 1


@extend_schema_field({"type": "string", "example": "+79161234567", "description": "E.164 phone number."})
class E164PhoneField(PhoneNumberField):
    """A phone number accepted in any common notation and answered in E.164 (``+79161234567``)."""

    def to_representation(self, value):
        return value.as_e164 if value else ""


class VersionedSerializer(serializers.ModelSerializer):
    """Output carries ``version``; updates must send back the version they were based on.

    A stale ``version`` answers 409 and changes nothing (optimistic locking, as on the pages).
    """

    version = serializers.IntegerField(read_only=True)


class VersionedUpdateMixin(serializers.Serializer):
    """The update (PUT) form: ``version`` becomes required input."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_("The version this update is based on, as last read; a stale one answers 409."),
    )


class OptionalFieldsMixin(serializers.Serializer):
    """The PATCH form: every field optional (except ``version`` where the model has one).

    PATCH serializers are run with ``partial=False``: DRF's partial mode would make
    ``version`` optional too, and a PATCH without it would silently overwrite someone
    else's change.
    """

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "version" and not field.read_only:
                field.required = False
                # A model default must not be applied to a field the client left out.
                field.default = serializers.empty
        return fields


class PartialUpdateMixin(OptionalFieldsMixin, VersionedUpdateMixin):
    pass
