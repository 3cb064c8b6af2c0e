"""The one FilterSet for clients: the list page, CSV export, mailing audiences and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from corpnet.filters import (
    EmailFilter,
    IdListFilter,
    MoneyRangeFilter,
    NormalizedSearchFilter,
    PhoneFilter,
    YesNoFilter,
)
from orders.filters import HasActiveOrdersFilter


class ClientFilter(django_filters.FilterSet):
    id = IdListFilter(label=_("ID"))
    name = NormalizedSearchFilter(field_name="search", label=_("Name or last name"))
    email = EmailFilter(field_name="email", label=_("Email"))
    phone = PhoneFilter(field_name="phone", label=_("Phone"))
    sum = MoneyRangeFilter(label=_("Deposit between"))
    has_active_order = HasActiveOrdersFilter(owner_field="client")
    mailing_opt_out = YesNoFilter(label=_("Opted out of mailings"))

    order_by = django_filters.OrderingFilter(
        fields=[("id", "id"), ("lastname", "lastname"), ("name", "name"), ("email", "email"), ("sum", "sum")],
        label=_("Sort by"),
    )

    class Meta:
        model = Client
        fields: list[str] = []
