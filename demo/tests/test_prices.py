"""The demo price history: deterministic, fresh, and offline."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.prices import COINS, DAYS, SOURCES, seed_prices
from prices.models import Quote
from prices.selectors import latest_prices

pytestmark = pytest.mark.django_db


def test_the_demo_history_is_30_days_of_hourly_quotes_per_coin_and_source():
    now = timezone.now()
    count = seed_prices(now=now)
    assert count == len(COINS) * len(SOURCES) * (DAYS * 24 + 1) == Quote.objects.count()
    rows = latest_prices(now=now)
    assert len(rows) == len(COINS)
    assert not any(row.stale for row in rows)


def test_the_demo_history_is_the_same_every_time():
    now = timezone.now()
    seed_prices(now=now)
    first = list(
        Quote.objects.order_by("coin__symbol", "source", "fetched_at").values_list("price_usd", flat=True)[:50]
    )
    Quote.objects.all().delete()
    from prices.models import Coin, SourceStatus

    Coin.objects.all().delete()
    SourceStatus.objects.all().delete()
    seed_prices(now=now)
    again = list(
        Quote.objects.order_by("coin__symbol", "source", "fetched_at").values_list("price_usd", flat=True)[:50]
    )
    assert first == again
