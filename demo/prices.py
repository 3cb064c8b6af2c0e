"""Demo price history for seed_demo: deterministic, and without touching the network.

30 days of hourly quotes for ten coins from two sources, as a seeded random walk around
plausible prices, ending at the current 5-minute bucket so the pages are fresh after
``make run``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from prices.models import Coin, Quote, QuoteStatus, SourceStatus, bucket_of

SEED = 20261128
DAYS = 30
#: Named as demo sources, so the price pages label them (prices.selectors.DEMO_SOURCES); the
#: demo_prices command, run every minute by ``make run``, continues them.
SOURCES = ["demo-a", "demo-b"]
#: symbol, name, starting price in USD, market cap in USD (billions), daily volatility.
COINS = [
    ("BTC", "Bitcoin", "67000", 1300, 0.025),
    ("ETH", "Ethereum", "3500", 420, 0.03),
    ("USDT", "Tether", "1.00", 110, 0.0005),
    ("BNB", "BNB", "580", 85, 0.03),
    ("SOL", "Solana", "150", 68, 0.045),
    ("XRP", "XRP", "0.52", 29, 0.04),
    ("ADA", "Cardano", "0.45", 16, 0.04),
    ("DOGE", "Dogecoin", "0.12", 17, 0.05),
    ("DOT", "Polkadot", "6.80", 9, 0.045),
    ("LTC", "Litecoin", "72", 5, 0.035),
]


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.00000001")) if value < 1 else value.quantize(Decimal("0.0001"))


def seed_prices(*, now: datetime, log: Callable[[str], None] = lambda _msg: None) -> int:
    """Load the demo price history; returns the number of quotes. Call on an empty prices table."""
    rng = random.Random(SEED)
    end = bucket_of(now)
    hours = DAYS * 24
    # Primary keys come back from bulk_create on SQLite and PostgreSQL alike.
    coins = Coin.objects.bulk_create([Coin(symbol=s, name=n) for s, n, *_ in COINS])
    quotes: list[Quote] = []
    for coin, (_symbol, _name, start, cap_billions, volatility) in zip(coins, COINS, strict=True):
        price = Decimal(start)
        hourly = volatility / 24**0.5
        path = []
        for _ in range(hours + 1):
            if coin.symbol == "USDT":
                price = Decimal("1") + Decimal(str(round(rng.gauss(0, 0.0005), 6)))
            else:
                price *= Decimal(str(round(1 + rng.gauss(0, hourly), 6)))
            path.append(price)
        supply = Decimal(cap_billions) * 10**9 / Decimal(start)
        for hour, base in enumerate(path):
            at = end - timedelta(hours=hours - hour)
            day_ago = path[max(hour - 24, 0)]
            for index, source in enumerate(SOURCES):
                # The two sources disagree by a few hundredths of a percent, as real ones do.
                price = _quantize(base * (1 + Decimal(index) * Decimal("0.0004")))
                quotes.append(
                    Quote(
                        coin=coin,
                        source=source,
                        price_usd=price,
                        market_cap_usd=(price * supply).quantize(Decimal("1")) if index == 0 else None,
                        change_24h_pct=((base - day_ago) / day_ago * 100).quantize(Decimal("0.0001")),
                        fetched_at=at,
                        bucket=bucket_of(at),
                        status=QuoteStatus.CONFIRMED,  # the two demo sources agree
                        status_note="demo data",
                    )
                )
    with transaction.atomic():
        Quote.objects.bulk_create(quotes, batch_size=2000)
        SourceStatus.objects.bulk_create(
            [SourceStatus(source=s, last_run_at=end, last_success_at=end, last_stored=len(COINS)) for s in SOURCES]
        )
    log(f"  price quotes: {len(quotes):,}")
    return len(quotes)
