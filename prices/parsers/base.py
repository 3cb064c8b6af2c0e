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


#: How each language writes 1234.5: (thousands separator(s), decimal mark). A language not
#: listed here is not read at all: its display text is simply not cross-checked.
_NUMBER_FORMATS: dict[str, tuple[str, str]] = {
    "en": (",", "."),
    "ja": (",", "."),
    "zh": (",", "."),
    "ko": (",", "."),
    "de": (".", ","),
    "nl": (".", ","),
    "es": (".", ","),
    "it": (".", ","),
    "pt": (".", ","),
    "id": (".", ","),
    "tr": (".", ","),
    "da": (".", ","),
    "fr": (" \u00a0\u202f", ","),
    "ru": (" \u00a0\u202f", ","),
    "pl": (" \u00a0\u202f", ","),
    "sv": (" \u00a0\u202f", ","),
    "cs": (" \u00a0\u202f", ","),
    "fi": (" \u00a0\u202f", ","),
    "nb": (" \u00a0\u202f", ","),
    "uk": (" \u00a0\u202f", ","),
}
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9-]+)?", re.IGNORECASE)


def page_language(content: bytes) -> str | None:
    """The primary language the page declares in ``<html lang>`` ("de" for "de-DE"), or None."""
    match = _HTML_LANG.search(content[:20000])
    return match.group(1).decode().lower() if match else None


def display_usd(text: str, language: str | None) -> Decimal | None:
    """The value of a displayed dollar amount written the way ``language`` writes numbers.

    None when the language is unknown or undeclared, or the text is not a plain dollar amount:
    such text is not compared rather than read the wrong way ("$54.346" is 54,346 in German).
    """
    if language not in _NUMBER_FORMATS:
        return None
    groups, mark = _NUMBER_FORMATS[language]
    amount = text.strip().removeprefix("US").strip()
    if amount.startswith("$"):
        amount = amount[1:].strip()
    elif amount.endswith("$"):
        amount = amount[:-1].strip()
    else:
        return None
    group = f"[{re.escape(groups)}]"
    match = re.fullmatch(rf"(\d{{1,3}}(?:{group}\d{{3}})*|\d+)(?:{re.escape(mark)}(\d+))?", amount)
    if not match:
        return None
    whole = re.sub(group, "", match.group(1))
    return Decimal(whole + ("." + match.group(2) if match.group(2) else ""))


def check_display(
    symbol: str, raw: Decimal, text: str, *, language: str | None, tolerance: Decimal = Decimal("0.01")
) -> None:
    """Cross-check a machine-readable price against the page's displayed text.

    The two come from the same page and must agree (the display is rounded, hence the
    tolerance); when they don't, one of them is wrong and we cannot tell which. The text is
    read in the page's declared language only (see ``display_usd``).
    """
    shown = display_usd(text, language)
    if shown is None or raw <= 0:
        return
    if abs(shown - raw) / raw > tolerance and abs(shown - raw) > Decimal("0.01"):
        raise ParseError(f"{symbol}: the page's data says {raw} but it displays {text.strip()!r}")
