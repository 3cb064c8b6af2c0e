"""The one FilterSet for clients: the list page, CSV export, mailing audiences and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from corpnet.filters import EmailFilter, IdListFilter, MoneyRangeFilter, NormalizedSearchFilter, PhoneFilter


class ClientFilter(django_filters.FilterSet):
    id = IdListFilter(label=_("ID"))
    name = NormalizedSearchFilter(field_name="search", label=_("Name or last name"))
    email = EmailFilter(field_name="email", label=_("Email"))
    phone = PhoneFilter(field_name="phone", label=_("Phone"))
    sum = MoneyRangeFilter(label=_("Deposit between"))
    has_active_order = django_filters.BooleanFilter(
        field_name="active_order", lookup_expr="isnull", exclude=True, label=_("Has an active order")
    )
    mailing_opt_out = django_filters.BooleanFilter(label=_("Opted out of mailings"))

    order_by = django_filters.OrderingFilter(
        fields=[("id", "id"), ("lastname", "lastname"), ("name", "name"), ("email", "email"), ("sum", "sum")],
        label=_("Sort by"),
    )

    class Meta:
        model = Client
        fields: list[str] = []
