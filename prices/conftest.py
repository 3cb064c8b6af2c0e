"""Fixtures for the prices tests: small committed pages, the real saved pages, fast network
settings, a lock file per test, and a helper that runs scrape_prices and returns its exit code."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PAGES = Path(__file__).resolve().parent / "tests" / "pages"


@pytest.fixture(autouse=True)
def prices_settings(settings, tmp_path):
    """Short timeouts so a hanging server costs a second, and a lock file no other test shares."""
    settings.PRICES_COINS = ["BTC", "ETH", "USDT"]
    settings.PRICES_SOURCES = ["coingecko-api", "binance-api", "coingecko-html", "coinmarketcap-html"]
    settings.PRICES_SOURCE_URLS = {}
    settings.PRICES_CONNECT_TIMEOUT = 2
    settings.PRICES_READ_TIMEOUT = 0.5
    settings.PRICES_RETRIES = 2
    settings.PRICES_RETRY_AFTER_MAX = 5
    settings.PRICES_LOCK_FILE = tmp_path / "scrape_prices.lock"
    return settings


@pytest.fixture
def page_bytes():
    """The bytes of one of our committed test pages."""
    return lambda name: (PAGES / name).read_bytes()


@pytest.fixture
def real_pages(shared_fixtures) -> Path:
    """The real saved pages in ../shared/fixtures/prices (read in place, never copied)."""
    path = shared_fixtures / "prices"
    if not path.is_dir():
        pytest.skip(f"{path} is not present")
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def scrape():
    """Run ``scrape_prices`` with the given arguments; returns its exit code and output."""

    def run(*args: str) -> Run:
        out, err = StringIO(), StringIO()
        try:
            call_command("scrape_prices", *args, stdout=out, stderr=err)
            code = 0
        except CommandError as exc:
            code = exc.returncode
            err.write(str(exc))
        return Run(code=code, out=out.getvalue(), err=err.getvalue())

    return run


@pytest.fixture
def serve(httpserver, page_bytes):
    """Serve one of our committed pages at a path on the loopback test server; returns its URL."""

    def serve_page(path: str, page: str, content_type: str = "text/html; charset=utf-8") -> str:
        httpserver.expect_request(path).respond_with_data(page_bytes(page), content_type=content_type)
        return httpserver.url_for(path)

    return serve_page


@pytest.fixture
def make_quote(db):
    """Store a quote (creating its coin): make_quote("BTC", "13000", source=..., ago=timedelta(...)).

    Confirmed unless ``status=`` says otherwise: the display tests are about showing prices.
    """
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from prices.models import Coin, Quote, bucket_of

    def make(symbol="BTC", price="13000", *, name=None, source="coingecko-api", ago=timedelta(0), **extra):
        coin, _ = Coin.objects.get_or_create(symbol=symbol, defaults={"name": name or symbol.title()})
        at = timezone.now() - ago
        extra.setdefault("status", "confirmed")
        return Quote.objects.create(
            coin=coin, source=source, price_usd=Decimal(price), fetched_at=at, bucket=bucket_of(at), **extra
        )

    return make
