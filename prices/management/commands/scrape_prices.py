"""Fetch crypto prices from the configured sources and store them; cron runs it every 5 minutes."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from prices.fetch import FetchConfig, make_session
from prices.lock import AlreadyRunning, exclusive_lock
from prices.scrape import Outcome, scrape_source
from prices.sources import SOURCES

#: Exit codes, for cron and monitors (also in --help and docs/prices.md).
EXIT_OK = 0  # every source ran; some prices may be unconfirmed (reported, not a failure)
EXIT_SOME_FAILED = 1  # at least one source failed, at least one succeeded
EXIT_ALL_FAILED = 2  # every source failed: nothing was stored
EXIT_CONFIG = 3  # bad arguments or settings: unknown source, --url with several sources
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is still going; the next cron tick will try again


class Command(BaseCommand):
    help = (
        "Scrape crypto prices from each configured source (PRICES_SOURCES) and store the quotes of "
        "the configured coins (PRICES_COINS); a price becomes current only when another source or "
        "the confirmed history agrees (docs/prices.md). Prints one line per source: quotes stored "
        "and which stayed unconfirmed, or FAILED with the coin and the reason. "
        f"Exit codes: {EXIT_OK} every source succeeded; {EXIT_SOME_FAILED} some sources failed; "
        f"{EXIT_ALL_FAILED} every source failed; {EXIT_CONFIG} bad arguments or settings; "
        f"{EXIT_LOCKED} another run holds the lock."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        plain_exit = parser.exit

        def exit_on_usage_error(status=0, message=None):
            # argparse exits 2 on a bad option; 2 means "every source failed" here.
            plain_exit(EXIT_CONFIG if status == 2 else status, message)

        parser.exit = exit_on_usage_error
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            metavar="NAME",
            help=f"Run only this source (repeatable). Known: {', '.join(SOURCES)}.",
        )
        parser.add_argument(
            "--url", help="Fetch the (single) source from this address instead: a mirror or a test server."
        )
        parser.add_argument("--dry-run", action="store_true", help="Fetch and parse, print, store nothing.")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: one JSON object per parsed quote on stdout (summaries go to stderr).",
        )

    def handle(self, *args, sources, url, dry_run, format, **options):
        names = sources or list(settings.PRICES_SOURCES)
        unknown = [name for name in names if name not in SOURCES]
        if unknown:
            raise CommandError(
                f"unknown source(s): {', '.join(unknown)}; known: {', '.join(SOURCES)}", returncode=EXIT_CONFIG
            )
        if not names or not settings.PRICES_COINS:
            raise CommandError(
                "no sources or no coins configured (PRICES_SOURCES, PRICES_COINS)", returncode=EXIT_CONFIG
            )
        if url and len(names) != 1:
            raise CommandError("--url needs exactly one --source", returncode=EXIT_CONFIG)
        config = FetchConfig.from_settings()
        try:
            with exclusive_lock(settings.PRICES_LOCK_FILE):
                outcomes = self.run_sources(names, config, url=url, dry_run=dry_run, format=format)
        except AlreadyRunning as exc:
            raise CommandError(f"{exc}; not starting a second run", returncode=EXIT_LOCKED) from None
        failed = [o.source for o in outcomes if not o.ok]
        if failed:
            # CommandError prints to stderr and exits non-zero, which cron mails and monitors see.
            code = EXIT_ALL_FAILED if len(failed) == len(outcomes) else EXIT_SOME_FAILED
            raise CommandError(f"{len(failed)} of {len(outcomes)} sources failed: {', '.join(failed)}", returncode=code)

    def run_sources(self, names: list[str], config: FetchConfig, *, url, dry_run, format) -> list[Outcome]:
        outcomes = []
        with make_session(config) as session:
            for name in names:
                outcome = scrape_source(SOURCES[name], session, config, url=url, dry_run=dry_run)
                self.report(outcome, dry_run=dry_run, format=format)
                outcomes.append(outcome)
        return outcomes

    def report(self, outcome: Outcome, *, dry_run: bool, format: str) -> None:
        if format == "json":
            for quote in outcome.quotes:
                self.stdout.write(
                    json.dumps(
                        {
                            "source": outcome.source,
                            "symbol": quote.symbol,
                            "name": quote.name,
                            "price_usd": str(quote.price_usd),
                            "fetched_at": outcome.fetched_at.isoformat(),
                        },
                        ensure_ascii=False,
                    )
                )
            self.stderr.write(outcome.summary(dry_run=dry_run), style_func=None)
            return
        if dry_run:
            for quote in outcome.quotes:
                self.stdout.write(f"  {outcome.source} {quote.symbol} {quote.name}: {quote.price_usd} USD")
        line = outcome.summary(dry_run=dry_run)
        if outcome.ok:
            self.stdout.write(line, style_func=self.style.SUCCESS)
        else:
            # Failures on stderr: cron with stdout sent to /dev/null mails only what went wrong.
            self.stderr.write(line)
