"""The coins we know: which names belong to which ticker symbol, and which are dollar stablecoins.

A page row whose name and symbol come from different cells can pair them wrongly (ETH stored as
"Bitcoin"); comparing both with this registry catches it. Names vary a little between sites and
years ("Binance Coin" / "BNB", "Tether" / "Tether USDt"), so each symbol lists every name it is
known by. A coin not listed here is not checked by name; add it when it joins PRICES_COINS.
"""

from __future__ import annotations

import re

#: symbol → the names sites give it (compared case-insensitively, spaces and dots ignored).
COINS: dict[str, tuple[str, ...]] = {
    "BTC": ("Bitcoin",),
    "ETH": ("Ethereum", "Ether"),
    "USDT": ("Tether", "Tether USDt", "TetherUS", "Tether USD"),
    "USDC": ("USD Coin", "USDC"),
    "BUSD": ("Binance USD", "BUSD"),
    "DAI": ("Dai", "Multi-Collateral Dai"),
    "TUSD": ("TrueUSD",),
    "USDP": ("Pax Dollar", "Paxos Standard"),
    "PAX": ("Paxos Standard",),
    "GUSD": ("Gemini Dollar",),
    "FDUSD": ("First Digital USD",),
    "BNB": ("Binance Coin", "BNB"),
    "XRP": ("XRP",),
    "ADA": ("Cardano",),
    "DOGE": ("Dogecoin",),
    "DOT": ("Polkadot",),
    "LTC": ("Litecoin",),
    "BCH": ("Bitcoin Cash",),
    "SOL": ("Solana",),
    "TRX": ("TRON",),
    "LINK": ("Chainlink",),
    "XLM": ("Stellar",),
    "MATIC": ("Polygon",),
}

#: Coins pegged to the US dollar: their price is also checked against a band around 1 USD.
STABLECOINS = frozenset({"USDT", "USDC", "BUSD", "DAI", "TUSD", "USDP", "PAX", "GUSD", "FDUSD"})


def _key(name: str) -> str:
    return re.sub(r"[\s.\-_]+", "", name).casefold()


_OWNER = {_key(name): symbol for symbol, names in COINS.items() for name in names}


def name_mismatch(symbol: str, name: str, *, strict: bool = True) -> str | None:
    """Why ``name`` cannot be the coin ``symbol``, or None when they may belong together.

    A name that is empty or just the symbol (Binance has no names) says nothing. A known symbol
    must carry one of its names (``strict``; not for rows we do not keep, which may be another
    coin sharing the ticker); a name the registry gives to another symbol is refused even for an
    unknown symbol (a row reading "Bitcoin" next to "XYZ" has its cells mixed up).
    """
    key = _key(name)
    if not key or key == _key(symbol):
        return None
    owner = _OWNER.get(key)
    if owner is not None and owner != symbol:
        return f"the name {name!r} belongs to {owner}, not {symbol}"
    if strict and symbol in COINS and key not in {_key(n) for n in COINS[symbol]}:
        return f"{symbol} is {' / '.join(COINS[symbol])}, not {name!r}"
    return None


def known_name(symbol: str, name: str) -> bool:
    """Whether ``name`` is one the registry gives to ``symbol`` (used to tell same-ticker coins apart)."""
    return symbol in COINS and _key(name) in {_key(n) for n in COINS[symbol]}
