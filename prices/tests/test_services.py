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


def confirmed_history(symbol="BTC", price="13000", *, sources=("x", "y"), at=AT - timedelta(minutes=4)):
    for source in sources:
        services.quotes_store(source=source, quotes=[q(symbol, price)], fetched_at=at)


def status_of(source, symbol="BTC"):
    return Quote.objects.filter(source=source, coin__symbol=symbol).latest("fetched_at").status


def test_a_price_far_from_the_confirmed_history_is_refused_and_nothing_of_that_source_is_stored():
    confirmed_history("BTC", "13000")
    confirmed_history("ETH", "400")
    with pytest.raises(ValidationError, match="ETH: refused, 4000 is 900% away from the confirmed price 400"):
        services.quotes_store(source="b", quotes=[q("BTC", "13100"), q("ETH", "4000")], fetched_at=AT)
    assert not Quote.objects.filter(source="b").exists()


def test_a_first_price_is_unconfirmed_until_a_second_source_agrees():
    alone = services.quotes_store(source="a", quotes=[q("BTC", "13000")], fetched_at=AT)
    assert alone.confirmed == 0 and "BTC" in alone.unconfirmed
    assert status_of("a") == "unconfirmed"
    both = services.quotes_store(source="b", quotes=[q("BTC", "13100")], fetched_at=AT + timedelta(minutes=1))
    assert both.confirmed == 1
    assert status_of("a") == status_of("b") == "confirmed"  # the first one is confirmed by the second


def test_two_sources_that_disagree_both_stay_unconfirmed():
    services.quotes_store(source="a", quotes=[q("BTC", "0.0001")], fetched_at=AT)
    services.quotes_store(source="b", quotes=[q("BTC", "13000")], fetched_at=AT)
    assert status_of("a") == status_of("b") == "unconfirmed"
    # A third source settles it: the agreeing pair is confirmed, the absurd one refused.
    services.quotes_store(source="c", quotes=[q("BTC", "13050")], fetched_at=AT + timedelta(minutes=1))
    assert status_of("b") == status_of("c") == "confirmed"
    assert status_of("a") == "refused"


def test_one_source_agreeing_with_the_confirmed_history_is_confirmed():
    confirmed_history("BTC", "13000")
    stored = services.quotes_store(source="a", quotes=[q("BTC", "13100")], fetched_at=AT + timedelta(minutes=20))
    assert stored.confirmed == 1 and status_of("a") == "confirmed"


def test_history_older_than_the_window_confirms_nothing():
    confirmed_history("BTC", "13000", at=AT - timedelta(minutes=45))
    services.quotes_store(source="a", quotes=[q("BTC", "13100")], fetched_at=AT)
    assert status_of("a") == "unconfirmed"


def test_a_move_beyond_the_tolerance_waits_for_a_second_source():
    confirmed_history("BTC", "13000")
    services.quotes_store(source="a", quotes=[q("BTC", "14000")], fetched_at=AT)  # +7.7 %: not refused
    assert status_of("a") == "unconfirmed"
    services.quotes_store(source="b", quotes=[q("BTC", "14050")], fetched_at=AT)
    assert status_of("a") == status_of("b") == "confirmed"


def test_a_stored_outlier_does_not_block_later_agreeing_prices():
    confirmed_history("BTC", "13000")
    services.quotes_store(source="a", quotes=[q("BTC", "14000")], fetched_at=AT)  # unconfirmed outlier, the latest row
    stored = services.quotes_store(source="b", quotes=[q("BTC", "13020")], fetched_at=AT + timedelta(minutes=1))
    assert stored.confirmed == 1  # judged against the confirmed median, not against the latest row


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


def test_a_source_listing_thousands_of_coins_is_stored_whole():
    # PostgreSQL takes at most 65,535 parameters in one statement, and the settings send them
    # apart from the SQL: 8,000 coins of 9 columns must still go in (Django inserts them with
    # UNNEST, one parameter per column).
    quotes = [q(f"C{n}", "1.5", f"Coin {n}") for n in range(8000)]
    services.quotes_store(source="s", quotes=quotes, fetched_at=AT)
    assert Quote.objects.filter(source="s").count() == Coin.objects.count() == 8000
    # A second run in the same bucket updates every row.
    services.quotes_store(source="s", quotes=[q(x.symbol, "1.6", x.name) for x in quotes], fetched_at=AT)
    assert set(Quote.objects.values_list("price_usd", flat=True)) == {Decimal("1.6")}
