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


def test_a_wanted_symbol_listed_twice_is_refused_whichever_row_comes_first():
    with pytest.raises(ParseError, match="BTC: listed 2 times"):
        select_wanted(ParseResult([q("BTC", "0.5"), q("BTC", "13000")]), ["BTC"])
    named = [ParsedQuote("BTC", "Bitcoin", Decimal("0.5")), ParsedQuote("BTC", "Bitcoin", Decimal("13000"))]
    with pytest.raises(ParseError, match="refusing to pick one"):
        select_wanted(ParseResult(named), ["BTC"])


def test_two_coins_sharing_a_ticker_are_told_apart_by_the_registered_name():
    rows = [ParsedQuote("BTC", "Bitcoin BEP2 Fork", Decimal("3")), ParsedQuote("BTC", "Bitcoin", Decimal("13000"))]
    chosen, _ = select_wanted(ParseResult(rows), ["BTC"])
    assert chosen[0].price_usd == Decimal("13000")


def test_an_unwanted_ticker_listed_twice_does_not_fail_the_page():
    chosen, _ = select_wanted(ParseResult([q("BTC", "13000"), q("XYZ", "1"), q("XYZ", "2")]), ["BTC"])
    assert [c.symbol for c in chosen] == ["BTC"]


@pytest.mark.parametrize(
    ("symbol", "name"), [("ETH", "Bitcoin"), ("BTC", "Ethereum"), ("XYZ", "Bitcoin"), ("USDT", "Dogecoin")]
)
def test_a_row_whose_name_and_symbol_do_not_belong_together_fails_the_page(symbol, name):
    rows = [ParsedQuote("BTC", "Bitcoin", Decimal("13000")), ParsedQuote(symbol, name, Decimal("1"))]
    with pytest.raises(ParseError, match="do not belong together"):
        select_wanted(ParseResult(rows), ["BTC"])


@pytest.mark.parametrize(("symbol", "name"), [("BNB", "Binance Coin"), ("BNB", "BNB"), ("USDT", "Tether USDt")])
def test_the_names_sites_really_use_are_accepted(symbol, name):
    price = "1" if symbol == "USDT" else "300"
    chosen, _ = select_wanted(ParseResult([ParsedQuote(symbol, name, Decimal(price))]), [symbol])
    assert chosen[0].name == name
