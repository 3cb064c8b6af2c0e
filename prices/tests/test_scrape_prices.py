"""The scrape_prices command end to end against a real HTTP server on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal

import pytest

from prices.management.commands.scrape_prices import (
    EXIT_ALL_FAILED,
    EXIT_CONFIG,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SOME_FAILED,
)
from prices.models import Coin, Quote, SourceStatus

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_it_stores_the_wanted_coins_from_an_html_source_and_exits_0(scrape, serve):
    url = serve("/en", "coingecko.html")
    run = scrape("--source", "coingecko-html", "--url", url)
    assert run.code == EXIT_OK, run.err
    assert run.out.strip() == (
        "coingecko-html: ok, 3 quotes stored, 0 confirmed; "
        "unconfirmed BTC, ETH, USDT: no confirmed history and no other source agrees yet"
    )
    assert Quote.objects.count() == 3
    btc = Quote.objects.get(coin__symbol="BTC")
    assert btc.price_usd == Decimal("13059.236479826200")
    assert btc.source == "coingecko-html"
    assert Coin.objects.get(symbol="BTC").name == "Bitcoin"
    assert not SourceStatus.objects.get(source="coingecko-html").failing


def test_it_runs_each_source_against_its_own_page(scrape, serve, settings):
    pages = {
        "coingecko-api": ("/api/v3/coins/markets", "coingecko_markets.json"),
        "binance-api": ("/api/v3/ticker/24hr", "binance_ticker.json"),
        "coinmarketcap-html": ("/", "coinmarketcap.html"),
    }
    for name, (path, page) in pages.items():
        run = scrape("--source", name, "--url", serve(path, page, JSON if page.endswith(".json") else "text/html"))
        assert run.code == EXIT_OK, run.err
    assert set(Quote.objects.values_list("source", flat=True)) == set(pages)
    assert Quote.objects.filter(coin__symbol="ETH").count() == 3


def test_binance_reports_coins_it_does_not_list_without_failing(scrape, serve):
    run = scrape("--source", "binance-api", "--url", serve("/t", "binance_ticker.json", JSON))
    assert run.code == EXIT_OK
    assert "binance-api: ok, 2 quotes stored, 0 confirmed (not listed: USDT)" in run.out


def test_a_wanted_coin_on_a_dead_binance_pair_fails_the_source(scrape, serve, settings):
    settings.PRICES_COINS = ["BTC", "BCC"]
    run = scrape("--source", "binance-api", "--url", serve("/t", "binance_ticker.json", JSON))
    assert run.code == EXIT_ALL_FAILED
    assert "BCC: pair BCCUSDT is dead (price 0)" in run.err
    assert Quote.objects.count() == 0


def test_re_running_in_the_same_time_slot_updates_instead_of_duplicating(scrape, serve, httpserver, page_bytes):
    url = serve("/en", "coingecko.html")
    assert scrape("--source", "coingecko-html", "--url", url).code == EXIT_OK
    httpserver.clear()
    newer = page_bytes("coingecko.html").replace(b"13059.2364798262", b"13100.5").replace(b"$13,059.24", b"$13,100.50")
    httpserver.expect_request("/en").respond_with_data(newer, content_type="text/html")
    assert scrape("--source", "coingecko-html", "--url", url).code == EXIT_OK
    assert Quote.objects.count() == 3
    assert Quote.objects.get(coin__symbol="BTC").price_usd == Decimal("13100.5")


def test_a_dry_run_prints_and_stores_nothing(scrape, serve):
    run = scrape("--source", "coingecko-html", "--url", serve("/en", "coingecko.html"), "--dry-run")
    assert run.code == EXIT_OK
    assert "coingecko-html BTC Bitcoin: 13059.2364798262 USD" in run.out
    assert "3 quotes parsed (dry run, nothing stored)" in run.out
    assert Quote.objects.count() == 0 and SourceStatus.objects.count() == 0


def test_json_format_prints_one_object_per_quote_with_the_price_as_a_string(scrape, serve):
    run = scrape("--source", "coingecko-api", "--url", serve("/m", "coingecko_markets.json", JSON), "--format", "json")
    assert run.code == EXIT_OK
    lines = [json.loads(line) for line in run.out.splitlines()]
    assert [line["symbol"] for line in lines] == ["BTC", "ETH", "USDT"]
    assert lines[1] == {
        "source": "coingecko-api",
        "symbol": "ETH",
        "name": "Ethereum",
        "price_usd": "408.59",
        "fetched_at": lines[1]["fetched_at"],
    }
    assert "coingecko-api: ok, 3 quotes stored" in run.err  # the summary stays out of the JSON


def test_garbage_html_fails_the_source_stores_nothing_and_records_the_error(scrape, serve):
    run = scrape("--source", "coingecko-html", "--url", serve("/en", "garbage.html"))
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-html: FAILED: unknown markup" in run.err
    assert Quote.objects.count() == 0
    status = SourceStatus.objects.get(source="coingecko-html")
    assert status.failing and "unknown markup" in status.last_error


def test_an_absurd_price_fails_the_whole_source(scrape, httpserver, page_bytes):
    page = page_bytes("coingecko.html").replace(b"408.5912931", b"0").replace(b"$408.59", b"$0.00")
    httpserver.expect_request("/en").respond_with_data(page, content_type="text/html")
    run = scrape("--source", "coingecko-html", "--url", httpserver.url_for("/en"))
    assert run.code == EXIT_ALL_FAILED
    assert "ETH: price 0 is not above zero" in run.err
    assert Quote.objects.count() == 0  # not even BTC, whose price was fine


def test_a_price_far_from_the_confirmed_history_is_refused_and_stores_nothing(
    scrape, httpserver, page_bytes, make_quote
):
    for source in ("coingecko-api", "binance-api"):
        make_quote("BTC", "13050", source=source, status="confirmed", ago=timedelta(minutes=3))
    page = page_bytes("coingecko.html").replace(b"13059.2364798262", b"130592.36").replace(b"$13,059.24", b"")
    httpserver.expect_request("/jump").respond_with_data(page, content_type="text/html")
    run = scrape("--source", "coingecko-html", "--url", httpserver.url_for("/jump"))
    assert run.code == EXIT_ALL_FAILED
    assert "coingecko-html: FAILED: BTC: refused, 130592.36 is 901% away from the confirmed price 13050" in run.err
    assert not Quote.objects.filter(source="coingecko-html").exists()  # not even ETH, which was fine


def test_one_failing_source_does_not_stop_the_others_and_the_exit_code_says_so(
    scrape, httpserver, page_bytes, settings
):
    # Every source points at one loopback server (PRICES_SOURCE_URLS, as for a mirror); one is down.
    for name, path, page in [
        ("coingecko-api", "/markets", "coingecko_markets.json"),
        ("binance-api", "/ticker", "binance_ticker.json"),
        ("coinmarketcap-html", "/cmc", "coinmarketcap.html"),
    ]:
        httpserver.expect_request(path).respond_with_data(page_bytes(page))
        settings.PRICES_SOURCE_URLS[name] = httpserver.url_for(path)
    httpserver.expect_request("/cg").respond_with_data("down", status=500)
    settings.PRICES_SOURCE_URLS["coingecko-html"] = httpserver.url_for("/cg")
    settings.PRICES_SOURCES = ["coingecko-html", "coingecko-api", "binance-api", "coinmarketcap-html"]
    run = scrape()
    assert run.code == EXIT_SOME_FAILED
    # Failures go to stderr (cron mails them), successes to stdout.
    assert run.err.startswith("coingecko-html: FAILED: HTTP 500")
    lines = run.out.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "coingecko-api: ok",
        "binance-api: ok",
        "coinmarketcap-html: ok",
    ]
    assert lines[0].startswith("coingecko-api: ok, 3 quotes stored, 0 confirmed; unconfirmed BTC, ETH, USDT")
    assert "1 of 4 sources failed: coingecko-html" in run.err
    assert Quote.objects.count() == 8


def test_a_hanging_server_fails_its_source_with_a_timeout(scrape, httpserver):
    import threading

    from werkzeug.wrappers import Response

    released = threading.Event()
    httpserver.expect_request("/hang").respond_with_handler(lambda request: released.wait(10) and Response("late"))
    try:
        run = scrape("--source", "coingecko-api", "--url", httpserver.url_for("/hang"))
    finally:
        released.set()
    deadline = time.monotonic() + 10
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.01)  # let the late answer land here, not in the next test's server log
    assert run.code == EXIT_ALL_FAILED
    assert "read timeout" in run.err


def test_a_500_then_a_200_is_retried_and_stored(scrape, httpserver, page_bytes):
    httpserver.expect_ordered_request("/m").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/m").respond_with_data(page_bytes("coingecko_markets.json"))
    run = scrape("--source", "coingecko-api", "--url", httpserver.url_for("/m"))
    assert run.code == EXIT_OK, run.err
    assert Quote.objects.count() == 3


def test_a_429_with_retry_after_is_honoured_and_stored(scrape, httpserver, page_bytes):
    httpserver.expect_ordered_request("/m").respond_with_data("", status=429, headers={"Retry-After": "1"})
    httpserver.expect_ordered_request("/m").respond_with_data(page_bytes("coingecko_markets.json"))
    assert scrape("--source", "coingecko-api", "--url", httpserver.url_for("/m")).code == EXIT_OK
    assert Quote.objects.count() == 3


def test_unknown_sources_and_a_url_for_many_sources_are_usage_errors(scrape):
    run = scrape("--source", "nope")
    assert run.code == EXIT_CONFIG and "unknown source(s): nope" in run.err
    run = scrape("--source", "coingecko-api", "--source", "binance-api", "--url", "http://127.0.0.1:9/")
    assert run.code == EXIT_CONFIG and "--url needs exactly one --source" in run.err


def test_a_run_while_another_holds_the_lock_exits_without_scraping(scrape, httpserver, settings):
    # The other run is a real separate process holding the lock, as an overlapping cron run would.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
            str(settings.PRICES_LOCK_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        run = scrape("--source", "coingecko-api", "--url", httpserver.url_for("/m"))
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert run.code == EXIT_LOCKED
    assert "another scrape_prices run holds" in run.err
    assert not any(request.path == "/m" for request, _ in httpserver.log)  # it did not even fetch


def test_the_lock_is_released_when_a_run_ends(scrape, serve):
    url = serve("/m", "coingecko_markets.json", JSON)
    assert scrape("--source", "coingecko-api", "--url", url).code == EXIT_OK
    assert scrape("--source", "coingecko-api", "--url", url).code == EXIT_OK


def test_overlapping_runs_in_two_threads_never_both_scrape(scrape, httpserver, page_bytes):
    import threading

    from werkzeug.wrappers import Response

    started, release = threading.Event(), threading.Event()

    def slow(request):
        started.set()
        release.wait(10)
        return Response(page_bytes("coingecko_markets.json"))

    httpserver.expect_request("/m").respond_with_handler(slow)
    results = {}

    def first_run():
        from django.db import connection

        try:
            results["first"] = scrape("--source", "coingecko-api", "--url", httpserver.url_for("/m"), "--dry-run")
        finally:
            connection.close()  # the thread's own connection: never leave one open past the test

    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert started.wait(10)
        results["second"] = scrape("--source", "coingecko-api", "--url", httpserver.url_for("/m"), "--dry-run")
    finally:
        release.set()
        thread.join(10)
    assert results["second"].code == EXIT_LOCKED
    # The first run may have timed out meanwhile; what matters is that it held the lock.
    assert results["first"].code in (EXIT_OK, EXIT_ALL_FAILED)


def test_a_page_that_trips_a_parser_fails_only_that_source(scrape, httpserver, page_bytes, settings):
    # A JSON list of numbers instead of ticker objects: Binance's parser refuses it; CoinGecko's
    # model validation refuses it too; neither crash takes the run down.
    httpserver.expect_request("/odd").respond_with_data("[1, 2, 3]", content_type="application/json")
    httpserver.expect_request("/m").respond_with_data(page_bytes("coingecko_markets.json"))
    settings.PRICES_SOURCE_URLS = {"binance-api": httpserver.url_for("/odd"), "coingecko-api": httpserver.url_for("/m")}
    run = scrape("--source", "binance-api", "--source", "coingecko-api")
    assert run.code == EXIT_SOME_FAILED
    assert "binance-api: FAILED: unknown response layout" in run.err
    assert "coingecko-api: ok, 3 quotes stored" in run.out


def test_a_bad_option_on_the_command_line_exits_3_not_2_which_means_every_source_failed():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "scrape_prices", "--no-such-option"],
        cwd=root,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == EXIT_CONFIG, result.stderr
    help_text = subprocess.run(
        [sys.executable, "manage.py", "scrape_prices", "--help"],
        cwd=root,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "75" in help_text and "every source failed" in help_text
