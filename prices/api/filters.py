"""FilterSets for the read-only prices API (the price pages read through prices/selectors.py)."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from corpnet.filters import IdListFilter, TextFilter
from corpnet.text import normalize_search
from prices.models import Coin, Quote, QuoteStatus


class UTCIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime, converted to UTC.

    PostgreSQL refuses offsets beyond ±15:59 ("2026-01-01T00:00:00-23:49" is valid ISO 8601),
    and the edge of the calendar cannot shift at all: both become a form error, not a 500.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(_("This date and time is out of range."), code="invalid") from None


class UTCIsoDateTimeRangeField(django_filters.fields.RangeField):
    widget = django_filters.widgets.DateRangeWidget

    def __init__(self, *args, **kwargs):
        super().__init__((UTCIsoDateTimeField(), UTCIsoDateTimeField()), *args, **kwargs)


class UTCIsoDateTimeFromToRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    field_class = UTCIsoDateTimeRangeField


class CoinFilter(django_filters.FilterSet):
    id = IdListFilter(label=_("ID"))
    symbol = django_filters.BaseInFilter(
        field_name="symbol", method="filter_symbol", label=_("Symbol (one or several: BTC,ETH)")
    )
    name = TextFilter(method="filter_name", label=_("Name"))
    order_by = django_filters.OrderingFilter(fields=[("symbol", "symbol"), ("name", "name")], label=_("Sort by"))

    class Meta:
        model = Coin
        fields: list[str] = []

    def filter_symbol(self, queryset, name, value):
        symbols = [v.strip().upper() for v in value if v and v.strip()]
        return queryset.filter(symbol__in=symbols) if symbols else queryset

    def filter_name(self, queryset, name, value):
        # Few coins: compare normalised names in Python rather than add a search column.
        term = normalize_search(value)
        if not term:
            return queryset
        wanted = [pk for pk, coin_name in queryset.values_list("pk", "name") if term in normalize_search(coin_name)]
        return queryset.filter(pk__in=wanted)


class QuoteFilter(django_filters.FilterSet):
    symbol = django_filters.BaseInFilter(
        field_name="coin__symbol", method="filter_symbol", label=_("Coin symbol (one or several: BTC,ETH)")
    )
    source = django_filters.BaseInFilter(field_name="source", label=_("Source (one or several)"))
    status = django_filters.ChoiceFilter(
        choices=QuoteStatus.choices, label=_("Status (confirmed prices are the current ones)")
    )
    fetched_at = UTCIsoDateTimeFromToRangeFilter(
        label=_("Fetched between (ISO 8601: fetched_at_after, fetched_at_before)")
    )
    order_by = django_filters.OrderingFilter(
        fields=[("fetched_at", "fetched_at"), ("price_usd", "price")], label=_("Sort by")
    )

    class Meta:
        model = Quote
        fields: list[str] = []

    def filter_symbol(self, queryset, name, value):
        symbols = [v.strip().upper() for v in value if v and v.strip()]
        return queryset.filter(coin__symbol__in=symbols) if symbols else queryset
