#!/usr/bin/env python3
"""Time the /reports/ page and each of its reports on seeded data, on SQLite and PostgreSQL.

    python bench/reports.py [--scale large|small|N] [--requests 5] [--db sqlite|postgresql]
                            [--save run.json] [--baseline before.json]

Seeds a fresh database of each kind with ``seed_demo --scale`` (PostgreSQL then gets
``VACUUM ANALYZE``, as autovacuum would soon do, so that index-only scans can skip the
table), then, per filter:

- each report function of ``reports/selectors.py`` on its own: p50/p95 milliseconds;
- the whole page, requested in-process (Django's test client: server time without the
  network): p50/p95 milliseconds, queries per request, the share of that time spent in SQL,
  and the ratio to the unfiltered page.

``--save`` writes the figures as JSON; ``--baseline`` reads such a file from an earlier run
(e.g. of the previous commit) and adds a column "before / now" to every line. The target is
the whole page well under 1 s at ``--scale large`` (1M orders) on both databases.
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

REPORTS = ("workload_per_worker", "client_volumes", "orders_per_month")
TARGET_MS = 1000


def manage(*args: str, url: str) -> None:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]}


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

    from reports import selectors as sql
    from reports.forms import ReportFilterForm
    from staff.models import Post

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(username="bench-reports")
    client = Client()
    client.force_login(user)
    quarter_ago = (timezone.localdate() - dt.timedelta(days=91)).isoformat()
    variants = {
        "no filter": {},
        "last quarter": {"date_from": quarter_ago},
        "one post": {"post": Post.objects.order_by("id").values_list("id", flat=True).first()},
        "status=done": {"status": ["done"]},
        "top 100 by deposit": {"top": 100, "rank": "deposit"},
        "top 100 by active": {"top": 100, "rank": "active"},
    }
    results = {}
    for name, params in variants.items():
        form = ReportFilterForm(params)
        assert form.is_valid(), form.errors
        filters = form.report_filters()
        reports = {}
        for report in REPORTS:
            function = getattr(sql, report)
            function(filters)  # warm caches
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                function(filters)
                times.append((time.perf_counter() - started) * 1000)
            reports[report] = percentiles(times)

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
        results[name] = {
            **percentiles(times),
            "queries": queries,
            "sql_share": statistics.median(sql_times) / statistics.median(times),
            "reports": reports,
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


def report(label: str, results: dict, baseline: dict | None) -> None:
    base = results["no filter"]["p50"]
    before = f"{'before/now':>11}" if baseline else ""
    print(f"\n## {label}: the whole page")
    print(f"{'filter':<22}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'in SQL':>8}{'vs none':>9}{'<1 s':>6}{before}")
    for name, r in results.items():
        ratio = ""
        if baseline and name in baseline:
            ratio = f"{baseline[name]['p50'] / r['p50']:>10.1f}x"
        ok = "ok" if r["p95"] < TARGET_MS else "MISS"
        print(
            f"{name:<22}{r['p50']:>9.0f}{r['p95']:>9.0f}{r['queries']:>9}{r['sql_share']:>8.0%}"
            f"{r['p50'] / base:>9.2f}{ok:>6}{ratio}"
        )
    print(f"\n## {label}: each report (p50 / p95 ms)")
    print(f"{'filter':<22}" + "".join(f"{name:>26}" for name in REPORTS))
    for name, r in results.items():
        cells = []
        for report_name in REPORTS:
            figures = r["reports"][report_name]
            cell = f"{figures['p50']:.0f} / {figures['p95']:.0f}"
            old = (baseline or {}).get(name, {}).get("reports", {}).get(report_name)
            if old:
                cell += f" ({old['p50'] / figures['p50']:.1f}x)"
            cells.append(f"{cell:>26}")
        print(f"{name:<22}" + "".join(cells))
    if baseline:
        print("(x): p50 before / p50 now")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--requests", type=int, default=5, help="timed requests per filter (after one warm-up)")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], action="append", help="default: both")
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--baseline", type=Path, help="compare with figures saved by an earlier run")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.stdout.write(json.dumps(measure(args.requests)) + "\n")
        return 0

    databases = args.db or ["sqlite", "postgresql"]
    all_results = {}
    if "sqlite" in databases:
        with tempfile.TemporaryDirectory() as tmp:
            all_results["sqlite"] = run_database("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args.scale, args.requests)
    if "postgresql" in databases:
        try:
            with temporary_cluster() as url:
                all_results["postgresql"] = run_database("postgresql", url, args.scale, args.requests)
        except PostgresMissing as exc:
            sys.stdout.write(f"postgresql: not measured ({exc})\n")
    if args.save:
        args.save.write_text(json.dumps(all_results, indent=1))
    baseline = json.loads(args.baseline.read_text()) if args.baseline else {}
    print(f"/reports/ at seed_demo --scale {args.scale}, {args.requests} requests per filter, {os.cpu_count()} cores")
    for label, results in all_results.items():
        report(label, results, baseline.get(label))
    if len(all_results) == 2:
        ratio = all_results["postgresql"]["no filter"]["p50"] / all_results["sqlite"]["no filter"]["p50"]
        print(f"\npostgresql / sqlite, unfiltered page p50: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
