"""Reads for the price pages and the home page; each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from prices.models import Coin, Quote, SourceStatus

SPARKLINE_WINDOW = timedelta(hours=24)

RANGES: dict[str, timedelta | None] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "all": None,
}
DEFAULT_RANGE = "7d"
#: Rows in the detail page's table of quotes (per page of the paginator).
QUOTES_PER_PAGE = 100


@dataclass
class LatestPrice:
    coin: Coin
    quote: Quote
    stale: bool
    sparkline: list[Decimal] = field(default_factory=list)


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.PRICES_STALE_MINUTES)


def latest_prices(*, now: datetime | None = None, with_sparklines: bool = True) -> list[LatestPrice]:
    """The latest quote of every coin (any source), plus the last 24 h of that source's prices.

    Three queries whatever the number of coins and quotes.
    """
    now = now or timezone.now()
    newest = Quote.objects.filter(coin=OuterRef("pk")).order_by("-fetched_at", "-pk")
    latest = dict(
        Coin.objects.annotate(
            latest=Subquery(newest.values("pk")[:1]),
            # Ordered by market cap even when the newest quote comes from a source without one.
            cap=Subquery(newest.exclude(market_cap_usd=None).values("market_cap_usd")[:1]),
        )
        .exclude(latest=None)
        .values_list("latest", "cap")
    )
    quotes = list(Quote.objects.filter(pk__in=latest).select_related("coin"))
    quotes.sort(key=lambda q: (latest[q.pk] is None, -(latest[q.pk] or 0), q.coin.symbol))
    stale_before = _stale_before(now)
    rows = [LatestPrice(coin=q.coin, quote=q, stale=q.fetched_at < stale_before) for q in quotes]
    if with_sparklines and rows:
        wanted = {(q.coin_id, q.source) for q in quotes}
        series: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
        history = (
            Quote.objects.filter(coin__in=[q.coin_id for q in quotes], fetched_at__gte=now - SPARKLINE_WINDOW)
            .order_by("fetched_at")
            .values_list("coin_id", "source", "price_usd")
        )
        for coin_id, source, price in history:
            if (coin_id, source) in wanted:
                series[(coin_id, source)].append(price)
        for row in rows:
            row.sparkline = series[(row.coin.pk, row.quote.source)]
    return rows


@dataclass
class SourceState:
    name: str
    status: SourceStatus | None
    enabled: bool

    @property
    def failing(self) -> bool:
        return self.status is not None and self.status.failing

    @property
    def never_run(self) -> bool:
        return self.status is None


def source_states() -> list[SourceState]:
    """Every enabled source and every source that has run, with its last status (one query)."""
    statuses = {s.source: s for s in SourceStatus.objects.all()}
    enabled = list(settings.PRICES_SOURCES)
    names = enabled + sorted(set(statuses) - set(enabled))
    return [SourceState(name=n, status=statuses.get(n), enabled=n in enabled) for n in names]


def coin_history(
    *, coin: Coin, range_key: str, now: datetime | None = None
) -> dict[str, list[tuple[datetime, Decimal]]]:
    """The coin's prices per source over the range, oldest first (one query)."""
    now = now or timezone.now()
    quotes = Quote.objects.filter(coin=coin)
    span = RANGES[range_key]
    if span is not None:
        quotes = quotes.filter(fetched_at__gte=now - span)
    series: dict[str, list[tuple[datetime, Decimal]]] = defaultdict(list)
    for source, at, price in quotes.order_by("fetched_at").values_list("source", "fetched_at", "price_usd"):
        series[source].append((at, price))
    return dict(sorted(series.items()))


def coin_quotes(*, coin: Coin, range_key: str, now: datetime | None = None):
    """The coin's quotes over the range, newest first, for the detail page's table."""
    now = now or timezone.now()
    quotes = Quote.objects.filter(coin=coin).order_by("-fetched_at", "source")
    span = RANGES[range_key]
    if span is not None:
        quotes = quotes.filter(fetched_at__gte=now - span)
    return quotes


def is_stale(quote: Quote, *, now: datetime | None = None) -> bool:
    return quote.fetched_at < _stale_before(now or timezone.now())
