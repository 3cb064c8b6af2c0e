"""Hostile pages served over loopback: whatever a page does, a wrong price is never current.

Each failure names the source, the coin and the reason, and the exit code says how many
sources failed (1 some, 2 all). Pages are our committed small pages, altered the way a broken
or malicious site would alter them.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from decimal import Decimal

import pytest

from prices.management.commands.scrape_prices import EXIT_ALL_FAILED, EXIT_OK, EXIT_SOME_FAILED
from prices.models import Quote
from prices.selectors import latest_prices

pytestmark = pytest.mark.django_db

JSON = "application/json"


def current(symbol: str) -> Decimal | None:
    rows = {row.coin.symbol: row for row in latest_prices(with_sparklines=False)}
    row = rows.get(symbol)
    return row.quote.price_usd if row is not None and row.quote is not None else None


@pytest.fixture
def history(make_quote):
    """Ten minutes ago two sources agreed on BTC and ETH: the coins have a confirmed history."""
    for source in ("coingecko-api", "binance-api"):
        make_quote("BTC", "13050", name="Bitcoin", source=source, ago=timedelta(minutes=10))
        make_quote("ETH", "408", name="Ethereum", source=source, ago=timedelta(minutes=10))
        make_quote("USDT", "1.0", name="Tether", source=source, ago=timedelta(minutes=10))


def serve_bytes(httpserver, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)
    return httpserver.url_for(path)


def test_prices_swapped_between_rows_are_refused_against_the_history(scrape, httpserver, page_bytes, history):
    page = (
        page_bytes("binance_ticker.json")
        .replace(b'"13060.87000000"', b'"SWAP"')
        .replace(b'"408.24000000"', b'"13060.87000000"')
        .replace(b'"SWAP"', b'"408.24000000"')
    )
    run = scrape("--source", "binance-api", "--url", serve_bytes(httpserver, "/t", page, JSON))
    assert run.code == EXIT_ALL_FAILED
    assert "binance-api: FAILED: BTC: refused, 408.24 is 97% away from the confirmed price 13050" in run.err
    assert not Quote.objects.filter(price_usd=Decimal("408.24"), coin__symbol="BTC").exists()
    assert current("BTC") == Decimal("13050")


def test_prices_swapped_in_a_page_without_history_never_become_current(scrape, httpserver, page_bytes):
    page = page_bytes("coingecko.html").replace(b"13059.2364798262", b"408.5912931X").replace(b"$13,059.24", b"$408.59")
    page = page.replace(b'data-sort="408.5912931"', b'data-sort="13059.2364798262"').replace(
        b'$408.59</span></td>\n<td class="td-change24h change24h stat-percent text-right col-market" data-sort="-0.42"',
        b'$13,059.24</span></td>\n<td class="td-change24h change24h stat-percent text-right col-market" data-sort="-0.42"',
    )
    page = page.replace(b"408.5912931X", b"408.5912931")
    markets = page_bytes("coingecko_markets.json")
    settings_urls = {
        "coingecko-html": serve_bytes(httpserver, "/en", page),
        "coingecko-api": serve_bytes(httpserver, "/m", markets, JSON),
    }
    for name, url in settings_urls.items():
        assert scrape("--source", name, "--url", url).code == EXIT_OK
    # Two sources disagree on BTC and ETH: neither price is current until a third settles it.
    assert current("BTC") is None and current("ETH") is None
    assert Quote.objects.filter(status="confirmed", coin__symbol="USDT").count() == 2  # they agree on USDT
    run = scrape(
        "--source", "binance-api", "--url", serve_bytes(httpserver, "/t", page_bytes("binance_ticker.json"), JSON)
    )
    assert run.code == EXIT_OK
    assert current("BTC") == Decimal("13060.87") and current("ETH") == Decimal("408.24")
    swapped = Quote.objects.get(source="coingecko-html", coin__symbol="BTC")
    assert swapped.status == "refused"


def test_a_duplicated_symbol_fails_the_source_whichever_row_is_first(scrape, httpserver, page_bytes, history):
    fake = (
        b'<tr><td>0</td><td class="py-0 coin-name" data-sort="Bitcoin"><a href="/en/coins/bitcoin">Bitcoin</a></td>'
        b'<td class="td-price price text-right" data-sort="0.5"><span data-coin-symbol="btc" '
        b'data-target="price.price">$0.50</span></td></tr>\n<tr>'
    )
    page = page_bytes("coingecko.html").replace(b"<tbody>\n<tr>", b"<tbody>\n" + fake, 1)
    run = scrape("--source", "coingecko-html", "--url", serve_bytes(httpserver, "/en", page))
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-html: FAILED: BTC: listed 2 times on the page" in run.err
    assert not Quote.objects.filter(source="coingecko-html").exists()


def test_a_name_from_another_coin_fails_the_source(scrape, httpserver, page_bytes):
    page = page_bytes("coingecko.html").replace(b'data-sort="Ethereum"', b'data-sort="Bitcoin"')
    run = scrape("--source", "coingecko-html", "--url", serve_bytes(httpserver, "/en", page))
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-html: FAILED: ETH: name and symbol do not belong together" in run.err
    assert Quote.objects.count() == 0


def test_a_german_page_is_read_the_german_way_and_a_misread_price_fails(scrape, httpserver, page_bytes):
    page = (
        page_bytes("coingecko.html")
        .replace(b'lang="en"', b'lang="de"')
        .replace(b'data-sort="13059.2364798262"', b'data-sort="54.346"')
        .replace(b"$13,059.24", b"$54.346")
    )
    run = scrape("--source", "coingecko-html", "--url", serve_bytes(httpserver, "/de", page))
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-html: FAILED: BTC: the page's data says 54.346 but it displays '$54.346'" in run.err
    assert Quote.objects.count() == 0


def test_an_absurd_first_price_is_never_current(scrape, httpserver, page_bytes):
    """No history at all: the absurd price waits, unconfirmed; agreeing sources settle it."""
    absurd = page_bytes("binance_ticker.json").replace(b'"13060.87000000"', b'"0.00010000"')
    assert scrape("--source", "binance-api", "--url", serve_bytes(httpserver, "/t", absurd, JSON)).code == EXIT_OK
    assert current("BTC") is None
    assert Quote.objects.get(coin__symbol="BTC").status == "unconfirmed"
    for name, path, page, kind in [
        ("coingecko-api", "/m", "coingecko_markets.json", JSON),
        ("coingecko-html", "/en", "coingecko.html", "text/html"),
    ]:
        assert scrape("--source", name, "--url", serve_bytes(httpserver, path, page_bytes(page), kind)).code == EXIT_OK
    assert current("BTC") == Decimal("13059.2364798262")
    assert Quote.objects.get(source="binance-api", coin__symbol="BTC").status == "refused"
    # And once there is a confirmed history, the same absurd price is refused outright.
    httpserver.clear()
    run = scrape("--source", "binance-api", "--url", serve_bytes(httpserver, "/t2", absurd, JSON))
    assert run.code == EXIT_ALL_FAILED and "BTC: refused, 0.0001" in run.err


class CutServer:
    """Promises a Content-Length, sends half the body, and closes: a truncated answer."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/cut"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(self.body)}\r\n\r\n"
            conn.sendall(head.encode() + self.body[: len(self.body) // 2])


def test_a_truncated_answer_fails_the_source_and_stores_nothing(scrape, page_bytes):
    server = CutServer(page_bytes("coingecko.html"))
    try:
        run = scrape("--source", "coingecko-html", "--url", server.url)
    finally:
        server.listener.close()
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-html: FAILED:" in run.err
    assert Quote.objects.count() == 0


def test_truncated_json_fails_the_source(scrape, httpserver, page_bytes):
    body = page_bytes("coingecko_markets.json")
    run = scrape("--source", "coingecko-api", "--url", serve_bytes(httpserver, "/m", body[: len(body) // 2], JSON))
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-api: FAILED: the coins/markets response is not valid JSON" in run.err


def test_a_dripping_server_is_cut_off_at_the_deadline_and_the_other_sources_still_run(
    scrape, httpserver, page_bytes, settings
):
    from prices.tests.test_fetch import DripServer

    settings.PRICES_READ_TIMEOUT = 5
    settings.PRICES_FETCH_DEADLINE = 2
    drip = DripServer("length")
    settings.PRICES_SOURCE_URLS = {
        "coingecko-html": drip.url,
        "coingecko-api": serve_bytes(httpserver, "/m", page_bytes("coingecko_markets.json"), JSON),
    }
    try:
        run = scrape("--source", "coingecko-html", "--source", "coingecko-api")
    finally:
        drip.close()
    assert run.code == EXIT_SOME_FAILED
    assert "coingecko-html: FAILED:" in run.err and "2 s deadline" in run.err
    assert "coingecko-api: ok" in run.out
