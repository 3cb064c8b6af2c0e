"""Keep the demo prices fresh: each tick adds one agreeing quote per coin from demo-a and demo-b.

``make run`` (scripts/dev.py) runs ``demo_prices --every 60`` next to the web server, so the
demo price pages never turn stale. Development only: it refuses to run without DEBUG, and it
only continues coins that already have demo quotes (``seed_demo``), never real ones.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from prices import services
from prices.models import Quote, QuoteStatus
from prices.parsers.base import ParsedQuote
from prices.selectors import DEMO_SOURCES

#: How far the two demo sources are apart: well inside the agreement tolerance.
SPREAD = Decimal("0.0004")


def demo_tick(rng: random.Random) -> int:
    """One step of a random walk from each demo coin's latest confirmed demo price; returns coins moved."""
    first, second = sorted(DEMO_SOURCES)
    latest: dict[str, tuple[str, Decimal]] = {}
    rows = (
        Quote.objects.filter(source=first, status=QuoteStatus.CONFIRMED)
        .order_by("coin__symbol", "-fetched_at")
        .values_list("coin__symbol", "coin__name", "price_usd")
    )
    for symbol, name, price in rows:
        latest.setdefault(symbol, (name, price))
    if not latest:
        return 0
    now = timezone.now()
    moves = {s: Decimal(str(round(1 + rng.gauss(0, 0.001), 6))) for s in latest}
    for source, bump in ((first, Decimal(1)), (second, 1 + SPREAD)):
        quotes = [
            ParsedQuote(symbol, name, (price * moves[symbol] * bump).quantize(Decimal("0.00000001")))
            for symbol, (name, price) in latest.items()
        ]
        stored = services.quotes_store(source=source, quotes=quotes, fetched_at=now)
        services.source_record_success(source=source, stored=stored.count, at=now)
    return len(latest)


class Command(BaseCommand):
    help = "Development only: add fresh agreeing demo quotes (demo-a, demo-b) once, or every N seconds."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="Repeat every SECONDS until stopped.")

    def handle(self, *args, every, **options):
        if not settings.DEBUG:
            raise CommandError("demo_prices writes generated prices: it runs with DEBUG=1 only")
        rng = random.Random()
        while True:
            moved = demo_tick(rng)
            if not moved:
                self.stdout.write("demo_prices: no demo prices to continue (run seed_demo first)")
            if not every:
                return
            time.sleep(every)
