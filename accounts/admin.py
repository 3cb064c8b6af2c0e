from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import api_tokens
from accounts.models import ApiToken, ExportRecord
from corpnet.admin import ReadOnlyAdmin


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    """Shown to those who may view exports (superusers); nobody adds, edits or deletes them."""

    list_display = ["at", "user", "what", "row_count", "ip_address"]
    list_filter = ["what"]
    list_select_related = ["user"]
    search_fields = ["user__username", "what"]
    date_hierarchy = "at"
    readonly_fields = ["at", "user", "what", "filter_params", "row_count", "ip_address"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued by ``manage.py issue_api_token`` (the secret is printed once and never
    stored); here they are listed by prefix and expiry and can be revoked. The hash is not shown."""

    list_display = ["key_prefix", "name", "user", "created", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "key_prefix"]
    fields = ["key_prefix", "name", "user", "created", "expires_at", "last_used_at", "revoked"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("accounts.change_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = api_tokens.revoke(queryset)
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)
