"""The checks that decide whether a parsed page may be stored at all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prices.parsers import ParsedQuote, ParseError, ParseResult
from prices.sanity import select_wanted


def q(symbol: str, price: str) -> ParsedQuote:
    return ParsedQuote(symbol=symbol, name=symbol.title(), price_usd=Decimal(price))


def test_it_keeps_only_the_wanted_coins_and_reports_the_missing_ones():
    chosen, missing = select_wanted(ParseResult([q("BTC", "13000"), q("XYZ", "2")]), ["BTC", "ETH"])
    assert [c.symbol for c in chosen] == ["BTC"]
    assert missing == ["ETH"]


@pytest.mark.parametrize("price", ["0", "-1", "0.0000000000001", "25000000"])
def test_it_fails_the_page_on_a_zero_negative_or_absurd_price_in_any_row(price):
    # Even a row we do not keep: a misread anywhere means the page cannot be trusted.
    with pytest.raises(ParseError, match="XYZ"):
        select_wanted(ParseResult([q("BTC", "13000"), q("XYZ", price)]), ["BTC"])


def test_it_fails_a_stablecoin_far_from_its_peg():
    with pytest.raises(ParseError, match="USDT"):
        select_wanted(ParseResult([q("USDT", "100.2")]), ["USDT"])


def test_it_fails_when_a_wanted_coin_is_listed_without_a_price():
    result = ParseResult([q("BTC", "13000")], unpriced={"ETH": "pair ETHUSDT is dead (price 0)"})
    with pytest.raises(ParseError, match="ETH: pair ETHUSDT is dead"):
        select_wanted(result, ["BTC", "ETH"])


def test_it_ignores_dead_pairs_of_coins_nobody_wants():
    result = ParseResult([q("BTC", "13000")], unpriced={"BCC": "dead"})
    assert select_wanted(result, ["BTC"])[0][0].symbol == "BTC"


def test_it_fails_a_page_with_no_prices_or_none_of_the_wanted_coins():
    with pytest.raises(ParseError, match="no prices"):
        select_wanted(ParseResult([]), ["BTC"])
    with pytest.raises(ParseError, match="none of the configured coins"):
        select_wanted(ParseResult([q("XYZ", "1")]), ["BTC"])


def test_when_two_coins_share_a_ticker_the_first_listed_wins():
    chosen, _ = select_wanted(ParseResult([q("BTC", "13000"), q("BTC", "0.5")]), ["BTC"])
    assert chosen[0].price_usd == Decimal("13000")
