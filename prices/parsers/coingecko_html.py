"""CoinGecko's listing page (https://www.coingecko.com/en), parsed with BeautifulSoup + lxml.

Reads the raw numbers CoinGecko puts in ``data-sort`` attributes and the symbol from the
price span's ``data-coin-symbol``, not the display text; the display text is only used to
cross-check the raw number when it is in the en-US format.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, check_display, optional_decimal, to_decimal


def parse(content: bytes) -> ParseResult:
    soup = BeautifulSoup(content, "lxml")
    table = soup.select_one("table.table-scrollable")
    if table is None:
        raise ParseError("unknown markup: no table.table-scrollable on the page (has the layout changed?)")
    rows = table.select("tbody tr")
    if not rows:
        raise ParseError("the price table has no rows")
    quotes: list[ParsedQuote] = []
    for number, row in enumerate(rows, start=1):
        name_cell = row.select_one("td.coin-name[data-sort]")
        price_cell = row.select_one("td.td-price[data-sort]")
        span = price_cell.select_one('span[data-target="price.price"][data-coin-symbol]') if price_cell else None
        if name_cell is None or price_cell is None or span is None:
            raise ParseError(f"unknown markup in row {number}: no coin name / price cell with data-sort")
        symbol = span["data-coin-symbol"].strip().upper()
        if not symbol:
            raise ParseError(f"row {number}: empty data-coin-symbol")
        price = to_decimal(price_cell["data-sort"], what=f"{symbol} price")
        check_display(symbol, price, span.get_text())
        change_cell = row.select_one("td.td-change24h[data-sort]")
        change = optional_decimal(change_cell["data-sort"]) if change_cell is not None else None
        # The "cap" cell's data-sort is not the market cap in USD on every version of the
        # page (in 2020 it held the circulating supply), so it is not read.
        quotes.append(
            ParsedQuote(symbol=symbol, name=name_cell["data-sort"].strip(), price_usd=price, change_24h_pct=change)
        )
    return ParseResult(quotes=quotes)
