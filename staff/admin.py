from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from corpnet.admin import ServiceAdmin
from staff import services
from staff.models import Post, Worker


@admin.register(Post)
class PostAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ["title", "description", "worker_count"]
    search_fields = ["title"]
    search_field = "title"

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(worker_count=Count("workers"))

    @admin.display(description=_("workers"), ordering="worker_count")
    def worker_count(self, obj: Post) -> int:
        return obj.worker_count

    def get_search_results(self, request, queryset, search_term):
        return admin.ModelAdmin.get_search_results(self, request, queryset, search_term)

    def service_create(self, data):
        return services.post_create(**data)

    def service_update(self, obj, data, version):
        return services.post_update(post=obj, data=data)

    def service_delete(self, obj):
        services.post_delete(post=obj)


@admin.register(Worker)
class WorkerAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ["id", "name", "post", "email", "phone", "active_order", "dismissed_at"]
    list_display_links = ["id", "name"]
    list_filter = ["post", ("dismissed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["post", "active_order"]
    search_fields = ["name"]  # searched through the normalised column; see ServiceAdmin
    autocomplete_fields = ["post"]
    raw_id_fields = ["active_order"]
    # Dismissal is not a field to type a date into: it must hand active orders over first,
    # which the "dismiss" action (through the service) enforces and a date field would not.
    readonly_fields = ["version", "dismissed_at"]
    actions = ["dismiss", "reinstate"]

    def get_exclude(self, request, obj=None):
        # Someone new has no orders yet, so nothing to point an active order at.
        return ["active_order", "dismissed_at"] if obj is None else []

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is None else self.readonly_fields

    def _each(self, request, queryset, action, done_message):
        done = 0
        for worker in queryset:
            try:
                action(worker=worker)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{worker}: {message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(
        description=_("Dismiss the selected workers (only those without active orders)"), permissions=["change"]
    )
    def dismiss(self, request, queryset):
        # No one to hand orders to here: a worker with active orders is refused with a
        # message, and HR reassigns them first (the staff pages do both in one form).
        self._each(
            request,
            queryset,
            services.worker_dismiss,
            lambda n: ngettext("%(n)d worker dismissed.", "%(n)d workers dismissed.", n) % {"n": n},
        )

    @admin.action(description=_("Reinstate the selected dismissed workers"), permissions=["change"])
    def reinstate(self, request, queryset):
        self._each(
            request,
            queryset,
            services.worker_reinstate,
            lambda n: ngettext("%(n)d worker reinstated.", "%(n)d workers reinstated.", n) % {"n": n},
        )

    def service_create(self, data):
        return services.worker_create(**data)

    def service_update(self, obj, data, version):
        return services.worker_update(worker=obj, data=data, expected_version=version)

    def service_delete(self, obj):
        services.worker_delete(worker=obj)
