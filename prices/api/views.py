from __future__ import annotations

from rest_framework import viewsets

from corpnet.api.pagination import FilterSetCursorPagination
from corpnet.api.permissions import ModelPermissions
from prices.api.filters import CoinFilter, QuoteFilter
from prices.api.serializers import CoinSerializer, QuoteSerializer
from prices.models import Coin, Quote


class CoinViewSet(viewsets.ReadOnlyModelViewSet):
    """The coins whose prices are collected. Read-only: the scraper adds them."""

    queryset = Coin.objects.all()
    serializer_class = CoinSerializer
    filterset_class = CoinFilter
    permission_classes = [ModelPermissions]
    lookup_value_regex = r"[0-9]+"


class QuoteViewSet(viewsets.ReadOnlyModelViewSet):
    """Collected quotes, newest first; prices are decimal strings in USD.

    ``status`` says whether a price is confirmed (another source or the confirmed history
    agreed), unconfirmed (kept, not current) or refused (found wrong later); filter with
    ``status=confirmed`` for trusted prices only.

    Filter by ``symbol``, ``source`` and a time range (``fetched_at_after`` / ``fetched_at_before``,
    ISO 8601). A cursor pages through them, as quotes grow by thousands a day.
    """

    queryset = Quote.objects.select_related("coin")
    serializer_class = QuoteSerializer
    filterset_class = QuoteFilter
    permission_classes = [ModelPermissions]
    pagination_class = FilterSetCursorPagination
    cursor_ordering = ("-fetched_at", "-id")
    lookup_value_regex = r"[0-9]+"
