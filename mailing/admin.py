"""Read-only admin for mailings: sending, pausing and retrying go through the mailing pages
(mailing.services), so the admin is for looking, not for editing history."""

from django.contrib import admin

from corpnet.admin import CappedCountPaginator
from mailing.models import Mailing, MailingEvent, Recipient


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
