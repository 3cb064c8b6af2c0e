"""Checks that decide whether a parsed page may be stored at all (pure functions).

A source either passes as a whole or stores nothing: one absurd number on a page means the
page (or our reading of it) cannot be trusted, and a wrong price is worse than a missing one.
"""

from __future__ import annotations

from decimal import Decimal

from prices.models import PRICE_DECIMAL_PLACES
from prices.parsers.base import ParsedQuote, ParseError, ParseResult
from prices.registry import STABLECOINS, known_name, name_mismatch

#: No coin trades above this; a bigger number is a misread (a market cap, a shifted decimal).
MAX_PRICE_USD = Decimal("10000000")
#: The smallest price the database keeps (12 decimal places); below it a price would round to 0.
MIN_PRICE_USD = Decimal(1).scaleb(-PRICE_DECIMAL_PLACES)
#: How far from 1 USD a dollar stablecoin may be before we distrust the page. Only one check
#: among others: a stablecoin's price is also confirmed across sources like any other.
PEG_BAND = (Decimal("0.8"), Decimal("1.2"))


def check_price(quote: ParsedQuote) -> None:
    price = quote.price_usd
    if price <= 0:
        raise ParseError(f"{quote.symbol}: price {price} is not above zero")
    if price < MIN_PRICE_USD or price > MAX_PRICE_USD:
        raise ParseError(f"{quote.symbol}: price {price} USD is outside {MIN_PRICE_USD}–{MAX_PRICE_USD}")
    if quote.symbol in STABLECOINS and not PEG_BAND[0] <= price <= PEG_BAND[1]:
        raise ParseError(f"{quote.symbol}: a dollar stablecoin at {price} USD is not believable")
    mismatch = name_mismatch(quote.symbol, quote.name, strict=False)
    if mismatch:
        raise ParseError(f"{quote.symbol}: name and symbol do not belong together ({mismatch})")


def _one_per_symbol(quotes: list[ParsedQuote], wanted: list[str]) -> dict[str, ParsedQuote]:
    """Each wanted symbol's single row; a wanted symbol listed twice is refused.

    Two rows with one ticker are told apart only by the registry: when exactly one of them
    carries the coin's registered name, the others are different coins sharing the ticker.
    Otherwise we cannot know which row is the coin (a fake row placed first must not win).
    """
    rows: dict[str, list[ParsedQuote]] = {}
    for quote in quotes:
        rows.setdefault(quote.symbol, []).append(quote)
    chosen: dict[str, ParsedQuote] = {}
    for symbol in wanted:
        candidates = rows.get(symbol, [])
        if len(candidates) > 1:
            named = [c for c in candidates if known_name(symbol, c.name)]
            if len(named) != 1:
                prices = ", ".join(str(c.price_usd) for c in candidates)
                raise ParseError(
                    f"{symbol}: listed {len(candidates)} times on the page ({prices}); refusing to pick one"
                )
            candidates = named
        if candidates:
            chosen[symbol] = candidates[0]
    return chosen


def select_wanted(result: ParseResult, wanted: list[str]) -> tuple[list[ParsedQuote], list[str]]:
    """The quotes for the coins we keep, after checking every row; and the wanted coins not listed.

    Every priced row is checked, not only the wanted ones: a zero or absurd number anywhere
    on the page means the parser may be misreading it. A wanted coin listed without a price
    (a dead pair, a null) is an error; a wanted coin the source doesn't list is only reported.
    """
    if not result.quotes:
        raise ParseError("the page yielded no prices")
    for quote in result.quotes:
        check_price(quote)
    dead = [f"{symbol}: {result.unpriced[symbol]}" for symbol in wanted if symbol in result.unpriced]
    by_symbol = _one_per_symbol(result.quotes, wanted)
    for quote in by_symbol.values():
        mismatch = name_mismatch(quote.symbol, quote.name)
        if mismatch:
            raise ParseError(f"{quote.symbol}: name and symbol do not belong together ({mismatch})")
    chosen = [by_symbol[symbol] for symbol in wanted if symbol in by_symbol]
    dead = [d for d in dead if d.split(":", 1)[0] not in by_symbol]
    if dead:
        raise ParseError("wanted coins without a price: " + "; ".join(dead))
    if not chosen:
        raise ParseError(f"none of the configured coins ({', '.join(wanted)}) is on the page")
    missing = [symbol for symbol in wanted if symbol not in by_symbol]
    return chosen, missing
