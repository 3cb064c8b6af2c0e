from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clients import services
from clients.models import Client
from corpnet.admin import ServiceAdmin


@admin.register(Client)
class ClientAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ["id", "name", "lastname", "email", "phone", "sum", "active_order", "mailing_opt_out"]
    list_display_links = ["id", "name", "lastname"]
    list_filter = ["mailing_opt_out"]
    list_select_related = ["active_order"]
    search_fields = ["name", "lastname"]  # searched through the normalised column; see ServiceAdmin
    raw_id_fields = ["active_order"]
    readonly_fields = ["version"]

    def get_exclude(self, request, obj=None):
        # Someone new has no orders yet, so nothing to point an active order at.
        return ["active_order"] if obj is None else []

    def service_create(self, data):
        return services.client_create(**data)

    def service_update(self, obj, data, version):
        return services.client_update(client=obj, data=data, expected_version=version)

    def service_delete(self, obj):
        services.client_delete(client=obj)
