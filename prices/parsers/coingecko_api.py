"""CoinGecko's ``/api/v3/coins/markets?vs_currency=usd`` (JSON, validated with pydantic).

Numbers arrive as JSON ints and floats; they are read as Decimal (``parse_float=Decimal``)
before pydantic sees them, so none goes through float. Many fields are null; a null price
marks the coin as unpriced rather than failing the whole source.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from prices.parsers.base import ParsedQuote, ParseError, ParseResult, load_json


class _Market(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    symbol: str
    name: str
    current_price: Decimal | None
    market_cap: Decimal | None = None
    price_change_percentage_24h: Decimal | None = None


_MARKETS = TypeAdapter(list[_Market])


def parse(content: bytes) -> ParseResult:
    data = load_json(content, what="the coins/markets response")
    if not isinstance(data, list):
        raise ParseError("unknown response: expected a JSON list of coins")
    try:
        markets = _MARKETS.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ParseError(f"unknown response layout at {first['loc']}: {first['msg']}") from None
    if not markets:
        raise ParseError("the response lists no coins")
    quotes: list[ParsedQuote] = []
    unpriced: dict[str, str] = {}
    for market in markets:
        symbol = market.symbol.strip().upper()
        if market.current_price is None:
            unpriced.setdefault(symbol, "current_price is null")
            continue
        quotes.append(
            ParsedQuote(
                symbol=symbol,
                name=market.name.strip(),
                price_usd=market.current_price,
                market_cap_usd=market.market_cap,
                change_24h_pct=market.price_change_percentage_24h,
            )
        )
    return ParseResult(quotes=quotes, unpriced=unpriced)
