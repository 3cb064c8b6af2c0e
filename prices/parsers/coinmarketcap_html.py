"""CoinMarketCap's listing page (https://coinmarketcap.com/), parsed with BeautifulSoup.

The parser follows the markup it meets: the 2020 page described here, or today's (2025) page,
whose embedded JSON has no listing, in ``coinmarketcap_html_2025``.

The table's class names are generated (``Text-sc-1eb5slv-0``) and change between deploys,
so the rows come from the JSON the page embeds for its own JavaScript
(``script#__NEXT_DATA__``: ``props.initialState.cryptocurrency.listingLatest.data[]``),
validated with pydantic. Every rendered table row (``tr.cmc-table-row``) must agree
with the JSON row of the same coin — symbol, name and displayed price — or the page fails:
a page whose two copies of the data disagree cannot be trusted either way.
"""

from __future__ import annotations

import re
from decimal import Decimal

import soupsieve as sv
from bs4 import BeautifulSoup, SoupStrainer
from pydantic import BaseModel, ConfigDict, ValidationError

from prices.parsers import coinmarketcap_html_2025
from prices.parsers.base import ParsedQuote, ParseError, ParseResult, check_display, load_json, page_language


class _UsdQuote(BaseModel):
    price: Decimal | None
    percent_change_24h: Decimal | None = None
    market_cap: Decimal | None = None


class _Listing(BaseModel):
    model_config = ConfigDict(extra="ignore")
    symbol: str
    name: str
    slug: str = ""
    quote: dict[str, _UsdQuote]


class _ListingLatest(BaseModel):
    data: list[_Listing]


class _Crypto(BaseModel):
    listingLatest: _ListingLatest  # noqa: N815 - the page's own key


class _State(BaseModel):
    cryptocurrency: _Crypto


class _Props(BaseModel):
    initialState: _State  # noqa: N815


class _NextData(BaseModel):
    props: _Props


#: Only the elements we read are built into the tree (the page is mostly SVG and markup).
_SCRIPTS_AND_ROWS = SoupStrainer(["script", "tr"])
_NEXT_DATA = sv.compile("script#__NEXT_DATA__")
_ROWS = sv.compile("tr.cmc-table-row")
_COIN_LINK = sv.compile('a[href*="/currencies/"]:not([href*="/markets"])')
# 2020-10 rows carry the symbol in p.coin-item-symbol; 2020-01 rows in a cell of its own.
_SYMBOL = sv.compile('p.coin-item-symbol, td[class*="sort-by__symbol"]')
_NAME_TEXT = sv.compile("p:not(.coin-item-symbol)")
_PRICE_LINK = sv.compile('a[href*="/markets"], td[class*="sort-by__price"]')
_SLUG = re.compile(r"/currencies/([^/?#]+)")


def _has_no_listing(soup) -> bool:
    """True when __NEXT_DATA__ is missing or is not the 2020 shape (2025 nests a JSON string)."""
    script = _NEXT_DATA.select_one(soup)
    if script is None or not script.string:
        return True
    try:
        _NextData.model_validate(load_json(script.string, what="__NEXT_DATA__"))
    except (ValidationError, ParseError):
        return True
    return False


def _listing(soup) -> list[_Listing]:
    script = _NEXT_DATA.select_one(soup)
    if script is None or not script.string:
        raise ParseError("unknown markup: no script#__NEXT_DATA__ on the page (has the layout changed?)")
    try:
        listing = _NextData.model_validate(load_json(script.string, what="__NEXT_DATA__")).props
    except ValidationError as exc:
        raise ParseError(f"unknown __NEXT_DATA__ layout: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from None
    rows = listing.initialState.cryptocurrency.listingLatest.data
    if not rows:
        raise ParseError("the listing has no rows")
    return rows


def _cross_check(rows: list[_Listing], table: list, language: str | None) -> None:
    """Every rendered row must be the embedded-JSON row of the same coin, and show its price.

    Rows are matched by the coin's page address (``/currencies/<slug>``), which both the
    2020-01 and 2020-10 markups have, so a row without ``p.coin-item-symbol`` is still compared.
    """
    by_slug = {row.slug: row for row in rows if row.slug}
    for number, tr in enumerate(table, start=1):
        link = _COIN_LINK.select_one(tr)
        match = _SLUG.search(link["href"]) if link is not None else None
        if match is None:
            raise ParseError(f"table row {number}: no link to the coin's page, cannot compare it with the JSON")
        row = by_slug.get(match.group(1).strip("/"))
        if row is None:
            raise ParseError(f"table row {number} ({match.group(1)}) is not in the embedded JSON")
        symbol = row.symbol.strip().upper()
        shown_symbol = _SYMBOL.select_one(tr)
        if shown_symbol is not None and shown_symbol.get_text(strip=True).upper() != symbol:
            raise ParseError(
                f"{symbol}: the table shows {shown_symbol.get_text(strip=True)!r} where the JSON has {symbol}"
            )
        name_tag = _NAME_TEXT.select_one(link) or link
        shown_name = name_tag.get_text(strip=True)
        if shown_name and shown_name.casefold() != row.name.strip().casefold():
            raise ParseError(f"{symbol}: the table names it {shown_name!r} where the JSON has {row.name!r}")
        usd = row.quote.get("USD")
        price = _PRICE_LINK.select_one(tr)
        if price is None:
            cells = tr.find_all("td", recursive=False)
            price = cells[3] if len(cells) >= 4 else None
        if usd is not None and usd.price is not None and price is not None:
            check_display(symbol, usd.price, price.get_text(strip=True), language=language)


def parse(content: bytes) -> ParseResult:
    """Whichever markup the page has: 2020's table + embedded listing, or 2025's table alone."""
    soup = BeautifulSoup(content, "lxml", parse_only=_SCRIPTS_AND_ROWS)
    if _ROWS.select_one(soup) is None and _has_no_listing(soup):
        modern = coinmarketcap_html_2025.ROW_HOOK.select(soup)
        if modern:
            return coinmarketcap_html_2025.parse_rows(modern, page_language(content))
    rows = _listing(soup)
    _cross_check(rows, _ROWS.select(soup), page_language(content))
    quotes: list[ParsedQuote] = []
    unpriced: dict[str, str] = {}
    for row in rows:
        symbol = row.symbol.strip().upper()
        usd = row.quote.get("USD")
        if usd is None or usd.price is None:
            unpriced.setdefault(symbol, "no USD price in the listing")
            continue
        quotes.append(
            ParsedQuote(
                symbol=symbol,
                name=row.name.strip(),
                price_usd=usd.price,
                market_cap_usd=usd.market_cap,
                change_24h_pct=usd.percent_change_24h,
            )
        )
    return ParseResult(quotes=quotes, unpriced=unpriced)
