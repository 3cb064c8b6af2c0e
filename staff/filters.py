"""The one FilterSet for workers: the list page, CSV export, mailing audiences and the API."""

from __future__ import annotations

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from corpnet.filters import (
    EmailFilter,
    IdListFilter,
    NormalizedSearchFilter,
    PhoneFilter,
    SafeModelMultipleChoiceFilter,
)
from orders.filters import HasActiveOrdersFilter
from staff.models import Post, Worker

#: Filters that look for particular people: when they match only dismissed workers, the
#: current-staff list says so instead of silently showing nothing.
SEARCH_FILTERS = ("id", "name", "email", "phone")
#: Paging parameters dropped from the "show all" link (it starts from the first page).
PAGING = ("page", "after", "before", "last")

CURRENT = "current"
DISMISSED = "dismissed"
ALL = "all"


class WorkerFilter(django_filters.FilterSet):
    id = IdListFilter(label=_("ID"))
    name = NormalizedSearchFilter(field_name="search", label=_("Name"))
    post = SafeModelMultipleChoiceFilter(queryset=Post.objects.all(), label=_("Post"))
    email = EmailFilter(field_name="email", label=_("Email"))
    phone = PhoneFilter(field_name="phone", label=_("Phone"))
    has_active_order = HasActiveOrdersFilter(owner_field="executor")
    state = django_filters.ChoiceFilter(
        choices=[(CURRENT, _("Current staff")), (DISMISSED, _("Dismissed")), (ALL, _("All"))],
        method="filter_state",
        empty_label=None,
        label=_("Employment"),
    )

    order_by = django_filters.OrderingFilter(
        fields=[("id", "id"), ("name", "name"), ("post__title", "post"), ("email", "email")],
        label=_("Sort by"),
    )

    class Meta:
        model = Worker
        fields: list[str] = []

    def filter_queryset(self, queryset):
        # Dismissed workers stay in the database and in order history but are hidden unless
        # asked for, on the page, in the API and in mailing audiences alike.
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(dismissed_at__isnull=True)
        return super().filter_queryset(queryset)

    @cached_property
    def hidden_dismissed(self) -> dict | None:
        """How many dismissed workers the current-staff view hides from this search.

        ``{"count": n, "query": "<the same filters with state=all>"}``, or None when the
        view is not the default one, nothing is searched for, or no dismissed worker matches.
        """
        if not self.is_valid() or self.form.cleaned_data.get("state") not in ("", None, CURRENT):
            return None
        if not any(self.form.cleaned_data.get(name) for name in SEARCH_FILTERS):
            return None
        data = self.data.copy()
        for key in (*PAGING, "state"):
            data.pop(key, None)
        data["state"] = DISMISSED
        count = type(self)(data, queryset=self.queryset).qs.order_by().count()
        if not count:
            return None
        data["state"] = ALL
        return {"count": count, "query": data.urlencode()}

    def filter_state(self, queryset, name, value):
        if value == DISMISSED:
            return queryset.filter(dismissed_at__isnull=False)
        if value == ALL:
            return queryset
        return queryset.filter(dismissed_at__isnull=True)
