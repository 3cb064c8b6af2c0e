"""Writes for the prices app: storing a source's quotes (all or nothing) and its status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from prices.models import PRICE_DECIMAL_PLACES, Coin, Quote, SourceStatus, bucket_of
from prices.parsers.base import ParsedQuote

_PRICE_STEP = Decimal(1).scaleb(-PRICE_DECIMAL_PLACES)
_CENT = Decimal("0.01")
_PCT_STEP = Decimal("0.0001")
#: How far back a stored price counts as "the last known price" for the deviation check.
DEVIATION_WINDOW = timedelta(hours=24)


def _coins_for(quotes: Iterable[ParsedQuote]) -> dict[str, Coin]:
    """The Coin for every symbol, creating the missing ones (two queries whatever the count)."""
    names = {q.symbol: q.name for q in quotes}
    existing = {coin.symbol: coin for coin in Coin.objects.filter(symbol__in=names)}
    new = [Coin(symbol=s, name=n[:100] or s) for s, n in names.items() if s not in existing]
    if new:
        Coin.objects.bulk_create(new, ignore_conflicts=True)
        existing = {coin.symbol: coin for coin in Coin.objects.filter(symbol__in=names)}
    # A coin first seen on a source without names (Binance) gets its real name later.
    renamed = [c for c in existing.values() if c.name == c.symbol and names[c.symbol] not in ("", c.symbol)]
    for coin in renamed:
        coin.name = names[coin.symbol][:100]
    if renamed:
        Coin.objects.bulk_update(renamed, ["name"])
    return existing


def _check_deviation(coins: dict[str, Coin], quotes: list[ParsedQuote], *, source: str, now: datetime) -> None:
    """Refuse a price too far from the coin's last stored one (any source, last 24 h)."""
    limit = Decimal(settings.PRICES_MAX_DEVIATION_PCT) / 100
    latest = (
        Quote.objects.filter(coin=OuterRef("pk"), fetched_at__gte=now - DEVIATION_WINDOW, fetched_at__lte=now)
        .order_by("-fetched_at")
        .values("price_usd")[:1]
    )
    last = dict(
        Coin.objects.filter(pk__in=[c.pk for c in coins.values()])
        .annotate(last=Subquery(latest))
        .exclude(last=None)
        .values_list("symbol", "last")
    )
    wrong = []
    for quote in quotes:
        before = last.get(quote.symbol)
        if before and abs(quote.price_usd - before) / before > limit:
            wrong.append(f"{quote.symbol} {quote.price_usd} vs {before} stored")
    if wrong:
        raise ValidationError(
            f"prices more than {settings.PRICES_MAX_DEVIATION_PCT}% away from the last stored price: "
            + "; ".join(wrong)
        )


def _quantize(value: Decimal | None, step: Decimal) -> Decimal | None:
    return None if value is None else value.quantize(step, rounding=ROUND_HALF_EVEN)


def quotes_store(*, source: str, quotes: list[ParsedQuote], fetched_at: datetime) -> int:
    """Store one source's checked quotes in one transaction; re-runs in the same bucket update.

    Raises ValidationError (and stores nothing) when a price strays too far from the last
    stored one. Returns the number of quotes written.
    """
    bucket = bucket_of(fetched_at)
    # Market cap and 24 h change are secondary: a figure too big for its column is dropped
    # rather than failing the source; the price itself has passed the sanity checks.
    with transaction.atomic():
        coins = _coins_for(quotes)
        _check_deviation(coins, quotes, source=source, now=fetched_at)
        rows = [
            Quote(
                coin=coins[q.symbol],
                source=source,
                price_usd=_quantize(q.price_usd, _PRICE_STEP),
                market_cap_usd=_quantize(q.market_cap_usd, _CENT)
                if q.market_cap_usd is not None and q.market_cap_usd < Decimal("1e21")
                else None,
                change_24h_pct=_quantize(q.change_24h_pct, _PCT_STEP)
                if q.change_24h_pct is not None and abs(q.change_24h_pct) < Decimal("1e9")
                else None,
                fetched_at=fetched_at,
                bucket=bucket,
            )
            for q in quotes
        ]
        Quote.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["coin", "source", "bucket"],
            update_fields=["price_usd", "market_cap_usd", "change_24h_pct", "fetched_at"],
        )
    return len(rows)


def source_record_success(*, source: str, stored: int, at: datetime) -> None:
    SourceStatus.objects.update_or_create(
        source=source,
        defaults={"last_run_at": at, "last_success_at": at, "last_stored": stored, "failing": False, "last_error": ""},
    )


def source_record_failure(*, source: str, error: str, at: datetime) -> None:
    SourceStatus.objects.update_or_create(
        source=source,
        defaults={"last_run_at": at, "last_error": error[:2000], "last_error_at": at, "failing": True},
    )
