#!/usr/bin/env python3
"""Time `seed_demo --scale large` on a fresh SQLite file and on a throwaway PostgreSQL.

    python bench/seed.py [--scale large|small|N]

Prints, per database: seconds, rows per second, and the ratio to the target
(60 s on SQLite, 15 s on PostgreSQL, for the large scale on a 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from pgtemp import PostgresMissing, temporary_cluster  # noqa: E402

TARGETS = {"sqlite": 60.0, "postgresql": 15.0}
ROWS = {"large": 1_000_000 + 100_000 + 10_000}


def manage(*args: str, url: str) -> None:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def timed_seed(url: str, scale: str) -> float:
    manage("migrate", "--no-input", url=url)
    started = time.perf_counter()
    manage("seed_demo", "--scale", scale, url=url)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = timed_seed(f"sqlite:///{tmp}/bench.sqlite3", args.scale)
    try:
        with temporary_cluster() as url:
            results["postgresql"] = timed_seed(url, args.scale)
    except PostgresMissing as exc:
        print(f"postgresql: not measured ({exc})")
    rows = ROWS.get(args.scale)
    print(f"seed_demo --scale {args.scale} on {os.cpu_count()} cores")
    print(f"{'database':<12}{'seconds':>10}{'rows/s':>12}{'target s':>10}{'of target':>11}")
    for db, seconds in results.items():
        rate = f"{rows / seconds:,.0f}" if rows else "-"
        print(f"{db:<12}{seconds:>10.1f}{rate:>12}{TARGETS[db]:>10.0f}{seconds / TARGETS[db]:>10.0%}")
    if len(results) == 2:
        print(f"postgresql / sqlite time ratio: {results['postgresql'] / results['sqlite']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
