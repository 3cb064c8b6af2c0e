"""Several workers sending one mailing at once on PostgreSQL: SKIP LOCKED hands each of them
other recipients, so nobody gets two copies and nobody is left out.

Real threads, each with its own database connection and its own SMTP connections. The
SQLite test database is in memory with a shared cache, where a second writer fails at once
instead of waiting, so this runs on PostgreSQL (scripts/run_tests.py).
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from corpnet.testing import make_client
from mailing import sending, services
from mailing.models import Mailing, Recipient
from mailing.services import mailing_create

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def real_row_locks():
    if connection.vendor != "postgresql":
        pytest.skip("needs real row locks: runs on PostgreSQL (scripts/run_tests.py)")


def test_three_workers_on_one_mailing_send_each_recipient_exactly_once(cast, smtp, settings, monkeypatch):
    settings.MAILING_BATCH_SIZE = 7
    settings.MAILING_CONNECTIONS = 2
    n = 120
    for i in range(n):
        make_client(email=f"w{i}@mail.example")
    # Queued for nobody: the three workers below are the only ones sending.
    monkeypatch.setattr(services, "enqueue_send", lambda **kwargs: None)
    mailing = mailing_create(created_by=cast.manager, audience="clients", filter_params={}, subject="S", body_text="B")
    results, start = [], threading.Barrier(3)

    def worker():
        try:
            start.wait()
            results.append(sending.run_mailing(mailing_id=mailing.pk, slice_seconds=120))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    received = Counter(smtp.recipients())
    assert len(received) == n and max(received.values()) == 1
    assert set(Recipient.objects.filter(mailing=mailing).values_list("status", flat=True)) == {"sent"}
    assert sum(r.sent for r in results) == n
    assert sum(1 for r in results if r.sent) >= 2  # the work really was shared
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
