#!/usr/bin/env python3
"""PostgreSQL prepared statements on and off (``DB_PREPARED_STATEMENTS``), same seeded cluster.

    python bench/prepared.py [--scale large] [--rounds 3] [--rps-seconds 10] [--url postgres://…]

Seeds a throwaway cluster (or uses ``--url``, already seeded), then, alternating on and off
so both see the same machine:

- ``/orders/`` requests/s under gunicorn, 2 workers, as bench/pages.py measures it, with the
  app's and PostgreSQL's CPU per request;
- a shuffled mix of list filters and sorts (names typed short and long, statuses, sums,
  dates, ids), each list read as the page reads it (FilterSet + ``paginate``) in one process
  and one connection, so a statement is prepared, and maybe given a generic plan, after
  whatever values came first. Prints each filter's median ms on and off and the ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from pages import env_for, manage, requests_per_second  # noqa: E402
from pgtemp import temporary_cluster  # noqa: E402

ORDERS = [
    "", "status=done", "status=cancelled", "status=new", "status=all", "status=all&order_by=-sum", "order_by=sum",
    "order_by=client", "order_by=-executor", "status=done&order_by=client", "id=10,20,30", "executor=5",
    "executor=5&status=all", "client=77&status=all", "sum_min=1000000&status=all", "sum_max=100",
    "creation_date_after=2026-01-01&status=all", "creation_date_before=2020-01-01&status=all",
    "client_name=иванов", "client_name=ан", "client_name=Иванова Анна", "name=иванов", "name=ан", "name=смирн ив",
    "name=Иванова А.", "executor_name=ан", "title=btc&status=all", "title=eth", "title=bitcoin&status=all",
    "title=ан", "title=ан&status=all", "title=а&status=all", "title=zzqx&status=all",
]  # fmt: skip
CLIENTS = [
    "", "order_by=-sum", "order_by=email", "has_active_order=true", "has_active_order=false", "sum_min=1000000",
    "mailing_opt_out=true", "name=иванов", "name=ива", "name=ан", "name=ов", "name=а", "name=смирнов",
    "name=иванова анна", "name=zzqx",
]  # fmt: skip
STAFF = ["", "post=1", "post=2&post=3", "state=dismissed", "has_active_order=false", "order_by=post",
         "name=иванов", "name=ан"]  # fmt: skip
ROUNDS = 6  # of the mix; the first two warm up


def mix(seed: int) -> None:
    """In the measuring process: every filter twice per round, in a shuffled order."""
    import django

    django.setup()
    from django.http import QueryDict

    from clients.selectors import client_list
    from corpnet.listing import paginate
    from orders.selectors import order_list
    from staff.selectors import worker_list

    cases = (
        [("orders", order_list, q) for q in ORDERS]
        + [("clients", client_list, q) for q in CLIENTS]
        + [("staff", worker_list, q) for q in STAFF]
    )
    rng, times = random.Random(seed), {(name, q): [] for name, _, q in cases}
    for round_ in range(ROUNDS):
        order = cases * 2
        rng.shuffle(order)
        for name, selector, query in order:
            started = time.perf_counter()
            _filterset, queryset = selector(data=QueryDict(query))
            list(paginate(queryset, QueryDict(query)).rows)
            if round_ >= 2:
                times[(name, query)].append((time.perf_counter() - started) * 1000)
    for (name, query), ms in times.items():
        print(f"{name}\t{query}\t{statistics.median(ms):.2f}")


def run_mix(url: str, prepared: bool, seed: int) -> dict[tuple[str, str], float]:
    done = subprocess.run(
        [sys.executable, __file__, "--mix", str(seed)],
        env={**env_for(url), "DB_PREPARED_STATEMENTS": "1" if prepared else "0"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = (line.split("\t") for line in done.stdout.splitlines() if line.count("\t") == 2)
    return {(name, query): float(ms) for name, query, ms in rows}


def measure(url: str, args) -> None:
    print(f"\n/orders/ under gunicorn -w 2, {args.rps_seconds:.0f} s each, alternating")
    print("| prepared | requests/s | app CPU ms | PostgreSQL CPU ms |\n|---|---:|---:|---:|")
    for _ in range(args.rounds):
        for prepared in (True, False):
            os.environ["DB_PREPARED_STATEMENTS"] = "1" if prepared else "0"
            rps, cpu, db = requests_per_second(url, args.rps_seconds)
            print(f"| {'on' if prepared else 'off'} | {rps:.0f} | {cpu:.1f} | {db or 0:.1f} |", flush=True)
    os.environ.pop("DB_PREPARED_STATEMENTS", None)

    on, off = run_mix(url, True, args.seed), run_mix(url, False, args.seed)
    print(f"\nShuffled mix (seed {args.seed}), median ms per list read, prepared on / off")
    print("| list | filter | on | off | on / off |\n|---|---|---:|---:|---:|")
    for key in sorted(on, key=lambda k: on[k] / off[k]):
        name, query = key
        print(f"| {name} | {query or '(none)'} | {on[key]:.1f} | {off[key]:.1f} | {on[key] / off[key]:.2f} |")
    print(
        f"| all | sum | {sum(on.values()):.0f} | {sum(off.values()):.0f} | {sum(on.values()) / sum(off.values()):.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--rounds", type=int, default=3, help="on/off pairs of the requests/s run")
    parser.add_argument("--rps-seconds", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1, help="the mix's shuffle")
    parser.add_argument("--url", help="an already seeded PostgreSQL database instead of a throwaway one")
    parser.add_argument("--mix", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mix is not None:
        mix(args.mix)
        return 0
    if args.url and not args.url.startswith(("postgres://", "postgresql://")):
        parser.error("--url must be a PostgreSQL URL: prepared statements are PostgreSQL's")
    with contextlib.ExitStack() as stack:
        url = args.url
        if not url:
            url = stack.enter_context(temporary_cluster())
            manage("migrate", "--no-input", url=url)
            manage("seed_demo", "--scale", args.scale, url=url)
        measure(url, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
