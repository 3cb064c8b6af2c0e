"""Reads for the price pages and the home page; each a fixed number of queries.

Only confirmed quotes are current prices, sparklines or chart points (docs/prices.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, DecimalField, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from prices.models import Coin, Quote, QuoteStatus, SourceStatus

SPARKLINE_WINDOW = timedelta(hours=24)

RANGES: dict[str, timedelta | None] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "all": None,
}
DEFAULT_RANGE = "7d"
#: Up to this span the chart draws every quote; up to HOURLY_UP_TO hourly averages; beyond, daily.
RAW_UP_TO = timedelta(days=7, minutes=5)
HOURLY_UP_TO = timedelta(days=62)
#: Sources that only ``make run`` feeds (demo/prices.py and the demo_prices command): pages label them.
DEMO_SOURCES = frozenset({"demo-a", "demo-b"})
#: Rows in the detail page's table of quotes (per page of the paginator).
QUOTES_PER_PAGE = 100


@dataclass
class LatestPrice:
    coin: Coin
    #: The current price: the latest *confirmed* quote (None while no source has been confirmed).
    quote: Quote | None
    stale: bool
    sparkline: list[Decimal] = field(default_factory=list)
    #: A newer price no other source has confirmed yet: shown as such, never as the current one.
    unconfirmed: Quote | None = None


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.PRICES_STALE_MINUTES)


def latest_prices(*, now: datetime | None = None, with_sparklines: bool = True) -> list[LatestPrice]:
    """Every coin's current (latest confirmed) price, a newer unconfirmed one if any, and the
    last 24 h of the current source's confirmed prices.

    Three queries whatever the number of coins and quotes.
    """
    now = now or timezone.now()
    confirmed = Quote.objects.filter(coin=OuterRef("pk"), status=QuoteStatus.CONFIRMED).order_by("-fetched_at", "-pk")
    pending = Quote.objects.filter(coin=OuterRef("pk"), status=QuoteStatus.UNCONFIRMED).order_by("-fetched_at", "-pk")
    latest = {
        coin_id: (current, waiting, cap)
        for coin_id, current, waiting, cap in Coin.objects.annotate(
            current=Subquery(confirmed.values("pk")[:1]),
            waiting=Subquery(pending.values("pk")[:1]),
            # Ordered by market cap even when the newest quote comes from a source without one.
            cap=Subquery(confirmed.exclude(market_cap_usd=None).values("market_cap_usd")[:1]),
        )
        .exclude(current=None, waiting=None)
        .values_list("pk", "current", "waiting", "cap")
    }
    wanted = [pk for current, waiting, _ in latest.values() for pk in (current, waiting) if pk]
    quotes = {q.pk: q for q in Quote.objects.filter(pk__in=wanted).select_related("coin")}
    stale_before = _stale_before(now)
    rows = []
    for current, waiting, _ in latest.values():
        quote, newer = quotes.get(current), quotes.get(waiting)
        if quote is not None and newer is not None and newer.fetched_at <= quote.fetched_at:
            newer = None  # an older unconfirmed price is history, not news
        coin = (quote or newer).coin
        rows.append(
            LatestPrice(
                coin=coin, quote=quote, stale=quote is not None and quote.fetched_at < stale_before, unconfirmed=newer
            )
        )
    caps = {coin_id: cap for coin_id, (_, _, cap) in latest.items()}
    rows.sort(key=lambda r: (r.quote is None, caps[r.coin.pk] is None, -(caps[r.coin.pk] or 0), r.coin.symbol))
    if with_sparklines and rows:
        _add_sparklines([row for row in rows if row.quote is not None], now=now)
    return rows


def _add_sparklines(rows: list[LatestPrice], *, now: datetime) -> None:
    """Each coin's sparkline follows the source of its current price: one query for all."""
    if not rows:
        return
    pairs = Q()
    for row in rows:
        pairs |= Q(coin_id=row.coin.pk, source=row.quote.source)
    series: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    history = (
        Quote.objects.filter(pairs, status=QuoteStatus.CONFIRMED, fetched_at__gte=now - SPARKLINE_WINDOW)
        .order_by("fetched_at")
        .values_list("coin_id", "source", "price_usd")
    )
    for coin_id, source, price in history:
        series[(coin_id, source)].append(price)
    for row in rows:
        row.sparkline = series[(row.coin.pk, row.quote.source)]


#: How many coins the home page lists (the biggest by market cap).
HOME_COINS = 10


def home_prices(*, user) -> list[LatestPrice]:
    """The home page's block: the biggest coins' latest prices, for those who may see them."""
    if not user.has_perm("prices.view_quote"):
        return []
    return [row for row in latest_prices(with_sparklines=False) if row.quote is not None][:HOME_COINS]


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
    """The coin's confirmed prices per source over the range, oldest first, for the chart.

    Unconfirmed and refused quotes are never charted.

    Up to a week every quote is drawn; longer ranges are averaged per hour, or per day when
    the history is longer than HOURLY_UP_TO, in SQL, so a year of 5-minute quotes is a few
    hundred points rather than 100,000 rows to send to Python. Two queries at most.
    """
    now = now or timezone.now()
    quotes = Quote.objects.filter(coin=coin, status=QuoteStatus.CONFIRMED)
    span = RANGES[range_key]
    if span is not None:
        quotes = quotes.filter(fetched_at__gte=now - span)
    else:
        oldest = quotes.aggregate(oldest=Min("fetched_at"))["oldest"]
        span = now - oldest if oldest else timedelta(0)
    series: dict[str, list[tuple[datetime, Decimal]]] = defaultdict(list)
    if span <= RAW_UP_TO:
        rows = quotes.order_by("fetched_at").values_list("source", "fetched_at", "price_usd")
    else:
        period = TruncHour("fetched_at") if span <= HOURLY_UP_TO else TruncDay("fetched_at")
        rows = (
            quotes.annotate(period=period)
            .values("source", "period")
            .annotate(price=Avg("price_usd", output_field=DecimalField(max_digits=30, decimal_places=12)))
            .order_by("period")
            .values_list("source", "period", "price")
        )
    for source, at, price in rows:
        series[source].append((at, Decimal(price)))
    return dict(sorted(series.items()))


def coin_quotes(*, coin: Coin, range_key: str, now: datetime | None = None):
    """The coin's quotes over the range, newest first, whatever their status (the table shows it)."""
    now = now or timezone.now()
    quotes = Quote.objects.filter(coin=coin).order_by("-fetched_at", "source")
    span = RANGES[range_key]
    if span is not None:
        quotes = quotes.filter(fetched_at__gte=now - span)
    return quotes
