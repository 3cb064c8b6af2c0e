#!/usr/bin/env python3
"""Mailing throughput against django-post_office 3.12, on the same loopback sink, same run.

    python bench/mailing.py [--n 10000] [--rounds 2] [--database-url URL]

For each round, alternately: N personalised messages queued in post_office (``send_many``,
not timed) and sent by ``manage.py send_queued_mail``; then an N-recipient corpnet mailing
created through the service and sent end to end by ``manage.py db_worker --batch`` (taking
the recipient list included). Both send to ``manage.py mailing_sink --discard`` (aiosmtpd) in
its own process. Prints each time, messages/s, and the ratio corpnet / post_office beside
the absolute figures, and the CPU each sender and the sink spent per message (on 2 cores
the sink's share caps both senders); also the time of the request that creates a 100,000-recipient mailing
(--big) and the longest time another writer waited meanwhile.

Needs the dev requirements (django-post-office). Default database: a fresh SQLite file;
--database-url postgres://… for PostgreSQL (the database is emptied first).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="messages per run (default 10000)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds (default 2)")
    parser.add_argument("--big", type=int, default=100_000, help="recipients for the creation timing (0: skip)")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()

    from mailing.smtpserver import free_port

    port = free_port()
    tmp = tempfile.mkdtemp(prefix="corpnet-bench-mailing-")
    env = {
        **os.environ,
        # As production runs: with DEBUG on, Django also records every query it makes.
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "q8Vn3xR7mK2pW9zL4tB6yH1jD5cF0gS" * 2,
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "MAILING_RATE_PER_MINUTE": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "bench.postoffice_settings",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }
    os.environ.update(env)
    manage = [sys.executable, "manage.py"]
    if args.database_url:
        subprocess.run([*manage, "flush", "--no-input"], cwd=ROOT, env=env, check=False, capture_output=True)
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    sink = subprocess.Popen(
        [*manage, "mailing_sink", "--discard", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    global SINK_PID
    SINK_PID = sink.pid
    try:
        wait_for_port(port)
        return run(args, env)
    finally:
        sink.terminate()
        sink.wait(timeout=10)


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the SMTP sink did not start on port {port}")


SUBJECT = "Новости для {{ name }}"
TEXT = "Здравствуйте, {{ fullname }}!\n\nЕжемесячный отчёт о вашем вкладе.\n"
HTML = "<p>Здравствуйте, {{ fullname }}!</p><p>Ежемесячный отчёт о вашем вкладе.</p>"


def make_clients(n: int, prefix: str) -> None:
    from clients.models import Client
    from corpnet.text import normalize_search

    Client.objects.bulk_create(
        (
            Client(
                name=f"Имя{i}",
                lastname=f"Фамилия{i}",
                email=f"{prefix}{i}@bench.example",
                phone="+79031234567",
                sum=1000,
                search=normalize_search(f"Имя{i}", f"Фамилия{i}"),
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


SINK_PID = 0
#: CPU seconds of the last timed run: the sender process, and the sink meanwhile.
CPU = {"sender": 0.0, "sink": 0.0}


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(command: list[str], env: dict) -> float:
    children, sink = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_of(SINK_PID)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["sender"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    CPU["sink"] = cpu_of(SINK_PID) - sink
    return seconds


def post_office_round(n: int, env: dict, round_no: int) -> float:
    from django.conf import settings
    from post_office import mail
    from post_office.models import Email

    Email.objects.all().delete()
    mail.send_many(
        [
            {
                "sender": settings.DEFAULT_FROM_EMAIL,
                "recipients": [f"po{round_no}-{i}@bench.example"],
                "subject": SUBJECT.replace("{{ name }}", f"Имя{i}"),
                "message": TEXT.replace("{{ fullname }}", f"Имя{i} Фамилия{i}"),
                "html_message": HTML.replace("{{ fullname }}", f"Имя{i} Фамилия{i}"),
            }
            for i in range(n)
        ]
    )
    seconds = timed([sys.executable, "manage.py", "send_queued_mail"], env)
    sent = Email.objects.filter(status=0).count()
    assert sent == n, f"post_office sent {sent} of {n}"
    return seconds


def corpnet_round(n: int, env: dict, manager, round_no: int) -> float:
    from clients.models import Client
    from mailing.models import Mailing, Recipient
    from mailing.services import mailing_create

    Client.objects.all().delete()
    make_clients(n, f"c{round_no}-")
    mailing = mailing_create(
        created_by=manager, audience="clients", filter_params={}, subject=SUBJECT, body_text=TEXT, body_html=HTML
    )
    seconds = timed([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"], env)
    sent = Recipient.objects.filter(mailing=mailing, status="sent").count()
    assert sent == n, f"corpnet sent {sent} of {n}"
    assert Mailing.objects.get(pk=mailing.pk).status == "done"
    return seconds


def big_creation(n: int, manager) -> tuple[float, float]:
    """The request-side cost of a mailing to ``n`` clients, and the longest wait of a writer
    that inserts a row every 50 ms meanwhile (in its own thread and connection)."""
    from django.db import connection

    from clients.models import Client
    from mailing.models import MailingEvent
    from mailing.services import mailing_create

    Client.objects.all().delete()
    make_clients(n, "big-")
    waits: list[float] = []
    stop = threading.Event()

    def writer() -> None:
        try:
            while not stop.is_set():
                t = time.perf_counter()
                MailingEvent.objects.create(action="test_sent", detail="bench writer")
                waits.append(time.perf_counter() - t)
                time.sleep(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.2)
    t = time.perf_counter()
    mailing_create(created_by=manager, audience="clients", filter_params={}, subject="S", body_text="B")
    request_s = time.perf_counter() - t
    from mailing.models import Mailing
    from mailing.services import mailing_snapshot

    mailing = Mailing.objects.latest("id")
    mailing_snapshot(mailing_id=mailing.pk)  # what the worker does next, with the writer running
    stop.set()
    thread.join()
    return request_s, max(waits)


def run(args, env: dict) -> int:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from accounts.roles import ensure_roles

    ensure_roles()
    manager = User.objects.create_user(f"bench-{time.time_ns()}", "bench@corpnet.example", "x")
    manager.groups.add(Group.objects.get(name="manager"))
    n = args.n
    po, ours = [], []
    for round_no in range(args.rounds):
        po.append(post_office_round(n, env, round_no))
        po_cpu = dict(CPU)
        ours.append(corpnet_round(n, env, manager, round_no))
        print(
            f"  CPU ms per message: post_office {1000 * po_cpu['sender'] / n:.2f} (sink {1000 * po_cpu['sink'] / n:.2f}); "
            f"corpnet {1000 * CPU['sender'] / n:.2f} (sink {1000 * CPU['sink'] / n:.2f})",
        )
        print(
            f"round {round_no + 1}: post_office {po[-1]:.1f} s = {n / po[-1]:.0f} msg/s; "
            f"corpnet {ours[-1]:.1f} s = {n / ours[-1]:.0f} msg/s; ratio {po[-1] / ours[-1]:.2f}x",
            flush=True,
        )
    ratios = [p / o for p, o in zip(po, ours, strict=True)]
    print(f"database: {connection.vendor}; messages per run: {n}; rounds: {args.rounds}")
    print(f"post_office send_queued_mail: median {n / statistics.median(po):.0f} msg/s")
    print(f"corpnet db_worker end to end: median {n / statistics.median(ours):.0f} msg/s")
    print(
        f"ratio corpnet / post_office:  median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}x, target >= 1.5x)"
    )
    if args.big:
        request_s, worst_wait = big_creation(args.big, manager)
        print(f"creating a {args.big}-recipient mailing: {request_s:.2f} s in the request (target <= 2 s)")
        print(f"longest wait of another writer meanwhile (creation + snapshot): {worst_wait:.2f} s (target <= 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
