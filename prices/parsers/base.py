"""What every parser returns, and the checks every parser shares.

Parsers are pure functions ``bytes -> ParseResult``: no network, no database, no settings.
They raise ``ParseError`` with a message a person can act on when the page is not what they
know (so that source stores nothing), and they never let a number pass through ``float``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


class ParseError(Exception):
    """The page is not what the parser knows, or its numbers cannot be trusted."""


@dataclass(frozen=True)
class ParsedQuote:
    symbol: str
    name: str
    price_usd: Decimal
    market_cap_usd: Decimal | None = None
    change_24h_pct: Decimal | None = None


@dataclass
class ParseResult:
    quotes: list[ParsedQuote]
    #: Symbols the page lists without a usable price, with why (a dead pair, a null price).
    unpriced: dict[str, str] = field(default_factory=dict)


def to_decimal(value: Any, *, what: str) -> Decimal:
    """A Decimal from a string, int or Decimal; floats are refused (they already lost digits)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ParseError(f"{what}: {value!r} is not an exact number")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ParseError(f"{what}: {value!r} is not a number") from None
    if not number.is_finite():
        raise ParseError(f"{what}: {value!r} is not a finite number")
    return number


def optional_decimal(value: Any) -> Decimal | None:
    """A secondary figure (24 h change, market cap): None when the page has none ("?", "-", "")."""
    if value is None:
        return None
    try:
        return to_decimal(value, what="value")
    except ParseError:
        return None


def load_json(content: bytes | str, *, what: str) -> Any:
    """JSON with every non-integer number as Decimal, so no price is ever a float."""
    try:
        return json.loads(content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{what} is not valid JSON ({exc})") from None


# "$13,059.24", "$0.2287", "$1,234" — the en-US display format only. Anything else (another
# locale's "$122.564" meaning 122,564, "13 059,24 $") is not guessed at: it is not compared.
_EN_USD = re.compile(r"^\$\s?(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?$")


def display_usd(text: str) -> Decimal | None:
    """The value of an en-US formatted dollar amount, or None when it is not one."""
    match = _EN_USD.match(text.strip())
    if not match:
        return None
    return Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))


def check_display(symbol: str, raw: Decimal, text: str, *, tolerance: Decimal = Decimal("0.01")) -> None:
    """Cross-check a machine-readable price against the page's displayed text.

    The two come from the same page and must agree (the display is rounded, hence the
    tolerance); when they don't, one of them is wrong and we cannot tell which.
    """
    shown = display_usd(text)
    if shown is None or raw <= 0:
        return
    if abs(shown - raw) / raw > tolerance and abs(shown - raw) > Decimal("0.01"):
        raise ParseError(f"{symbol}: the page's data says {raw} but it displays {text.strip()!r}")
