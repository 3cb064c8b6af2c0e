"""CoinGecko's home page as served in 2025 (``/de`` and the other locales), BeautifulSoup + lxml.

The page holds two identical ``table.gecko-homepage-coin-table`` (one per layout): rows are
de-duplicated by ``data-coin-id``, and two rows of one coin that disagree fail the page. The
price is the raw USD number in ``span[data-price-target="price"][data-price-usd]``, which must
match its cell's ``data-sort``; the display text (``$122.564`` on the German page means
122,564) is read only to cross-check it, in the language ``<html lang>`` declares.
"""

from __future__ import annotations

import soupsieve as sv
from bs4 import BeautifulSoup, NavigableString, SoupStrainer

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, check_display, optional_decimal, to_decimal

_TABLES = SoupStrainer("table")
TABLE = sv.compile("table.gecko-homepage-coin-table")
_ROWS = sv.compile("tbody tr")
_NAME = sv.compile("td a div[data-view-component]")
_PRICE = sv.compile('span[data-price-target="price"][data-price-usd]')
_CHANGE_24H = sv.compile('span[data-attr="price_change_percentage_24h"]')


def _name_and_symbol(row, number: int) -> tuple[str, str]:
    name_tag = _NAME.select_one(row)
    symbol_tag = name_tag.find("div") if name_tag is not None else None
    if name_tag is None or symbol_tag is None:
        raise ParseError(f"unknown markup in row {number}: no coin name / symbol")
    # The name is the div's own text; the symbol is its nested div.
    name = " ".join(t.strip() for t in name_tag.children if isinstance(t, NavigableString) and t.strip())
    return name, symbol_tag.get_text(strip=True).upper()


def _change(row):
    span = _CHANGE_24H.select_one(row)
    cell = span.find_parent("td") if span is not None else None
    return optional_decimal(cell.get("data-sort")) if cell is not None else None


def parse_soup(soup: BeautifulSoup, language: str | None) -> ParseResult:
    rows = [row for table in TABLE.select(soup) for row in _ROWS.select(table)]
    if not rows:
        raise ParseError("the price table has no rows")
    seen: dict[str, ParsedQuote] = {}
    for number, row in enumerate(rows, start=1):
        name, symbol = _name_and_symbol(row, number)
        span = _PRICE.select_one(row)
        if span is None or not symbol:
            raise ParseError(f"unknown markup in row {number}: no price with data-price-usd")
        price = to_decimal(span["data-price-usd"], what=f"{symbol} price")
        cell = span.find_parent("td")
        if cell is not None and cell.get("data-sort") and to_decimal(cell["data-sort"], what=f"{symbol}") != price:
            raise ParseError(f"{symbol}: data-price-usd {price} and the cell's data-sort {cell['data-sort']} differ")
        check_display(symbol, price, span.get_text(), language=language)
        quote = ParsedQuote(symbol=symbol, name=name, price_usd=price, change_24h_pct=_change(row))
        coin_id = span.get("data-coin-id") or f"row {number}"
        earlier = seen.get(coin_id)
        if earlier is not None and (earlier.symbol, earlier.price_usd) != (symbol, price):
            raise ParseError(f"{symbol}: the page's two tables disagree ({earlier.price_usd} and {price})")
        seen.setdefault(coin_id, quote)
    return ParseResult(quotes=list(seen.values()))
