"""Writes for the prices app: judging and storing a source's quotes (all or nothing) and its status."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from prices.models import PRICE_DECIMAL_PLACES, Coin, Quote, QuoteStatus, SourceStatus, bucket_of
from prices.parsers.base import ParsedQuote

_PRICE_STEP = Decimal(1).scaleb(-PRICE_DECIMAL_PLACES)
_CENT = Decimal("0.01")
_PCT_STEP = Decimal("0.0001")

logger = logging.getLogger(__name__)


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


@dataclass
class Verdict:
    status: str
    note: str
    #: Other sources' unconfirmed quotes this price confirms (they become confirmed too).
    confirms: list[int] = field(default_factory=list)


@dataclass
class Evidence:
    """What the database knows about a coin right now, to judge a new price of it."""

    #: Median of the coin's confirmed quotes in the history window, or None.
    reference: Decimal | None = None
    #: The latest quote (confirmed or unconfirmed) of every *other* source in the agreement window.
    others: list[tuple[str, Decimal, int, str]] = field(default_factory=list)


def _pct(a: Decimal, b: Decimal) -> Decimal:
    return abs(a - b) / b * 100


def _evidence(coins: dict[str, Coin], *, source: str, now: datetime) -> dict[int, Evidence]:
    """Confirmed history medians and other sources' recent quotes for these coins (two queries)."""
    ids = [c.pk for c in coins.values()]
    evidence: dict[int, Evidence] = {pk: Evidence() for pk in ids}
    history: dict[int, list[Decimal]] = {}
    confirmed = Quote.objects.filter(
        coin_id__in=ids,
        status=QuoteStatus.CONFIRMED,
        fetched_at__gte=now - timedelta(minutes=settings.PRICES_HISTORY_MINUTES),
        fetched_at__lte=now,
    ).values_list("coin_id", "price_usd")
    for coin_id, price in confirmed:
        history.setdefault(coin_id, []).append(price)
    for coin_id, prices in history.items():
        evidence[coin_id].reference = median(prices)
    recent = (
        Quote.objects.filter(
            coin_id__in=ids,
            status__in=[QuoteStatus.CONFIRMED, QuoteStatus.UNCONFIRMED],
            fetched_at__gte=now - timedelta(minutes=settings.PRICES_AGREE_MINUTES),
            fetched_at__lte=now,
        )
        .exclude(source=source)
        .order_by("coin_id", "source", "-fetched_at")
        .values_list("coin_id", "source", "price_usd", "pk", "status")
    )
    seen = set()
    for coin_id, other, price, pk, status in recent:
        if (coin_id, other) not in seen:  # the latest quote of each other source only
            seen.add((coin_id, other))
            evidence[coin_id].others.append((other, price, pk, status))
    return evidence


def judge(price: Decimal, evidence: Evidence) -> Verdict:
    """Confirmed, unconfirmed or refused: the agreement rule (docs/decisions/prices-agreement.md).

    - Refused when the coin has confirmed history and the price is more than
      PRICES_MAX_DEVIATION_PCT away from its median: clearly wrong, never stored.
    - Confirmed when it is within PRICES_AGREE_PCT of that median, or of another source's
      latest quote of the last PRICES_AGREE_MINUTES (which is then confirmed too).
    - Otherwise unconfirmed: kept with its source, never current, never charted.
    The reference is a median of confirmed quotes, never "the latest row", so one stored
    outlier cannot block the prices that come after it.
    """
    agree = Decimal(settings.PRICES_AGREE_PCT)
    ref = evidence.reference
    if ref is not None and _pct(price, ref) > Decimal(settings.PRICES_MAX_DEVIATION_PCT):
        return Verdict(
            QuoteStatus.REFUSED,
            f"{price.normalize():f} is {_pct(price, ref):.0f}% away from the confirmed price {ref.normalize():f} "
            f"(median of the last {settings.PRICES_HISTORY_MINUTES} min)",
        )
    agreeing = [(name, p, pk, status) for name, p, pk, status in evidence.others if _pct(price, p) <= agree]
    if agreeing:
        names = ", ".join(f"{name} ({p.normalize():f})" for name, p, _, _ in agreeing)
        confirms = [pk for _, _, pk, status in agreeing if status == QuoteStatus.UNCONFIRMED]
        return Verdict(QuoteStatus.CONFIRMED, f"agrees with {names}"[:300], confirms)
    if ref is not None and _pct(price, ref) <= agree:
        return Verdict(QuoteStatus.CONFIRMED, f"agrees with the confirmed history ({ref.normalize():f})")
    if ref is None:
        why = "no confirmed history and no other source agrees yet"
    else:
        why = (
            f"{_pct(price, ref):.1f}% away from the confirmed history ({ref.normalize():f}) and no other source agrees"
        )
    return Verdict(QuoteStatus.UNCONFIRMED, why)


