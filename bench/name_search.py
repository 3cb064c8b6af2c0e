#!/usr/bin/env python3
"""Name search as people type it, against the unfiltered list, on seeded databases.

    python bench/name_search.py [--scale large] [--requests 30] [--db postgresql,sqlite] [--only orders]

Seeds a throwaway database like bench/pages.py, then times (in-process test client, server
time) each list unfiltered and with names typed the ways people type them: one word, "Фамилия
Имя", "Имя Фамилия", "Фамилия И." and "Фамилия И". Prints p50/p95 and each search's ratio
to its unfiltered list (target: p95 <= 30 ms, search <= 2x unfiltered).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from pages import env_for, manage  # noqa: E402
from pgtemp import PostgresMissing, temporary_cluster  # noqa: E402

NAMES = ["иванов", "Иванова Анна", "анна иванова", "Иванова А.", "Иванова А", "смирн ив"]
LISTS = [
    ("clients", "/clients/", "name"),
    ("staff", "/staff/", "name"),
    ("orders by client", "/orders/", "client_name"),
    ("orders by either", "/orders/", "name"),
]


def measure(requests: int, only: str = "") -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="employee"))
    results = {}
    for label, path, key in LISTS:
        if only not in label:
            continue
        for name in ["", *NAMES]:
            params = {key: name} if name else {}
            for _ in range(3):
                response = client.get(path, params)
            assert response.status_code == 200, (path, name, response.status_code)
            rows = response.context["page"].count if response.context and "page" in response.context else None
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(path, params)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            results[f"{label}|{name}"] = {
                "p50": statistics.median(times),
                "p95": times[max(0, int(len(times) * 0.95) - 1)],
                "rows": rows,
            }
    return results


def report(db: str, results: dict) -> None:
    print(f"\n## {db}\n")
    print("| list | typed | rows | p50 ms | p95 ms | / unfiltered |")
    print("|---|---|---:|---:|---:|---:|")
    for label, _path, _key in LISTS:
        if f"{label}|" not in results:
            continue
        base = results[f"{label}|"]["p50"]
        for name in ["", *NAMES]:
            r = results[f"{label}|{name}"]
            typed = f"`{name}`" if name else "(unfiltered)"
            print(f"| {label} | {typed} | {r['rows']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p50'] / base:.2f} |")


def run_db(db: str, url: str, args) -> None:
    started = time.perf_counter()
    manage("migrate", "--no-input", url=url)
    manage("seed_demo", "--scale", args.scale, url=url)
    print(f"{db}: seeded --scale {args.scale} in {time.perf_counter() - started:.0f} s", flush=True)
    done = subprocess.run(
        [sys.executable, __file__, "--measure", "--requests", str(args.requests), "--only", args.only],
        env=env_for(url),
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{db}: measuring failed")
    report(db, json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", default="postgresql,sqlite")
    parser.add_argument("--only", default="", help="measure only the lists whose label contains this")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.stdout.write(json.dumps(measure(args.requests, args.only)) + "\n")
        return 0
    wanted = args.db.split(",")
    if "postgresql" in wanted:
        try:
            with temporary_cluster() as url:
                run_db("postgresql", url, args)
        except PostgresMissing as exc:
            print(f"postgresql: not measured ({exc})")
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as tmp:
            run_db("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
