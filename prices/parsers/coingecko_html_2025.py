"""CoinGecko's home page as served in 2025 (``/de`` and the other locales), read with lxml.

lxml directly, not BeautifulSoup: the page is 2.7 MB, every row carries kilobytes of ad markup,
and building a BeautifulSoup tree of it took ten times as long as lxml's whole parse.

The page holds two identical ``table.gecko-homepage-coin-table`` (one per layout): rows are
de-duplicated by ``data-coin-id``, and two rows of one coin that disagree fail the page. The
price is the raw USD number in ``span[data-price-target="price"][data-price-usd]``, which must
match its cell's ``data-sort``; the display text (``$122.564`` on the German page means
122,564) is read only to cross-check it, in the language ``<html lang>`` declares.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, check_display, optional_decimal, to_decimal

MARKER = b"gecko-homepage-coin-table"
_ROWS = etree.XPath(
    '//table[contains(concat(" ", normalize-space(@class), " "), " gecko-homepage-coin-table ")]/tbody/tr'
)
_NAME = etree.XPath("./td//a//div[@data-view-component][1]")
_PRICE = etree.XPath('.//span[@data-price-target="price"][@data-price-usd]')
_CHANGE_24H = etree.XPath('.//span[@data-attr="price_change_percentage_24h"]/ancestor::td[1]/@data-sort')


def _name_and_symbol(row, number: int) -> tuple[str, str]:
    names = _NAME(row)
    symbols = names[0].xpath("./div") if names else []
    if not names or not symbols:
        raise ParseError(f"unknown markup in row {number}: no coin name / symbol")
    # The name is the div's own text; the symbol is its nested div.
    name = " ".join(t.strip() for t in names[0].xpath("./text()") if t.strip())
    return name, symbols[0].text_content().strip().upper()


def _quote(row, number: int, language: str | None) -> tuple[str, ParsedQuote]:
    name, symbol = _name_and_symbol(row, number)
    spans = _PRICE(row)
    if not spans or not symbol:
        raise ParseError(f"unknown markup in row {number}: no price with data-price-usd")
    span = spans[0]
    price = to_decimal(span.get("data-price-usd"), what=f"{symbol} price")
    cells = span.xpath("ancestor::td[1]")
    sort = cells[0].get("data-sort") if cells else None
    if sort and to_decimal(sort, what=symbol) != price:
        raise ParseError(f"{symbol}: data-price-usd {price} and the cell's data-sort {sort} differ")
    check_display(symbol, price, span.text_content(), language=language)
    change = _CHANGE_24H(row)
    quote = ParsedQuote(
        symbol=symbol, name=name, price_usd=price, change_24h_pct=optional_decimal(change[0]) if change else None
    )
    return span.get("data-coin-id") or f"row {number}", quote


def parse(content: bytes, language: str | None) -> ParseResult:
    try:
        document = lxml_html.document_fromstring(content)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"the page is not HTML lxml can read ({exc})") from None
    rows = _ROWS(document)
    if not rows:
        raise ParseError("the price table has no rows")
    seen: dict[str, ParsedQuote] = {}
    for number, row in enumerate(rows, start=1):
        coin_id, quote = _quote(row, number, language)
        earlier = seen.get(coin_id)
        if earlier is not None and (earlier.symbol, earlier.price_usd) != (quote.symbol, quote.price_usd):
            raise ParseError(
                f"{quote.symbol}: the page's two tables disagree ({earlier.price_usd} and {quote.price_usd})"
            )
        seen.setdefault(coin_id, quote)
    return ParseResult(quotes=list(seen.values()))
