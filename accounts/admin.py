from django.contrib import admin

from accounts.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """Shown to those who may view exports (superusers); nobody adds, edits or deletes them."""

    list_display = ["at", "user", "what", "row_count", "ip_address"]
    list_filter = ["what"]
    list_select_related = ["user"]
    search_fields = ["user__username", "what"]
    date_hierarchy = "at"
    readonly_fields = ["at", "user", "what", "filter_params", "row_count", "ip_address"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
