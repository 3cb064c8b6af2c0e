#!/usr/bin/env python3
"""Time the /reports/ page on seeded data, on SQLite and on a throwaway PostgreSQL.

    python bench/reports.py [--scale large|small|N] [--requests 5]

Seeds a fresh database of each kind with ``seed_demo --scale``, then, per filter, requests
the page in-process (Django's test client: server time without the network) and prints
p50/p95 milliseconds, queries per request, the share of that time spent in SQL, and the
ratio to the unfiltered page. The three report queries read every order that matches, so
their time grows with the data; the page's query count does not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from pgtemp import PostgresMissing, temporary_cluster  # noqa: E402


def manage(*args: str, url: str) -> None:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def measure(requests: int) -> dict:
    """Runs inside a child process whose DATABASE_URL points at the seeded database."""
    import datetime as dt

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corpnet.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from staff.models import Post

    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(username="bench-reports")
    client = Client()
    client.force_login(user)
    quarter_ago = (timezone.localdate() - dt.timedelta(days=91)).isoformat()
    variants = {
        "no filter": {},
        "last quarter": {"date_from": quarter_ago},
        "one post": {"post": Post.objects.order_by("id").values_list("id", flat=True).first()},
        "status=done": {"status": "done"},
        "top 100 by deposit": {"top": 100, "rank": "deposit"},
    }
    results = {}
    for name, params in variants.items():
        client.get("/reports/", params)  # warm caches and the connection
        times, sql_times, queries = [], [], 0
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/reports/", params)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured.captured_queries)
            sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        times.sort()
        results[name] = {
            "p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "queries": queries,
            "sql_share": statistics.median(sql_times) / statistics.median(times),
        }
    return results


def run_database(label: str, url: str, scale: str, requests: int) -> dict:
    manage("migrate", "--no-input", url=url)
    started = time.perf_counter()
    manage("seed_demo", "--scale", scale, url=url)
    print(f"{label}: seeded --scale {scale} in {time.perf_counter() - started:.0f} s", flush=True)
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    out = subprocess.run(
        [sys.executable, __file__, "--measure", "--requests", str(requests)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(label: str, results: dict) -> None:
    base = results["no filter"]["p50"]
    print(f"\n{label}")
    print(f"{'filter':<22}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'in SQL':>8}{'vs none':>9}")
    for name, r in results.items():
        print(
            f"{name:<22}{r['p50']:>9.0f}{r['p95']:>9.0f}{r['queries']:>9}{r['sql_share']:>8.0%}{r['p50'] / base:>9.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--requests", type=int, default=5, help="timed requests per filter (after one warm-up)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.stdout.write(json.dumps(measure(args.requests)) + "\n")
        return 0

    all_results = {}
    with tempfile.TemporaryDirectory() as tmp:
        all_results["sqlite"] = run_database("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args.scale, args.requests)
    try:
        with temporary_cluster() as url:
            all_results["postgresql"] = run_database("postgresql", url, args.scale, args.requests)
    except PostgresMissing as exc:
        sys.stdout.write(f"postgresql: not measured ({exc})\n")
    print(f"/reports/ at seed_demo --scale {args.scale}, {args.requests} requests per filter, {os.cpu_count()} cores")
    for label, results in all_results.items():
        report(label, results)
    if len(all_results) == 2:
        ratio = all_results["postgresql"]["no filter"]["p50"] / all_results["sqlite"]["no filter"]["p50"]
        print(f"\npostgresql / sqlite, unfiltered p50: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
