"""The real background worker (``manage.py db_worker``) in a subprocess, killed mid-batch.

The worker runs against its own SQLite file (the test database may live in memory, which
another process cannot see), with the settings a deployment would have, and sends to the
real SMTP server this test runs on loopback.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from mailing.smtpserver import HOLD, SMTPServer

ROOT = Path(__file__).resolve().parents[2]
N = 20
SETUP = f"""
from django.contrib.auth.models import User
from accounts.roles import ensure_roles
from django.contrib.auth.models import Group
from corpnet.testing import make_client
from mailing.services import mailing_create
ensure_roles()
manager = User.objects.create_user("m", "m@corpnet.example", "x")
manager.groups.add(Group.objects.get(name="manager"))
for i in range({N}):
    make_client(email=f"k{{i}}@mail.example")
mailing_create(created_by=manager, audience="clients", filter_params={{}}, subject="S", body_text="B")
"""


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=60, **kwargs
    )


def read_back(url: str) -> tuple[Counter, str]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            statuses = Counter(s for (s,) in conn.execute("SELECT status FROM mailing_recipient"))
            return statuses, conn.execute("SELECT status FROM mailing_mailing").fetchone()[0]
    from mailing.models import Mailing, Recipient

    return Counter(Recipient.objects.values_list("status", flat=True)), Mailing.objects.get().status


@pytest.fixture
def server():
    server = SMTPServer().start()
    yield server
    server.handler.release.set()
    server.stop()


@pytest.fixture
def worker_database(tmp_path):
    """The database the worker subprocesses use: a SQLite file of their own (the test
    database may live in memory), or on PostgreSQL the test database itself."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'db.sqlite3'}", True
    db = connection.settings_dict
    # The subprocesses must never be pointed at the configured (real) database: the test's
    # django_db mark is what makes pytest-django create the test database at all.
    assert db["NAME"].startswith("test_"), f"not a test database: {db['NAME']}"
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}", False


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nobody_and_resends_nothing_silently(worker_database, server):
    url, fresh = worker_database
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "MAILING_"))},
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "corpnet.settings",
        "DATABASE_URL": url,
        "EMAIL_HOST": server.host,
        "EMAIL_PORT": str(server.port),
        "MAILING_BATCH_SIZE": "5",
        "MAILING_CONNECTIONS": "1",
        "MAILING_RETRY_BACKOFF": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    if fresh:
        manage(env, "migrate", "--no-input", "-v0")
    manage(env, "shell", "-c", SETUP)

    # Five messages go through; the sixth is taken by the server, which holds its reply.
    server.handler.script.extend(["250 ok"] * 5 + [HOLD])
    worker = subprocess.Popen(
        # --no-reload: with DEBUG on, the worker otherwise runs in a child of the autoreloader,
        # and killing the parent would leave the real worker running.
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert server.handler.held.wait(timeout=30), "the worker never reached the sixth message"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    # The server got the message; the dead worker never learnt it.
    server.handler.release.set()

    # Starting again: recovery, then a worker that runs until the queue is empty.
    manage(env, "mailing_recover", "--older-than", "0")
    manage(env, "db_worker", "--batch", "--no-startup-delay")

    statuses, mailing_status = read_back(url)
    received = Counter(server.recipients())
    # Nobody got two copies; the one message in flight is left for a person to check
    # ("unknown") instead of being resent; the four claimed behind it were never attempted and
    # were sent after the restart; every other recipient was sent exactly once.
    assert max(received.values()) == 1
    assert statuses == {"sent": N - 1, "unknown": 1}
    # The held message may or may not have been kept by the server when its client vanished:
    # exactly why it is "unknown".
    everyone = {f"k{i}@mail.example" for i in range(N)}
    assert set(received) - {"k5@mail.example"} == everyone - {"k5@mail.example"}
    assert mailing_status == "done"
