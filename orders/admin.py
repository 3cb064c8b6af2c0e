from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from corpnet.admin import CappedCountPaginator, ServiceAdmin
from orders import services
from orders.models import Order


@admin.register(Order)
class OrderAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ["id", "title", "status", "executor", "client", "sum", "creation_date"]
    list_display_links = ["id", "title"]
    list_filter = ["status"]
    list_select_related = ["executor", "client"]
    search_fields = ["title"]  # searched through the normalised column; see ServiceAdmin
    autocomplete_fields = ["executor", "client"]
    readonly_fields = ["version"]
    # A million orders: never COUNT(*) the whole table, neither for the total nor for paging.
    show_full_result_count = False
    paginator = CappedCountPaginator

    def service_create(self, data):
        return services.order_create(**data)

    def service_update(self, obj, data, version):
        return services.order_update(order=obj, data=data, expected_version=version)

    def service_delete(self, obj):
        services.order_delete(order=obj)
