"""Yahoo Finance's crypto screener (https://finance.yahoo.com/cryptocurrencies), BeautifulSoup + lxml.

Cells are found by their ``aria-label`` (the class names are generated atomic CSS), and the
numbers come from the ``value`` attribute of ``fin-streamer`` elements: their text is what the
page's JavaScript last displayed and may differ from ``value`` (it is updated live), so the
text is deliberately not compared. Only ``<COIN>-USD`` rows are read.
"""

from __future__ import annotations

import soupsieve as sv
from bs4 import BeautifulSoup, SoupStrainer

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, optional_decimal, to_decimal

_ROWS_ONLY = SoupStrainer("tr")
_ROW = sv.compile("tr.simpTblRow")
_NAME = sv.compile('td[aria-label="Name"]')
_PRICE = sv.compile('fin-streamer[data-field="regularMarketPrice"][data-symbol][value]')
_CHANGE = sv.compile('fin-streamer[data-field="regularMarketChangePercent"][value]')
_CAP = sv.compile('fin-streamer[data-field="marketCap"][value]')


def parse(content: bytes) -> ParseResult:
    soup = BeautifulSoup(content, "lxml", parse_only=_ROWS_ONLY)
    rows = _ROW.select(soup)
    if not rows:
        raise ParseError("unknown markup: no tr.simpTblRow rows on the page (has the layout changed?)")
    quotes: list[ParsedQuote] = []
    for number, row in enumerate(rows, start=1):
        price = _PRICE.select_one(row)
        name_cell = _NAME.select_one(row)
        if price is None or name_cell is None:
            raise ParseError(f"unknown markup in row {number}: no Name cell or regularMarketPrice value")
        pair = price["data-symbol"].strip().upper()
        if not pair.endswith("-USD"):
            continue
        symbol = pair.removesuffix("-USD")
        change, cap = _CHANGE.select_one(row), _CAP.select_one(row)
        quotes.append(
            ParsedQuote(
                symbol=symbol,
                name=name_cell.get_text(strip=True).removesuffix(" USD"),
                price_usd=to_decimal(price["value"], what=f"{symbol} price"),
                change_24h_pct=optional_decimal(change["value"]) if change is not None else None,
                market_cap_usd=optional_decimal(cap["value"]) if cap is not None else None,
            )
        )
    return ParseResult(quotes=quotes)