def _quantize(value: Decimal | None, step: Decimal) -> Decimal | None:
    return None if value is None else value.quantize(step, rounding=ROUND_HALF_EVEN)


@dataclass
class Stored:
    """What quotes_store did: how many rows, and which coins stayed unconfirmed and why."""

    count: int = 0
    confirmed: int = 0
    unconfirmed: dict[str, str] = field(default_factory=dict)


def _refuse_outliers(coin_ids: list[int], *, confirmed: dict[int, Decimal], now: datetime) -> None:
    """Unconfirmed quotes far from a price just confirmed were wrong: mark them refused."""
    limit = Decimal(settings.PRICES_MAX_DEVIATION_PCT)
    pending = Quote.objects.filter(
        coin_id__in=coin_ids,
        status=QuoteStatus.UNCONFIRMED,
        fetched_at__gte=now - timedelta(minutes=settings.PRICES_HISTORY_MINUTES),
    ).values_list("pk", "coin_id", "price_usd")
    wrong = [pk for pk, coin_id, price in pending if _pct(price, confirmed[coin_id]) > limit]
    if wrong:
        Quote.objects.filter(pk__in=wrong).update(
            status=QuoteStatus.REFUSED, status_note="far from the price confirmed later"
        )


def quotes_store(*, source: str, quotes: list[ParsedQuote], fetched_at: datetime) -> Stored:
    """Judge one source's checked quotes against the evidence and store them in one transaction.

    Raises ValidationError (and stores nothing from this source) when any price is refused:
    one clearly wrong price means the page, or our reading of it, cannot be trusted. Re-runs
    in the same bucket update the row.
    """
    bucket = bucket_of(fetched_at)
    result = Stored()
    # Market cap and 24 h change are secondary: a figure too big for its column is dropped
    # rather than failing the source; the price itself has passed the sanity checks.
    with transaction.atomic():
        coins = _coins_for(quotes)
        evidence = _evidence(coins, source=source, now=fetched_at)
        verdicts = {q.symbol: judge(q.price_usd, evidence[coins[q.symbol].pk]) for q in quotes}
        refused = [f"{symbol}: refused, {v.note}" for symbol, v in verdicts.items() if v.status == QuoteStatus.REFUSED]
        if refused:
            for line in refused:
                logger.warning("prices: %s: %s", source, line)
            raise ValidationError("; ".join(refused))
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
                status=verdicts[q.symbol].status,
                status_note=verdicts[q.symbol].note,
            )
            for q in quotes
        ]
        Quote.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["coin", "source", "bucket"],
            update_fields=["price_usd", "market_cap_usd", "change_24h_pct", "fetched_at", "status", "status_note"],
        )
        confirms = [pk for v in verdicts.values() for pk in v.confirms]
        if confirms:
            Quote.objects.filter(pk__in=confirms).update(
                status=QuoteStatus.CONFIRMED, status_note=f"confirmed later by {source}"
            )
        confirmed = {
            coins[q.symbol].pk: q.price_usd for q in quotes if verdicts[q.symbol].status == QuoteStatus.CONFIRMED
        }
        if confirmed:
            _refuse_outliers(list(confirmed), confirmed=confirmed, now=fetched_at)
    result.count = len(rows)
    result.confirmed = len(confirmed)
    result.unconfirmed = {s: v.note for s, v in verdicts.items() if v.status == QuoteStatus.UNCONFIRMED}
    return result


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
