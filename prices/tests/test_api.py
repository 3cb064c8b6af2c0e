"""The read-only prices endpoints: coins and quotes, filtered by symbol, source and time."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from prices.models import Quote
from prices.parsers.base import ParsedQuote
from prices.services import quotes_store

pytestmark = pytest.mark.django_db

COINS = "/api/v1/prices/coins/"
QUOTES = "/api/v1/prices/quotes/"


@pytest.fixture
def quotes(db):
    """Three hourly runs of two sources for BTC and ETH, stored through the prices service."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    for hour in range(3):
        for source, bump in (("coingecko-api", 0), ("binance-api", 1)):
            quotes_store(
                source=source,
                quotes=[
                    ParsedQuote("BTC", "Bitcoin", Decimal("65000.12345678") + bump + hour),
                    ParsedQuote("ETH", "Ethereum", Decimal("3000.5") + bump + hour, Decimal("1e11")),
                ],
                fetched_at=start + timedelta(hours=hour),
            )
    return start


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_every_role_reads_coins_but_an_outsider_does_not(api, cast, quotes):
    assert [c["symbol"] for c in rows(api(cast.employee).get(COINS))] == ["BTC", "ETH"]
    assert api(cast.outsider).get(COINS).status_code == 403
    assert api().get(COINS).status_code == 401


def test_prices_are_exact_decimal_strings_and_times_iso_8601(api, cast, quotes):
    newest = rows(api(cast.employee).get(QUOTES, {"symbol": "btc", "source": "coingecko-api"}))[0]
    assert newest["price_usd"] == "65002.123456780000"
    assert newest["symbol"] == "BTC"
    assert newest["fetched_at"].startswith(str((quotes + timedelta(hours=2)).year))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, 12),
        ({"symbol": "ETH"}, 6),
        ({"symbol": "ETH,BTC", "source": "binance-api"}, 6),
        ({"source": "nowhere"}, 0),
    ],
)
def test_quotes_filter_by_symbol_and_source(api, cast, quotes, query, expected):
    assert len(rows(api(cast.employee).get(QUOTES, query))) == expected


def test_quotes_filter_by_a_time_range(api, cast, quotes):
    query = {
        "fetched_at_after": (quotes + timedelta(minutes=30)).isoformat(),
        "fetched_at_before": (quotes + timedelta(hours=1, minutes=30)).isoformat(),
    }
    found = rows(api(cast.employee).get(QUOTES, query))
    expected = Quote.objects.filter(fetched_at=quotes + timedelta(hours=1))
    assert sorted(r["id"] for r in found) == sorted(expected.values_list("pk", flat=True))
    assert api(cast.employee).get(QUOTES, {"fetched_at_after": "yesterday"}).status_code == 400


def test_quotes_page_by_cursor_newest_first(api, cast, quotes):
    reader = api(cast.employee)
    seen, url = [], f"{QUOTES}?page_size=5"
    while url:
        body = reader.get(url).json()
        seen += [(r["fetched_at"], r["id"]) for r in body["results"]]
        url = body["next"]
    assert len(seen) == 12 == len({i for _, i in seen})
    times = [Quote.objects.get(pk=i).fetched_at for _, i in seen]
    assert times == sorted(times, reverse=True)


def test_prices_are_read_only_even_for_the_admin(api, cast, quotes):
    admin = api(cast.admin)
    assert admin.post(QUOTES, {"symbol": "BTC"}).status_code == 405
    quote = Quote.objects.first()
    assert admin.delete(f"{QUOTES}{quote.pk}/").status_code == 405
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_the_quotes_list_costs_a_constant_number_of_queries(api, cast, quotes, django_assert_max_num_queries):
    reader = api(cast.employee)
    with django_assert_max_num_queries(6):
        assert len(rows(reader.get(QUOTES, {"page_size": 100}))) == 12


@pytest.mark.parametrize(
    "value", ["0535-01-05T01:25:33-23:49", "0001-01-01T00:00:00+05:00", "2026-11-01T10:00:00+03:00"]
)
def test_any_iso_8601_offset_is_a_result_or_a_400_never_a_database_error(api, cast, quotes, value):
    response = api(cast.employee).get(QUOTES, {"fetched_at_before": value})
    assert response.status_code in {200, 400}


def test_quotes_carry_their_status_and_can_be_filtered_by_it(api, cast, quotes):
    everything = rows(api(cast.employee).get(QUOTES))
    assert {q["status"] for q in everything} <= {"confirmed", "unconfirmed"}
    confirmed = rows(api(cast.employee).get(QUOTES, {"status": "confirmed"}))
    assert confirmed and all(q["status"] == "confirmed" for q in confirmed)
    # Each hour both sources agree within 2 %: the first is confirmed by the second.
    assert len(confirmed) == 12
