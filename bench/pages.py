#!/usr/bin/env python3
"""Server time of the list and detail pages on seeded SQLite and PostgreSQL databases.

    python bench/pages.py [--scale large] [--requests 30] [--db sqlite,postgresql] [--rps-seconds 10]
                          [--cache db|redis] [--save run.json] [--baseline before.json]

Per database: migrate + ``seed_demo --scale`` into a fresh SQLite file / throwaway PostgreSQL
cluster, then, in a separate process, request each page with Django's test client
(in-process, so the figure is server time without network) and print p50/p95 in ms,
queries per request, and the ratios the issue sets targets for:

- a deep keyset page (after the row half-way down the list, and the last page) vs page 1;
- the capped COUNT's share of the page time;
- name search vs the unfiltered page;
- every list vs the Django admin changelist with the same filter (want >= 2);
- list-page requests/s under gunicorn (2 workers), from a 4-thread client, run as
  production runs (DEBUG=0, a real SECRET_KEY, ``X-Forwarded-Proto: https``), with the
  server's CPU per request and, on PostgreSQL, the database server's own (the rate depends on
  what else the machine runs; the CPU does not).

``--cache redis`` runs everything against a throwaway Redis (``CACHE_URL``), as production
should: sessions are then read from Redis, one query fewer per page. The default is the
database cache, as ``make run`` has it.

``--save`` writes the figures as JSON; ``--baseline`` (a saved run of an earlier commit) adds
a "before" column. The in-process measurements run with DEBUG=1; query logging is off.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from pgtemp import PostgresMissing, temporary_cluster  # noqa: E402
from redistemp import temporary_redis  # noqa: E402

#: (label, user, url). Names are common seeded surnames/titles so the searches find rows.
#: ``{deep:<list>}`` is replaced by the cursor of the row half-way down that list.
PAGES = [
    ("orders p1", "employee", "/orders/"),
    ("orders deep", "employee", "/orders/?after={deep:orders}"),
    ("orders last", "employee", "/orders/?last=1"),
    ("orders old ?page=400", "employee", "/orders/?page=400"),
    ("orders all p1", "employee", "/orders/?status=all"),
    ("admin all", "admin", "/admin/orders/order/"),
    ("orders by sum", "employee", "/orders/?order_by=-sum"),
    ("orders by sum deep", "employee", "/orders/?order_by=-sum&after={deep:orders_sum}"),
    ("orders by client", "employee", "/orders/?order_by=client"),
    ("orders by client deep", "employee", "/orders/?order_by=client&after={deep:orders_client}"),
    ("orders client_name", "employee", "/orders/?client_name=иванов"),
    ("orders status=done", "admin", "/orders/?status=done"),
    ("admin status=done", "admin", "/admin/orders/order/?status__exact=done"),
    ("orders title search", "admin", "/orders/?title=btc&status=all"),
    ("admin title search", "admin", "/admin/orders/order/?q=btc"),
    ("staff p1", "employee", "/staff/"),
    ("admin staff", "admin", "/admin/staff/worker/"),
    ("staff name", "employee", "/staff/?name=иванов"),
    ("clients p1", "employee", "/clients/"),
    ("admin clients", "admin", "/admin/clients/client/"),
    ("clients deep", "employee", "/clients/?after={deep:clients}"),
    ("clients last", "employee", "/clients/?last=1"),
    ("clients name", "employee", "/clients/?name=иванов"),
    ("clients by deposit", "employee", "/clients/?order_by=-sum"),
    ("order detail", "employee", "/orders/1/"),
    ("worker detail", "employee", "/staff/1/"),
    ("client detail", "employee", "/clients/1/"),
    ("home", "employee", "/"),
]

RATIOS = [
    ("orders deep / page 1", "orders deep", "orders p1", 1.5),
    ("orders last / page 1", "orders last", "orders p1", 1.5),
    ("orders by sum deep / by sum p1", "orders by sum deep", "orders by sum", 1.5),
    ("orders by client deep / by client p1", "orders by client deep", "orders by client", 1.5),
    ("clients deep / page 1", "clients deep", "clients p1", 1.5),
    ("clients last / page 1", "clients last", "clients p1", 1.5),
    ("orders client-name search / unfiltered", "orders client_name", "orders p1", 2.0),
    ("clients name search / unfiltered", "clients name", "clients p1", 2.0),
    ("staff name search / unfiltered", "staff name", "staff p1", 2.0),
    ("admin / orders, all (want >= 2)", "admin all", "orders all p1", None),
    ("admin / orders, status=done (want >= 2)", "admin status=done", "orders status=done", None),
    ("admin / orders, title search (want >= 2)", "admin title search", "orders title search", None),
    ("admin / staff (want >= 2)", "admin staff", "staff p1", None),
    ("admin / clients (want >= 2)", "admin clients", "clients p1", None),
]


def deep_cursors() -> dict[str, str]:
    """The cursor of the row half-way down each list, as a user paging that far would hold."""
    from django.http import QueryDict

    from clients.selectors import client_list
    from corpnet.listing import Keyset
    from orders.selectors import order_list

    cursors = {}
    for name, (select, query) in {
        "orders": (order_list, ""),
        "orders_sum": (order_list, "order_by=-sum"),
        "orders_client": (order_list, "order_by=client"),
        "clients": (client_list, ""),
    }.items():
        _filterset, queryset = select(data=QueryDict(query))
        keyset = Keyset(queryset)
        middle = queryset.order_by().count() // 2
        row = keyset.queryset[middle : middle + 1].get()
        cursors[name] = keyset.cursor(row)
    return cursors


def env_for(url: str) -> dict[str, str]:
    return {**os.environ, "DEBUG": "1", "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "corpnet.settings"}


def manage(*args: str, url: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env_for(url), check=True, stdout=subprocess.DEVNULL
    )


# --- the measuring process -------------------------------------------------------------


def measure(requests: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from orders.selectors import order_list

    # Not setup_test_environment(): it instruments template rendering, which would inflate
    # the very figure measured. The test client only needs its host allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {name: get_user_model().objects.get(username=name) for name in ("employee", "admin")}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    results = {}
    cursors = deep_cursors()
    for label, who, url in PAGES:
        for name, cursor in cursors.items():
            url = url.replace(f"{{deep:{name}}}", cursor)
        client = clients[who]
        for _ in range(3):
            status = client.get(url).status_code
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[label] = {
            "status": status,
            "queries": len(executed),
            "p50": statistics.median(times),
            "p95": times[max(0, int(len(times) * 0.95) - 1)],
        }
    # What /orders/ spends on its count: a COUNT that stops at 10,001 rows.
    from django.http import QueryDict

    from corpnet.listing import MAX_ROWS

    _f, queryset = order_list(data=QueryDict(""))
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        queryset.order_by().values("pk")[: MAX_ROWS + 1].count()
        times.append((time.perf_counter() - started) * 1000)
    results["_count_ms"] = statistics.median(times)
    session = clients["employee"].cookies["sessionid"].value
    results["_session"] = session
    return results


# --- gunicorn requests/s ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(url: str) -> dict[str, str]:
    """The environment production runs with: DEBUG off, a real key, the allowed host."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x7Kq2vR9mZ4pL8wN3tB6yH1jD5cF0gS" * 2,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "corpnet.settings",
    }


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far (Linux /proc)."""
    pids, total = [pid], 0.0
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def database_server_pid(url: str) -> int | None:
    """The PostgreSQL server behind ``url`` when it runs on this machine (pgtemp starts it with
    ``-p PORT``): its CPU, backends included, is counted per request too. None for SQLite,
    which runs inside the app's own process."""
    if not url.startswith("postgres"):
        return None
    port = str(urlsplit(url).port).encode()
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0") if proc.name.isdigit() else []
        except OSError:
            continue
        if args and args[0].endswith(b"/postgres") and b"-p" in args and args[args.index(b"-p") + 1] == port:
            return int(proc.name)
    return None


