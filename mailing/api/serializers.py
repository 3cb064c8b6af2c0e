from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mailing.forms import BODY_HTML_MAX, BODY_TEXT_MAX, SUBJECT_MAX
from mailing.models import FILTER_AUDIENCES, Audience, Mailing, Recipient

#: A filter value is a string or a list of strings, exactly as in a list page's query string.
FILTER_VALUE_SCHEMA = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "maxItems": 500}]}
MAX_FILTER_PARAMS = 50


@extend_schema_field(FILTER_VALUE_SCHEMA)
class FilterValueField(serializers.Field):
    default_error_messages = {"invalid": _("Give a string or a list of strings.")}

    def to_internal_value(self, data):
        values = data if isinstance(data, list) else [data]
        if len(values) > 500 or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            self.fail("invalid")
        values = [str(v) for v in values]
        if any("\x00" in v for v in values):
            self.fail("invalid")
        return values

    def to_representation(self, value):
        return value


class MailingSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    sent = serializers.IntegerField(source="n_sent", read_only=True)
    failed = serializers.IntegerField(source="n_failed", read_only=True)
    pending = serializers.IntegerField(source="n_pending", read_only=True)
    unknown = serializers.IntegerField(source="n_unknown", read_only=True)
    cancelled = serializers.IntegerField(source="n_cancelled", read_only=True)
    filter_params = serializers.DictField(child=FilterValueField(), read_only=True)

    class Meta:
        model = Mailing
        fields = [
            "id",
            "status",
            "audience",
            "filter_params",
            "audience_description",
            "subject",
            "body_text",
            "body_html",
            "created_by",
            "created_at",
            "finished_at",
            "recipient_count",
            "sent",
            "failed",
            "pending",
            "unknown",
            "cancelled",
        ]
        read_only_fields = fields


class MailingCreateSerializer(serializers.Serializer):
    """A new mailing: the audience, then the message (placeholders: {{ name }}, {{ lastname }}, {{ email }})."""

    audience = serializers.ChoiceField(choices=Audience.choices)
    filter_params = serializers.DictField(
        child=FilterValueField(),
        required=False,
        default=dict,
        help_text=_(
            "For 'workers' / 'clients': the list page's filter parameters, e.g. "
            '{"name": "иванов", "post": ["3", "4"]}. For \'worker\' / \'client\': {"id": "7"}. '
            'For \'address\': {"email": "a@b.example", "name": "Anna"}.'
        ),
    )
    subject = serializers.CharField(max_length=SUBJECT_MAX, trim_whitespace=False)
    body_text = serializers.CharField(trim_whitespace=False, max_length=BODY_TEXT_MAX)
    body_html = serializers.CharField(trim_whitespace=False, required=False, allow_blank=True, max_length=BODY_HTML_MAX)

    def validate_filter_params(self, value):
        if len(value) > MAX_FILTER_PARAMS:
            raise serializers.ValidationError(_("Too many filter parameters."))
        return value

    def validate(self, attrs):
        # One person or one address is named by single values ({"id": "7"}), not lists.
        if attrs["audience"] not in FILTER_AUDIENCES:
            params = attrs.get("filter_params") or {}
            if any(len(v) != 1 for v in params.values()):
                raise serializers.ValidationError({"filter_params": [_("Give one value per parameter.")]})
            attrs["filter_params"] = {k: v[0] for k, v in params.items()}
        return attrs


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = ["id", "email", "name", "lastname", "kind", "object_id", "status", "attempts", "sent_at", "smtp_reply"]
        read_only_fields = fields


class RetriedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text=_("How many recipients were queued again."))
    mailing = MailingSerializer()
