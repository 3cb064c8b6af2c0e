"""Pure page parsers, one module per site; see ``base`` for what they return."""

from prices.parsers.base import ParsedQuote, ParseError, ParseResult

__all__ = ["ParseError", "ParseResult", "ParsedQuote"]
