"""A manager filters clients, previews, sends, and watches the progress reach 100 % — in Chromium,
with a real SMTP server and a worker thread running the same step as ``db_worker``."""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from django.db import connections

from conftest import login
from corpnet.testing import make_client
from mailing import sending
from mailing.models import Mailing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Worker(threading.Thread):
    """Runs the task's sending step until the mailing is finished, like ``db_worker`` would."""

    def __init__(self, mailing_id: int) -> None:
        super().__init__(daemon=True)
        self.mailing_id = mailing_id
        # An in-memory SQLite test database exists only in this process's connection, which
        # the live server already shares across threads; any other database is reached anew.
        main = connections["default"]
        self.shared = main if main.vendor == "sqlite" and main.is_in_memory_db() else None
        if self.shared is not None:
            self.shared.inc_thread_sharing()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if self.shared is not None:
                connections["default"] = self.shared
            for _ in range(100):
                if sending.run_mailing(mailing_id=self.mailing_id, slice_seconds=0.5).finished:
                    return
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
        finally:
            if self.shared is None:
                connections.close_all()
            else:
                self.shared.dec_thread_sharing()


def test_a_manager_emails_the_clients_a_filter_selects_and_watches_it_finish(page, cast, smtp, settings):
    # The request only queues; this test's worker thread does the sending.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAILING_RATE_PER_MINUTE = 600  # slow enough to watch the bar move
    for i in range(4):
        make_client(name=f"Богач{i}", lastname="Иванов", email=f"rich{i}@mail.example", sum=Decimal("250000"))
    make_client(name="Бедняк", email="poor@mail.example", sum=Decimal("10"))
    make_client(name="Отказник", email="optout@mail.example", sum=Decimal("900000"), mailing_opt_out=True)

    login(page, "manager")
    page.goto("/mailing/new/?audience=clients")
    page.fill("input[name=f-sum_min]", "100000")
    page.click("#audience-form button[type=submit]")
    page.fill("#id_subject", "Отчёт для {{ name }}")
    page.fill("#id_body_text", "Здравствуйте, {{ fullname }}!")
    page.click("button[value=preview]")
    page.wait_for_load_state()  # confirm.js (deferred) has run: the send button asks first

    preview = page.locator("#preview")
    assert "4 recipients" in preview.inner_text()
    assert "Отчёт для Богач0" in preview.inner_text()
    assert "optout@mail.example" not in preview.inner_text()

    asked = []

    def confirm(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    page.click("#send")
    page.wait_for_url(re.compile(r"/mailing/\d+/$"))
    assert asked == ["Send this mailing to 4 recipients?"]
    mailing = Mailing.objects.get()
    assert mailing.recipients.count() == 4

    worker = Worker(mailing.pk)
    worker.start()
    # The detail page refreshes itself while the mailing runs.
    try:
        page.locator("#percent", has_text="100%").wait_for(timeout=30_000)
    finally:
        worker.join(timeout=30)
        assert worker.error is None, repr(worker.error)
    assert page.locator("#sent").inner_text() == "4"
    assert sorted(smtp.recipients()) == [f"rich{i}@mail.example" for i in range(4)]
