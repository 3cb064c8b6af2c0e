#!/usr/bin/env python3
"""Time the price scraper: parsing each saved page, and a whole scrape against a slow server.

    python bench/prices.py [--latency 0.4] [--bandwidth 2000000] [--repeat 5]

1. Parse time per real saved page in ../shared/fixtures/prices (median of --repeat runs);
   target: every page parses in under 200 ms.
2. Total wall time of one scrape of all four sources, in turn over one requests.Session, from
   a loopback HTTP server that serves the same saved pages with realistic added latency
   (time to first byte, then a bandwidth cap); target: parsing at most 10 % of that time.
Nothing is stored: the scrape stops after the sanity checks (the database is not measured).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corpnet.settings")

import django  # noqa: E402

django.setup()

from prices.fetch import FetchConfig, fetch, make_session  # noqa: E402
from prices.parsers import binance_api, coingecko_api, coingecko_html, coinmarketcap_html, yahoo_html  # noqa: E402
from prices.sanity import select_wanted  # noqa: E402
from prices.sources import SOURCES  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures" / "prices"
PARSE_TARGET_S = 0.200
SHARE_TARGET = 0.10
PAGES = {
    "coingecko-html": ("html/coingecko_home_2020.html", coingecko_html.parse),
    "coinmarketcap-html": ("html/coinmarketcap_home_2020-10.html", coinmarketcap_html.parse),
    "coingecko-api": ("json/coingecko_coins-markets_2021.json", coingecko_api.parse),
    "binance-api": ("json/binance_ticker-24hr_2020.json", binance_api.parse),
}
#: Parsed for timing only: yahoo-html is not among the default sources.
PARSE_ONLY = {"yahoo-html": ("html/yahoo_cryptocurrencies_2022.html", yahoo_html.parse)}
COINS = ["BTC", "ETH", "USDT", "BNB", "XRP", "ADA", "DOGE", "DOT", "LTC", "BCH"]


def slow_server(latency: float, bandwidth: int) -> ThreadingHTTPServer:
    bodies = {f"/{name}": (FIXTURES / path).read_bytes() for name, (path, _) in PAGES.items()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = bodies.get(self.path)
            time.sleep(latency)  # DNS + TLS + the site's own time to first byte
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            chunk = 64 * 1024
            for start in range(0, len(body), chunk):
                self.wfile.write(body[start : start + chunk])
                time.sleep(chunk / bandwidth)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.4, help="seconds before the first byte (default 0.4)")
    parser.add_argument("--bandwidth", type=int, default=2_000_000, help="bytes per second (default 2 MB/s)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not FIXTURES.is_dir():
        sys.stderr.write(f"{FIXTURES} is not present; nothing to measure.\n")
        return 1

    sys.stdout.write(
        f"1. Parse time per saved page (median of {args.repeat}), target < {PARSE_TARGET_S * 1000:.0f} ms\n"
    )
    sys.stdout.write(f"{'page':<42}{'KiB':>8}{'rows':>6}{'ms':>8}{'of target':>11}\n")
    worst = 0.0
    for path, parse in [*PAGES.values(), *PARSE_ONLY.values()]:
        content = (FIXTURES / path).read_bytes()
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = len(parse(content).quotes)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        worst = max(worst, median)
        sys.stdout.write(
            f"{path:<42}{len(content) / 1024:>8.0f}{rows:>6}{median * 1000:>8.1f}{median / PARSE_TARGET_S:>10.0%}\n"
        )

    server = slow_server(args.latency, args.bandwidth)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = FetchConfig.from_settings()
    sys.stdout.write(
        f"\n2. One scrape of all sources from a loopback server with {args.latency * 1000:.0f} ms to first byte "
        f"and {args.bandwidth / 1e6:.1f} MB/s\n"
    )
    sys.stdout.write(f"{'source':<22}{'fetch s':>9}{'parse s':>9}\n")
    fetch_total = parse_total = 0.0
    started_all = time.perf_counter()
    with make_session(config) as session:
        for name in PAGES:
            source = SOURCES[name]
            started = time.perf_counter()
            content = fetch(session, f"{base}/{name}", config, accept=source.accept)
            fetched = time.perf_counter()
            select_wanted(source.parse(content), COINS)
            parsed = time.perf_counter()
            fetch_total += fetched - started
            parse_total += parsed - fetched
            sys.stdout.write(f"{name:<22}{fetched - started:>9.3f}{parsed - fetched:>9.3f}\n")
    wall = time.perf_counter() - started_all
    server.shutdown()
    share = parse_total / wall
    sys.stdout.write(f"{'total':<22}{fetch_total:>9.3f}{parse_total:>9.3f}   wall {wall:.3f} s\n")
    sys.stdout.write(
        f"parsing is {share:.1%} of the scrape's wall time (target <= {SHARE_TARGET:.0%}); "
        f"slowest page {worst * 1000:.0f} ms ({worst / PARSE_TARGET_S:.0%} of the 200 ms target)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
