"""CoinGecko's listing page (https://www.coingecko.com/en), parsed with BeautifulSoup + lxml.

The parser follows the markup it meets: the 2020 table below, or today's (2025) tables in
``coingecko_html_2025``. A page with neither fails as unknown markup.

Reads the raw numbers CoinGecko puts in ``data-sort`` attributes and the symbol from the
price span's ``data-coin-symbol``, not the display text; the display text is only used to
cross-check the raw number when it is in the en-US format.
"""

from __future__ import annotations

import soupsieve as sv
from bs4 import BeautifulSoup, SoupStrainer

from prices.parsers import coingecko_html_2025
from prices.parsers.base import (
    ParsedQuote,
    ParseError,
    ParseResult,
    check_display,
    optional_decimal,
    page_language,
    to_decimal,
)

_TABLES = SoupStrainer("table")
# Compiled once: soupsieve compiling a selector per row cost more than parsing the rows.
_TABLE = sv.compile("table.table-scrollable")
_ROWS = sv.compile("tbody tr")
_NAME = sv.compile("td.coin-name[data-sort]")
_PRICE = sv.compile("td.td-price[data-sort]")
_SYMBOL = sv.compile('span[data-target="price.price"][data-coin-symbol]')
_CHANGE = sv.compile("td.td-change24h[data-sort]")


def parse(content: bytes) -> ParseResult:
    """Whichever markup the page has: the 2020 ``table.table-scrollable`` or 2025's tables."""
    language = page_language(content)
    if coingecko_html_2025.MARKER in content and b"table-scrollable" not in content:
        return coingecko_html_2025.parse(content, language)
    # Only tables are built into the tree: half the time of the whole 1 MB page.
    soup = BeautifulSoup(content, "lxml", parse_only=_TABLES)
    table = _TABLE.select_one(soup)
    if table is not None:
        return _parse_2020(table, language)
    raise ParseError(
        "unknown markup: neither table.table-scrollable (2020) nor table.gecko-homepage-coin-table (2025) "
        "on the page (has the layout changed?)"
    )


def _parse_2020(table, language: str | None) -> ParseResult:
    rows = _ROWS.select(table)
    if not rows:
        raise ParseError("the price table has no rows")
    quotes: list[ParsedQuote] = []
    for number, row in enumerate(rows, start=1):
        name_cell = _NAME.select_one(row)
        price_cell = _PRICE.select_one(row)
        span = _SYMBOL.select_one(price_cell) if price_cell else None
        if name_cell is None or price_cell is None or span is None:
            raise ParseError(f"unknown markup in row {number}: no coin name / price cell with data-sort")
        symbol = span["data-coin-symbol"].strip().upper()
        if not symbol:
            raise ParseError(f"row {number}: empty data-coin-symbol")
        price = to_decimal(price_cell["data-sort"], what=f"{symbol} price")
        check_display(symbol, price, span.get_text(), language=language)
        change_cell = _CHANGE.select_one(row)
        change = optional_decimal(change_cell["data-sort"]) if change_cell is not None else None
        # The "cap" cell's data-sort is not the market cap in USD on every version of the
        # page (in 2020 it held the circulating supply), so it is not read.
        quotes.append(
            ParsedQuote(symbol=symbol, name=name_cell["data-sort"].strip(), price_usd=price, change_24h_pct=change)
        )
    return ParseResult(quotes=quotes)
