from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from corpnet.admin import ServiceAdmin
from orders.models import Order
from staff import services
from staff.models import Post, Worker


class DismissActionForm(forms.Form):
    """The admin's Dismiss action: who takes over the active orders of those dismissed."""

    to = forms.ModelChoiceField(
        label=_("Hand their active orders over to"),
        queryset=Worker.objects.none(),
        required=False,
        help_text=_("Needed only if someone selected still has new or in-progress orders."),
    )

    def __init__(self, *args, chosen, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        field.queryset = Worker.objects.current().exclude(pk__in=chosen.values("pk")).select_related("post")
        field.label_from_instance = lambda w: f"{w.name} — {w.post.title}"


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

    @admin.action(description=_("Dismiss the selected workers…"), permissions=["change"])
    def dismiss(self, request, queryset):
        """First a page to choose who takes over their active orders, then the dismissal
        (``worker_dismiss`` for each, which hands the orders over in the same transaction)."""
        form = DismissActionForm(request.POST if "apply" in request.POST else None, chosen=queryset)
        current = queryset.filter(dismissed_at__isnull=True)
        active_count = Order.objects.filter(executor__in=current, active=True).count()
        if form.is_bound and form.is_valid():
            successor = form.cleaned_data["to"]
            if successor is None and active_count:
                form.add_error("to", _("Choose the worker who takes over the orders."))
            else:
                self._each(
                    request,
                    queryset,
                    lambda worker: services.worker_dismiss(worker=worker, reassign_to=successor),
                    lambda n: ngettext("%(n)d worker dismissed.", "%(n)d workers dismissed.", n) % {"n": n},
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dismiss workers"),
            "opts": self.model._meta,
            "form": form,
            "workers": current.select_related("post"),
            "already": queryset.exclude(pk__in=current.values("pk")),
            "active_count": active_count,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/staff/worker/dismiss.html", context)

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
