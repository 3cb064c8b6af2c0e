#!/usr/bin/env python3
"""Mailing throughput to a loopback SMTP sink, on a fresh SQLite file.

    python bench/mailing.py [--n 10000]

Prints:
  - the web request that starts an N-recipient mailing (POST /mailing/new/, "send"): seconds
    (target < 1 s);
  - end to end, enqueue → the real worker (``manage.py db_worker``) → all sent: messages/s
    (target ≥ 300/s with the rate limit off);
  - the sending step alone with one reused SMTP connection, and with a new connection per
    message, in messages/s, and their ratio (target ≥ 2×).
The sink is ``manage.py mailing_sink --discard`` (aiosmtpd) in its own process, so the
sender and the receiver don't share one interpreter lock.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="recipients per mailing (default 10000)")
    args = parser.parse_args()
    n = args.n

    from mailing.smtpserver import free_port

    port = free_port()
    tmp = tempfile.mkdtemp(prefix="corpnet-bench-mailing-")
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "MAILING_RATE_PER_MINUTE": "0",
        "MAILING_BATCH_SIZE": "100",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "corpnet.settings",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    sink = subprocess.Popen(
        [sys.executable, "manage.py", "mailing_sink", "--discard", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        return run(n, env)
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


def run(n: int, env: dict) -> int:

    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.test import Client as WebClient

    from accounts.roles import ensure_roles
    from clients.models import Client
    from corpnet.text import normalize_search
    from mailing import sending
    from mailing.models import Mailing, Recipient
    from mailing.services import mailing_create

    ensure_roles()
    manager = User.objects.create_user("bench-manager", "bench@corpnet.example", "x")
    manager.groups.add(Group.objects.get(name="manager"))
    Client.objects.bulk_create(
        (
            Client(
                name=f"Имя{i}",
                lastname=f"Фамилия{i}",
                email=f"client{i}@bench.example",
                phone="+79031234567",
                sum=1000,
                search=normalize_search(f"Имя{i}", f"Фамилия{i}"),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )

    web = WebClient()
    web.force_login(manager)
    data = {
        "audience": "clients",
        "filter_query": "",
        "subject": "Новости для {{ name }}",
        "body_text": "Здравствуйте, {{ fullname }}!\n\nЕжемесячный отчёт.",
        "body_html": "<p>Здравствуйте, {{ fullname }}!</p>",
        "action": "send",
        "confirm_count": str(n),
    }
    started = time.perf_counter()
    response = web.post("/mailing/new/", data)
    request_s = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    mailing = Mailing.objects.latest("id")
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    e2e_s = time.perf_counter() - started
    sent = Recipient.objects.filter(mailing=mailing, status="sent").count()
    assert sent == n, f"only {sent} of {n} sent"

    def step(reuse: bool) -> tuple[float, int]:
        m = mailing_create(
            created_by=manager, audience="clients", filter_params={}, subject="S {{ name }}", body_text="B"
        )
        t = time.perf_counter()
        result = sending.run_mailing(mailing_id=m.pk, slice_seconds=3600, reuse=reuse)
        elapsed = time.perf_counter() - t
        assert result.sent == n, result
        return elapsed, result.connections

    reuse_s, reuse_conns = step(True)
    fresh_s, fresh_conns = step(False)

    def rate(seconds: float) -> float:
        return n / seconds if seconds else float("inf")

    out = sys.stdout
    out.write(f"recipients per mailing:                         {n}\n")
    out.write(
        f"web request starting the mailing:               {request_s:.3f} s (target < 1 s: {request_s / 1:.2f} of it)\n"
    )
    out.write(
        f"end to end (enqueue -> db_worker -> all sent):  {e2e_s:.1f} s = {rate(e2e_s):.0f} msg/s (target >= 300: {rate(e2e_s) / 300:.2f}x)\n"
    )
    out.write(
        f"sending step, one reused connection:            {reuse_s:.1f} s = {rate(reuse_s):.0f} msg/s ({reuse_conns} connection(s))\n"
    )
    out.write(
        f"sending step, a new connection per message:     {fresh_s:.1f} s = {rate(fresh_s):.0f} msg/s ({fresh_conns} connections)\n"
    )
    out.write(f"reuse vs new connection per message:            {fresh_s / reuse_s:.2f}x faster (target >= 2x)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
