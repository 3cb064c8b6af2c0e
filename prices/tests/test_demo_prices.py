"""make run keeps demo prices fresh: demo_prices continues the seeded demo sources, which agree."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from demo.prices import COINS, seed_prices
from prices.management.commands.demo_prices import demo_tick
from prices.models import Quote
from prices.selectors import latest_prices

pytestmark = pytest.mark.django_db


def test_a_tick_adds_confirmed_quotes_from_both_demo_sources(settings):
    seed_prices(now=timezone.now() - timezone.timedelta(hours=2))  # seeded two hours ago: now stale
    settings.PRICES_STALE_MINUTES = 30
    assert all(row.stale for row in latest_prices())
    assert demo_tick(random.Random(1)) == len(COINS)
    rows = latest_prices()
    assert not any(row.stale for row in rows)
    assert {row.quote.source for row in rows} <= {"demo-a", "demo-b"}
    newest = Quote.objects.order_by("-fetched_at")[: 2 * len(COINS)]
    assert {q.status for q in newest} == {"confirmed"}


def test_without_demo_data_a_tick_does_nothing(make_quote):
    make_quote("BTC", "13000", source="coingecko-api")
    assert demo_tick(random.Random(1)) == 0
    assert Quote.objects.count() == 1


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_prices")
