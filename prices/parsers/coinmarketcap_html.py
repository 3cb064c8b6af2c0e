"""CoinMarketCap's listing page (https://coinmarketcap.com/), parsed with BeautifulSoup.

The table's class names are generated (``Text-sc-1eb5slv-0``) and change between deploys,
so the rows come from the JSON the page embeds for its own JavaScript
(``script#__NEXT_DATA__``: ``props.initialState.cryptocurrency.listingLatest.data[]``),
validated with pydantic. The rendered table (``tr.cmc-table-row``, symbol in
``p.coin-item-symbol``, price in the 4th cell) is only used to cross-check that JSON.
"""

from __future__ import annotations

from decimal import Decimal

import soupsieve as sv
from bs4 import BeautifulSoup, SoupStrainer
from pydantic import BaseModel, ConfigDict, ValidationError

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, check_display, load_json


class _UsdQuote(BaseModel):
    price: Decimal | None
    percent_change_24h: Decimal | None = None
    market_cap: Decimal | None = None


class _Listing(BaseModel):
    model_config = ConfigDict(extra="ignore")
    symbol: str
    name: str
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
_SYMBOL = sv.compile("p.coin-item-symbol")


def parse(content: bytes) -> ParseResult:
    soup = BeautifulSoup(content, "lxml", parse_only=_SCRIPTS_AND_ROWS)
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
    shown = {}
    for row in _ROWS.select(soup):
        symbol_tag = _SYMBOL.select_one(row)
        cells = row.find_all("td", recursive=False)
        if symbol_tag is not None and len(cells) >= 4:
            shown.setdefault(symbol_tag.get_text(strip=True).upper(), cells[3].get_text(strip=True))
    quotes: list[ParsedQuote] = []
    unpriced: dict[str, str] = {}
    for row in rows:
        symbol = row.symbol.strip().upper()
        usd = row.quote.get("USD")
        if usd is None or usd.price is None:
            unpriced.setdefault(symbol, "no USD price in the listing")
            continue
        if symbol in shown:
            check_display(symbol, usd.price, shown[symbol])
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
