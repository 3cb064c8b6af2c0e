"""CoinMarketCap's home page as rendered in 2025 (a browser save), BeautifulSoup + lxml.

Its ``__NEXT_DATA__`` no longer carries the listing, so the table is the only source and the
price is its display text, read strictly in the language ``<html lang>`` declares (a page
without a language, or in one we cannot read, fails rather than be guessed). Two row shapes:
fully rendered rows (``p.coin-item-name``, ``p.coin-item-symbol``) and lazy rows (``a.cmc-link``
with a plain ``span`` name and ``span.crypto-symbol``), the price in the 4th cell either way
(``$<!-- -->30.68``: the comment is dropped with the markup). Such a price is never trusted
alone: like every price it becomes current only when another source agrees.
"""

from __future__ import annotations

from decimal import Decimal

import soupsieve as sv

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, display_usd

_SYMBOL = sv.compile("p.coin-item-symbol, span.crypto-symbol")
_NAME = sv.compile("p.coin-item-name, a.cmc-link > span:not([class])")
ROW_HOOK = sv.compile("tr:has(p.coin-item-symbol, span.crypto-symbol)")
#: A displayed price rounded by more than this (lazy rows show "$0.08", "$0.00") is no price.
MAX_ROUNDING = Decimal("0.005")


def parse_rows(rows: list, language: str | None) -> ParseResult:
    if not rows:
        raise ParseError("the price table has no rows")
    if language is None:
        raise ParseError("the page declares no language (<html lang>): its displayed prices cannot be read")
    quotes: list[ParsedQuote] = []
    unpriced: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        symbol_tag, name_tag = _SYMBOL.select_one(row), _NAME.select_one(row)
        cells = row.find_all("td", recursive=False)
        if symbol_tag is None or name_tag is None or len(cells) < 4:
            raise ParseError(f"unknown markup in row {number}: no name / symbol / price cell")
        symbol = symbol_tag.get_text(strip=True).upper()
        text = cells[3].get_text(strip=True)
        price = display_usd(text, language)
        if price is None:
            raise ParseError(f"{symbol}: the price {text!r} is not a dollar amount written the {language!r} way")
        # Half a unit of the last digit shown, relative to the price: how much rounding hides.
        rounding = Decimal(1).scaleb(price.as_tuple().exponent) / 2
        if price == 0 or rounding / price > MAX_ROUNDING:
            unpriced.setdefault(symbol, f"displayed as {text!r}, too rounded to be a price")
            continue
        quotes.append(ParsedQuote(symbol=symbol, name=name_tag.get_text(strip=True), price_usd=price))
    return ParseResult(quotes=quotes, unpriced=unpriced)
