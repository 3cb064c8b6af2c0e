"""One scrape of one source, in steps the command and the tests call: fetch → parse → check → store.

Each step is separate (fetch.py touches the network, parsers are pure, services store), and
any failure is caught here per source, so one source failing never stops the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from prices import services
from prices.fetch import FetchConfig, FetchError, fetch
from prices.parsers.base import ParsedQuote, ParseError
from prices.sanity import select_wanted
from prices.sources import Source

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    source: str
    fetched_at: datetime
    quotes: list[ParsedQuote] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stored: int = 0
    confirmed: int = 0
    #: Coins whose price no other source confirmed (yet), with why.
    unconfirmed: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self, *, dry_run: bool) -> str:
        if self.error:
            return f"{self.source}: FAILED: {self.error}"
        if dry_run:
            done = f"{len(self.quotes)} quotes parsed (dry run, nothing stored)"
        else:
            done = f"{self.stored} quotes stored, {self.confirmed} confirmed"
        missing = f" (not listed: {', '.join(self.missing)})" if self.missing else ""
        reasons: dict[str, list[str]] = {}
        for symbol, why in self.unconfirmed.items():
            reasons.setdefault(why, []).append(symbol)
        pending = "".join(f"; unconfirmed {', '.join(symbols)}: {why}" for why, symbols in reasons.items())
        return f"{self.source}: ok, {done}{missing}{pending}"


def collect(
    source: Source, session: requests.Session, config: FetchConfig, *, url: str | None = None, coins: list[str]
) -> tuple[list[ParsedQuote], list[str]]:
    """Fetch and parse one source, returning the checked quotes of the wanted coins.

    Raises FetchError or ParseError; touches no database.
    """
    address = url or settings.PRICES_SOURCE_URLS.get(source.name) or source.url
    content = fetch(session, address, config, accept=source.accept)
    try:
        result = source.parse(content)
    except ParseError:
        raise
    except Exception as exc:
        # The page is untrusted input: whatever it makes a parser trip over fails this
        # source only, with the traceback in the log for whoever fixes the parser.
        logger.exception("the %s parser crashed on %s", source.name, address)
        raise ParseError(f"the parser crashed on this page ({type(exc).__name__}: {exc})") from exc
    return select_wanted(result, coins)


def scrape_source(
    source: Source,
    session: requests.Session,
    config: FetchConfig,
    *,
    url: str | None = None,
    dry_run: bool = False,
    coins: list[str] | None = None,
) -> Outcome:
    outcome = Outcome(source=source.name, fetched_at=timezone.now())
    try:
        outcome.quotes, outcome.missing = collect(
            source, session, config, url=url, coins=coins or settings.PRICES_COINS
        )
        if not dry_run:
            stored = services.quotes_store(source=source.name, quotes=outcome.quotes, fetched_at=outcome.fetched_at)
            outcome.stored, outcome.confirmed, outcome.unconfirmed = stored.count, stored.confirmed, stored.unconfirmed
    except (FetchError, ParseError) as exc:
        outcome.error = str(exc)
    except ValidationError as exc:
        outcome.error = "; ".join(exc.messages)
    if not dry_run:
        if outcome.ok:
            services.source_record_success(source=source.name, stored=outcome.stored, at=outcome.fetched_at)
        else:
            services.source_record_failure(source=source.name, error=outcome.error, at=outcome.fetched_at)
    return outcome