def requests_per_second(url: str, seconds: float, path: str = "/orders/") -> tuple[float, float, float | None]:
    """List-page requests/s from gunicorn (2 workers) as production runs it, 4 client threads.

    DEBUG=0 with a real SECRET_KEY and ALLOWED_HOSTS, hashed static files (collectstatic)
    and the ``X-Forwarded-Proto: https`` header the TLS proxy sends (without it every request
    would be redirected to https). The session is made under the same key. Also returns the
    server's CPU ms per request: on a shared machine the rate depends on the neighbours' load,
    the CPU cost does not.
    """
    port = free_port()
    env = production_env(url)
    manage_py = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage_py, "collectstatic", "--no-input"], env=env, cwd=ROOT, check=True, capture_output=True)
    session = subprocess.run(
        [
            *manage_py,
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth import get_user_model; from django.test import Client; "
            "c = Client(); c.force_login(get_user_model().objects.get(username='employee')); "
            "import sys; sys.stdout.write(c.cookies['sessionid'].value)",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "corpnet.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        headers = {"Cookie": f"sessionid={session}", "Host": "localhost", "X-Forwarded-Proto": "https"}
        done = []
        stop = time.monotonic() + seconds

        def hammer() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            count = 0
            while time.monotonic() < stop:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    count += 1
            done.append(count)

        # Warm both workers first, and make sure the page answers 200 at all.
        for _ in range(4):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"gunicorn answered {path} with {response.status}, not 200")
        stop = time.monotonic() + seconds
        database = database_server_pid(url)
        database_before = cpu_seconds(database) if database else 0.0
        cpu_before = cpu_seconds(server.pid)
        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        served = max(1, sum(done))
        cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / served
        database_ms = (cpu_seconds(database) - database_before) * 1000 / served if database else None
        return sum(done) / seconds, cpu_ms, database_ms
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- reporting --------------------------------------------------------------------------


def report(db: str, results: dict, before: dict | None = None) -> None:
    print(f"\n## {db}")
    head = f"{'page':<26}{'status':>7}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}"
    print(head + (f"{'before p50':>12}{'before p95':>12}{'q':>4}" if before else "") + "  target p95 <= 30 ms (lists)")
    for label, _who, _url in PAGES:
        r = results[label]
        line = f"{label:<26}{r['status']:>7}{r['queries']:>9}{r['p50']:>9.1f}{r['p95']:>9.1f}"
        if before:
            b = before.get(label)
            line += f"{b['p50']:>12.1f}{b['p95']:>12.1f}{b['queries']:>4}" if b else f"{'-':>12}{'-':>12}{'-':>4}"
        print(line)
    for text, a, b, limit in RATIOS:
        ratio = results[a]["p50"] / results[b]["p50"]
        verdict = "" if limit is None else ("  ok" if ratio <= limit else f"  MISSED (target <= {limit})")
        if limit is None:
            verdict = "  ok" if ratio >= 2 else "  MISSED"
        print(f"{text:<44}{ratio:>6.2f}{verdict}")
    share = results["_count_ms"] / results["orders p1"]["p50"]
    print(f"{'capped COUNT / orders page 1':<44}{share:>6.1%}  ({results['_count_ms']:.2f} ms)")
    if "_rps" in results:
        print(f"{'gunicorn -w 2, /orders/ requests/s (>= 150)':<44}{results['_rps']:>6.0f}")
        print(f"{'  server CPU per request (ms)':<44}{results['_rps_cpu_ms']:>6.1f}")
        if results.get("_rps_db_cpu_ms") is not None:
            print(f"{'  PostgreSQL CPU per request (ms)':<44}{results['_rps_db_cpu_ms']:>6.1f}")


def run_db(db: str, url: str, args) -> dict:
    started = time.perf_counter()
    manage("migrate", "--no-input", url=url)
    manage("seed_demo", "--scale", args.scale, url=url)
    print(f"{db}: seeded --scale {args.scale} in {time.perf_counter() - started:.0f} s", flush=True)
    done = subprocess.run(
        [sys.executable, __file__, "--measure", "--requests", str(args.requests)],
        env=env_for(url),
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{db}: measuring failed")
    out = done.stdout
    results = json.loads(out.strip().splitlines()[-1])
    if args.rps_seconds > 0:
        results["_rps"], results["_rps_cpu_ms"], results["_rps_db_cpu_ms"] = requests_per_second(url, args.rps_seconds)
    before = json.loads(Path(args.baseline).read_text()).get(db) if args.baseline else None
    report(db, results, before)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--rps-seconds", type=float, default=10)
    parser.add_argument("--cache", choices=("db", "redis"), default="db", help="the shared cache (sessions)")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--baseline", help="a --save'd run to print as 'before'")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.stdout.write(json.dumps(measure(args.requests)) + "\n")
        return 0
    print(
        f"bench/pages.py: --scale {args.scale}, {args.requests} requests per page, --cache {args.cache}, "
        f"{os.cpu_count()} cores"
    )
    with contextlib.ExitStack() as stack:
        if args.cache == "redis":
            os.environ["CACHE_URL"] = stack.enter_context(temporary_redis())
        saved = run_all(args)
    if args.save:
        Path(args.save).write_text(json.dumps(saved, indent=1))
    return 0


def run_all(args) -> dict:
    wanted, saved = args.db.split(","), {}
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as tmp:
            saved["sqlite"] = run_db("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args)
    if "postgresql" in wanted:
        try:
            with temporary_cluster() as url:
                saved["postgresql"] = run_db("postgresql", url, args)
        except PostgresMissing as exc:
            print(f"postgresql: not measured ({exc})")
    return saved


if __name__ == "__main__":
    raise SystemExit(main())
