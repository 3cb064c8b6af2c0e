"""Admin plumbing shared by every app: writes through services, bounded counts."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from corpnet.admin_titles import name_fields
from corpnet.filters import words_condition
from corpnet.forms import MoneyFormField
from corpnet.validators import validate_deliverable_email


class CappedCountPaginator(Paginator):
    """A paginator that never counts more than ``CAP`` rows.

    ``COUNT(*)`` over a million orders costs more than the page itself; past the cap the
    admin shows "CAP+" worth of pages, which is all anyone pages through by hand.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records kept as they were written (audit trails, quotes): looked at, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the form was rendered from, for optimistic locking on save.

    Models without a ``version`` column (posts) carry nothing: their services do not lock.
    """

    expected_version = forms.IntegerField(label=_("version you edited"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = getattr(self.instance, "version", None)
        if "email" in self.fields:
            # Addresses a mail server could not be handed are refused where they are typed.
            self.fields["email"].validators.append(validate_deliverable_email)


def _refusal_as_message(request, view, *args):
    """Run an admin view; a service's refusal becomes an error message on the same page."""
    try:
        return view(request, *args)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through the app's services, not ``obj.save()``.

    Subclasses implement ``service_create(data)``, ``service_update(obj, data, version)``
    and ``service_delete(obj)``. A refusal from a service (a stale version, a protected
    delete) is shown as an error message instead of a server error.
    """

    form = VersionedAdminForm
    search_field = "search"
    # Sums typed as the intranet shows them ("1 000,50" in Russian): corpnet/forms.py.
    formfield_overrides = {models.DecimalField: {"form_class": MoneyFormField}}

    def __init__(self, model, admin_site) -> None:
        super().__init__(model, admin_site)
        # "version" is declared without a translated name (adding one is a migration).
        if any(f.name == "version" for f in model._meta.fields):
            name_fields(model, version=_("version"))

    def get_search_results(self, request, queryset, search_term):
        # Search the normalised column so "иванов" finds "Иванов" on SQLite too; a number
        # also finds the row with that id.
        condition = words_condition(self.search_field, search_term)
        if condition is None:
            return queryset, False
        results = queryset.filter(condition)
        if search_term.strip().isdigit():
            results = results | queryset.filter(pk=int(search_term.strip()))
        return results, False

    def _data(self, form) -> dict:
        return {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in form.cleaned_data and name != "expected_version"
        }

    def save_model(self, request, obj, form, change):
        every_field = {f: v for f, v in form.cleaned_data.items() if f != "expected_version"}
        if change and getattr(request, "_reverting_to_history", False):
            # Reverting to a recorded version (SimpleHistoryAdmin): the form was filled from
            # that version, so "changed data" would be empty and its version always stale.
            # Send every field of it through the service, as one more recorded update.
            saved = self.service_update(obj, every_field, None)
        elif change:
            saved = self.service_update(obj, self._data(form), form.cleaned_data.get("expected_version"))
        else:
            saved = self.service_create(every_field)
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def delete_model(self, request, obj):
        self.service_delete(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _refusal_as_message(request, super().changeform_view, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._reverting_to_history = True
        return _refusal_as_message(request, super().history_form_view, object_id, version_id, extra_context)

    def delete_queryset(self, request, queryset):
        # All or nothing: a refusal halfway must not leave the first half deleted.
        with transaction.atomic():
            for obj in queryset:
                self.service_delete(obj)

    def delete_view(self, request, object_id, extra_context=None):
        return _refusal_as_message(request, super().delete_view, object_id, extra_context)

    def response_action(self, request, queryset):
        return _refusal_as_message(request, super().response_action, queryset)


__all__ = ["CappedCountPaginator", "ServiceAdmin", "VersionedAdminForm"]
