#!/usr/bin/env python3
"""How the orders API's cursor pagination holds up on deep pages, compared with OFFSET.

    python bench/api_orders.py [--orders 200000] [--database sqlite|postgresql]

Seeds a throwaway database with ``seed_demo --scale N``, then times (median of several runs)
``GET /api/v1/orders/?status=all`` through the real view stack: the first page, a page deep in
the list reached with a cursor, and the same rows fetched with LIMIT/OFFSET the way a
numbered page would. Prints milliseconds and the deep/first ratios.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

RUNS = 7
PAGE = 50


def median_ms(fn) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(orders: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corpnet.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.api_tokens import issue
    from orders.models import Order

    call_command("migrate", "--no-input", verbosity=0)
    call_command("seed_demo", "--scale", str(orders), "--password", "bench-password-not-secret", stdout=io.StringIO())
    client = APIClient(SERVER_NAME="localhost")
    _, secret = issue(user=get_user_model().objects.get(username="admin"), name="bench")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    total = Order.objects.count()
    depth = total * 9 // 10
    # The row at that depth in the default order (-creation_date, -id); its creation date is
    # the cursor position, as the API itself would encode it after walking there.
    anchor = Order.objects.order_by("-creation_date", "-id").values_list("creation_date", flat=True)[depth]
    cursor = base64.b64encode(urlencode({"p": str(anchor)}).encode()).decode()

    def first():
        assert client.get("/api/v1/orders/", {"status": "all"}).status_code == 200

    def deep_cursor():
        assert client.get("/api/v1/orders/", {"status": "all", "cursor": cursor}).status_code == 200

    def deep_offset():
        list(Order.objects.select_related("executor", "client").order_by("-creation_date", "-id")[depth : depth + PAGE])

    return {
        "rows": total,
        "first page (API)": median_ms(first),
        f"cursor at row {depth:,} (API)": median_ms(deep_cursor),
        f"OFFSET {depth:,} (ORM only)": median_ms(deep_offset),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.database == "postgresql":
            from pgtemp import temporary_cluster

            os.environ["DATABASE_URL"] = stack.enter_context(temporary_cluster())
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DEBUG"] = "1"
        os.environ["LOG_LEVEL"] = "WARNING"
        figures = measure(args.orders)
    rows = figures.pop("rows")
    print(f"orders API on {args.database}, {rows:,} orders, page size {PAGE}, median of {RUNS} runs")
    first = next(iter(figures.values()))
    for label, ms in figures.items():
        print(f"  {label:<36}{ms:>9.1f} ms{ms / first:>8.1f}× first page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
