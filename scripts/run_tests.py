#!/usr/bin/env python3
"""The whole test suite, on SQLite and then on a real PostgreSQL it starts itself.

    python scripts/run_tests.py [pytest arguments]

Extra arguments go to both pytest runs. Where PostgreSQL is not installed the run says so
loudly and passes on SQLite alone; with CI=true a missing PostgreSQL is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgtemp import PostgresMissing, temporary_cluster  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest(args: list[str], env: dict[str, str]) -> int:
    return subprocess.run([sys.executable, "-m", "pytest", *args], env=env, check=False).returncode


def banner(text: str) -> None:
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def main(args: list[str]) -> int:
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    results: dict[str, str] = {}

    banner("Tests on SQLite")
    results["sqlite"] = "passed" if pytest(args, base_env) == 0 else "FAILED"

    banner("Tests on PostgreSQL (throwaway cluster)")
    try:
        with temporary_cluster() as url:
            code = pytest(args, {**base_env, "DATABASE_URL": url})
            results["postgresql"] = "passed" if code == 0 else "FAILED"
    except PostgresMissing as exc:
        if IN_CI:
            results["postgresql"] = f"FAILED ({exc}; CI=true requires it)"
        else:
            results["postgresql"] = "NOT RUN"
            print(
                f"\n!!! {exc}: the PostgreSQL half of the suite did NOT run.\n"
                "!!! Install PostgreSQL (e.g. apt-get install postgresql) to test on both databases.\n",
                file=sys.stderr,
                flush=True,
            )

    banner("Databases: " + ", ".join(f"{db} {status}" for db, status in results.items()))
    return 0 if all(s in {"passed", "NOT RUN"} for s in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
