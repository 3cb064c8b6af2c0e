"""The registry of price sources: name → where to fetch it and which parser reads it.

To add a source: write a parser in ``prices/parsers/<name>.py`` (a pure ``parse(bytes) ->
ParseResult``), test it on a saved page, add a ``Source`` here, and list its name in the
``PRICES_SOURCES`` setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from prices.parsers import binance_api, coingecko_api, coingecko_html, coinmarketcap_html, yahoo_html
from prices.parsers.base import ParseResult


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    parse: Callable[[bytes], ParseResult]
    accept: str = "text/html,application/xhtml+xml"


SOURCES: dict[str, Source] = {
    source.name: source
    for source in [
        Source(
            "coingecko-api",
            "https://api.coingecko.com/api/v3/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=100&page=1",
            coingecko_api.parse,
            accept="application/json",
        ),
        Source(
            "binance-api", "https://api.binance.com/api/v3/ticker/24hr", binance_api.parse, accept="application/json"
        ),
        Source("coingecko-html", "https://www.coingecko.com/en", coingecko_html.parse),
        Source("coinmarketcap-html", "https://coinmarketcap.com/", coinmarketcap_html.parse),
        # Not enabled by default: written against a browser-saved page, and Yahoo may answer
        # a plain HTTP client with a consent page (which then fails as unknown markup).
        Source("yahoo-html", "https://finance.yahoo.com/cryptocurrencies", yahoo_html.parse),
    ]
}


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
