"""Read-only admin for mailings: sending, pausing and retrying go through the mailing pages
(mailing.services), so the admin is for looking, not for editing history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from corpnet.admin import CappedCountPaginator, ReadOnlyAdmin
from corpnet.admin_titles import name_fields
from mailing.models import Mailing, MailingEvent, Recipient

name_fields(
    Recipient,
    mailing=_("mailing"),
    kind=_("kind"),
    object_id=_("worker or client number"),
    next_attempt_at=_("next attempt at"),
    claimed_at=_("claimed at"),
    message_id=_("Message-ID"),
)
name_fields(MailingEvent, mailing=_("mailing"), actor=_("who"))
name_fields(Mailing, heartbeat_at=_("worker last reported at"))


class EventInline(admin.TabularInline):
    model = MailingEvent
    fields = ["at", "actor", "action", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mailing)
class MailingAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject", "created_by", "created_at", "audience", "status", "recipient_count"]
    list_filter = ["status", "audience"]
    list_select_related = ["created_by"]
    search_fields = ["subject"]
    inlines = [EventInline]


@admin.register(Recipient)
class RecipientAdmin(ReadOnlyAdmin):
    list_display = ["id", "mailing", "email", "status", "attempts", "smtp_reply", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["mailing"]
    search_fields = ["email"]
    paginator = CappedCountPaginator


@admin.register(MailingEvent)
class MailingEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "mailing", "detail"]
    list_filter = ["action"]
    list_select_related = ["actor", "mailing"]
