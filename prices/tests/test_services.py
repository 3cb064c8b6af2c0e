"""Storing quotes: the upsert key, all-or-nothing, coin names, the source status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from prices import services
from prices.models import Coin, Quote, SourceStatus, bucket_of
from prices.parsers import ParsedQuote

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 28, 12, 3, 20, tzinfo=UTC)


def q(symbol, price, name=None, **extra):
    return ParsedQuote(symbol=symbol, name=name or symbol, price_usd=Decimal(price), **extra)


def test_a_quote_is_filed_under_its_five_minute_bucket():
    assert bucket_of(AT) == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert bucket_of(AT + timedelta(minutes=2)) == datetime(2026, 11, 28, 12, 5, tzinfo=UTC)


def test_storing_twice_in_one_bucket_updates_the_row():
    services.quotes_store(source="s", quotes=[q("BTC", "13000", "Bitcoin")], fetched_at=AT)
    services.quotes_store(source="s", quotes=[q("BTC", "13010", "Bitcoin")], fetched_at=AT + timedelta(seconds=30))
    assert Quote.objects.get().price_usd == Decimal("13010")
    services.quotes_store(source="s", quotes=[q("BTC", "13020", "Bitcoin")], fetched_at=AT + timedelta(minutes=5))
    assert Quote.objects.count() == 2


def test_the_database_refuses_a_duplicate_or_a_zero_price():
    services.quotes_store(source="s", quotes=[q("BTC", "13000")], fetched_at=AT)
    coin = Coin.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(coin=coin, source="s", price_usd=1, fetched_at=AT, bucket=bucket_of(AT))
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(coin=coin, source="t", price_usd=0, fetched_at=AT, bucket=bucket_of(AT))


def test_a_price_that_jumps_stores_nothing_from_that_source():
    services.quotes_store(source="a", quotes=[q("BTC", "13000"), q("ETH", "400")], fetched_at=AT)
    with pytest.raises(ValidationError, match="ETH 4000"):
        services.quotes_store(source="b", quotes=[q("BTC", "13100"), q("ETH", "4000")], fetched_at=AT)
    assert not Quote.objects.filter(source="b").exists()


def test_a_coin_first_seen_without_a_name_gets_it_later():
    services.quotes_store(source="binance-api", quotes=[q("BTC", "13000")], fetched_at=AT)
    assert Coin.objects.get().name == "BTC"
    services.quotes_store(source="coingecko-api", quotes=[q("BTC", "13000", "Bitcoin")], fetched_at=AT)
    assert Coin.objects.get().name == "Bitcoin"


def test_prices_keep_their_decimals_and_secondary_figures_are_rounded():
    services.quotes_store(
        source="s",
        quotes=[
            q("SHIB", "0.000008012345", market_cap_usd=Decimal("4723000000.129"), change_24h_pct=Decimal("3.123456"))
        ],
        fetched_at=AT,
    )
    quote = Quote.objects.get()
    assert quote.price_usd == Decimal("0.000008012345")
    assert quote.market_cap_usd == Decimal("4723000000.13")
    assert quote.change_24h_pct == Decimal("3.1235")


def test_the_source_status_remembers_the_last_error_until_a_success():
    services.source_record_failure(source="s", error="HTTP 500", at=AT)
    status = SourceStatus.objects.get()
    assert status.failing and status.last_error == "HTTP 500"
    services.source_record_success(source="s", stored=3, at=AT + timedelta(minutes=5))
    status.refresh_from_db()
    assert not status.failing and status.last_error == "" and status.last_stored == 3
