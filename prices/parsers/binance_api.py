"""Binance's ``/api/v3/ticker/24hr`` (JSON, validated with pydantic).

Every number is a JSON string ("10694.87000000"), read straight into Decimal. Prices are in
USDT, taken as USD (USDT itself is checked against its peg by the sanity checks). Delisted
pairs stay in the list with ``lastPrice`` "0.00000000": they are skipped, and recorded as
unpriced so a coin we want whose pair is dead is reported as such.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, load_json, to_decimal

QUOTE_ASSET = "USDT"


class _Ticker(BaseModel):
    # Strict: a number that is not a string here means the API changed under us.
    model_config = ConfigDict(extra="ignore")
    symbol: str
    lastPrice: str  # noqa: N815 - Binance's own key
    priceChangePercent: str | None = None  # noqa: N815


_TICKERS = TypeAdapter(list[_Ticker])


def parse(content: bytes) -> ParseResult:
    data = load_json(content, what="the ticker/24hr response")
    if not isinstance(data, list):
        raise ParseError("unknown response: expected a JSON list of tickers")
    try:
        tickers = _TICKERS.validate_python(data, strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ParseError(f"unknown response layout at {first['loc']}: {first['msg']}") from None
    if not tickers:
        raise ParseError("the response lists no tickers")
    quotes: list[ParsedQuote] = []
    unpriced: dict[str, str] = {}
    for ticker in tickers:
        if not ticker.symbol.endswith(QUOTE_ASSET) or ticker.symbol == QUOTE_ASSET:
            continue
        base = ticker.symbol[: -len(QUOTE_ASSET)].upper()
        price = to_decimal(ticker.lastPrice, what=f"{ticker.symbol} lastPrice")
        if price == 0:
            unpriced[base] = f"pair {ticker.symbol} is dead (price 0)"
            continue
        change = None
        if ticker.priceChangePercent not in (None, ""):
            change = to_decimal(ticker.priceChangePercent, what=f"{ticker.symbol} priceChangePercent")
        quotes.append(ParsedQuote(symbol=base, name=base, price_usd=price, change_24h_pct=change))
    return ParseResult(quotes=quotes, unpriced=unpriced)
