"""The one FilterSet for orders: the list page, its CSV export and the API all use it."""

from __future__ import annotations

import django_filters
from django.db import connections
from django.db.models import CharField, F, Func, Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from corpnet.filters import IdListFilter, MoneyRangeFilter, NormalizedSearchFilter, TextFilter
from corpnet.text import normalize_search
from orders.models import ACTIVE_STATUSES, Order, OrderStatus
from staff.models import Worker

ACTIVE = "active"
ALL = "all"
STATUS_CHOICES = [(ACTIVE, _("Active (new or in progress)")), (ALL, _("All")), *OrderStatus.choices]


class OrderFilter(django_filters.FilterSet):
    id = IdListFilter(label=_("ID"))
    name = TextFilter(label=_("Client or executor name"), method="filter_person_name")
    title = NormalizedSearchFilter(field_name="search", label=_("Title"))
    status = django_filters.MultipleChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), help_text=_("Default: active orders.")
    )
    executor = IdListFilter(field_name="executor_id", label=_("Executor ID"))
    executor_name = NormalizedSearchFilter(field_name="executor__search", label=_("Executor name"))
    client = IdListFilter(field_name="client_id", label=_("Client ID"))
    client_name = TextFilter(label=_("Client name"), method="filter_client_name")
    creation_date = django_filters.DateFromToRangeFilter(label=_("Created between"))
    sum = MoneyRangeFilter(label=_("Sum between"))

    order_by = django_filters.OrderingFilter(
        fields=[
            ("id", "id"),
            ("title", "title"),
            ("status", "status"),
            ("creation_date", "created"),
            ("sum", "sum"),
            ("executor__name", "executor"),
            ("client__lastname", "client"),
        ],
        label=_("Sort by"),
    )

    class Meta:
        model = Order
        fields: list[str] = []

    def filter_queryset(self, queryset):
        # Without a (valid) status the company's default view is the active orders.
        if not self.form.cleaned_data.get("status"):
            queryset = self._status_in(queryset, ACTIVE_STATUSES)
        return super().filter_queryset(queryset)

    def _status_in(self, queryset, statuses):
        # Sorted by a column (sum, title, ...), SQLite still picks the status index for
        # "status IN (a, b)" and then sorts every matching row: a second for a million orders.
        # Unary "+" (a no-op on SQLite) hides the status column from the planner, so it walks
        # the sort column's index and stops after one page. Without a sort, the selector's
        # per-status scan (orders/selectors.py) serves the default order.
        sorted_on_sqlite = bool(self.form.cleaned_data.get("order_by")) and connections[queryset.db].vendor == "sqlite"
        if set(statuses) == set(ACTIVE_STATUSES) and not sorted_on_sqlite:
            # The generated ``active`` column and its (active, creation_date, id) index: the
            # default view is read in order, at any depth. "IN (true)" rather than "= true",
            # which Django writes as a bare column that SQLite will not look up in an index.
            return queryset.filter(active__in=[True])
        if len(statuses) > 1 and sorted_on_sqlite:
            unindexed = Func(F("status"), template="+%(expressions)s", output_field=CharField())
            return queryset.alias(status_unindexed=unindexed).filter(status_unindexed__in=sorted(statuses))
        return queryset.filter(status__in=sorted(statuses))

    def filter_status(self, queryset, name, value):
        wanted = set(value)
        if ALL in wanted:
            return queryset
        if ACTIVE in wanted:
            wanted = (wanted - {ACTIVE}) | set(ACTIVE_STATUSES)
        return self._status_in(queryset, wanted)

    def filter_client_name(self, queryset, name, value):
        term = normalize_search(value)
        if not term:
            return queryset
        # A subquery on the client table (small, trigram-indexed on PostgreSQL), then the
        # orders' client index, instead of joining a million orders to scan names.
        return queryset.filter(client_id__in=Client.objects.filter(search__contains=term).values("id"))

    def filter_person_name(self, queryset, name, value):
        term = normalize_search(value)
        if not term:
            return queryset
        return queryset.filter(
            Q(client_id__in=Client.objects.filter(search__contains=term).values("id"))
            | Q(executor_id__in=Worker.objects.filter(search__contains=term).values("id"))
        )
