"""The sending engine against a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from corpnet.testing import make_client, make_worker
from mailing import sending
from mailing.models import Mailing, Recipient
from mailing.services import mailing_create, mailing_resume
from mailing.smtpserver import DROP

pytestmark = pytest.mark.django_db


def clients_mailing(cast, *, n=3, subject="Hello {{ name }}", body="Dear {{ name }} {{ lastname }}", **params):
    for i in range(n):
        make_client(name=f"Name{i}", lastname=f"Last{i}", email=f"c{i}@mail.example", sum=Decimal("200000"))
    return mailing_create(
        created_by=cast.manager,
        audience="clients",
        filter_params=params,
        subject=subject,
        body_text=body,
    )


def test_it_sends_every_recipient_one_message_over_one_connection(cast, smtp, settings):
    settings.MAILING_CONNECTIONS = 1
    mailing = clients_mailing(cast, n=5)
    result = sending.run_mailing(mailing_id=mailing.pk)
    assert result.finished
    assert sorted(smtp.recipients()) == [f"c{i}@mail.example" for i in range(5)]
    assert smtp.connections == 1
    assert set(mailing.recipients.values_list("status", flat=True)) == {"sent"}
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_a_new_connection_per_message_is_possible_for_comparison(cast, smtp, settings):
    settings.MAILING_CONNECTIONS = 1
    mailing = clients_mailing(cast, n=3)
    sending.run_mailing(mailing_id=mailing.pk, reuse=False)
    assert smtp.connections == 3


def test_it_fills_placeholders_with_the_recipients_own_fields(cast, smtp):
    mailing = clients_mailing(cast, n=1)
    sending.run_mailing(mailing_id=mailing.pk)
    (message,) = smtp.messages
    assert message["Subject"] == "Hello Name0"
    assert "Dear Name0 Last0" in message.get_body(("plain",)).get_content()


def test_messages_carry_message_id_and_list_unsubscribe_for_clients(cast, smtp):
    mailing = clients_mailing(cast, n=1)
    sending.run_mailing(mailing_id=mailing.pk)
    (message,) = smtp.messages
    assert message["Message-ID"].endswith("@corpnet.example>")
    assert message["List-Unsubscribe"].strip().startswith("<mailto:mail@corpnet.example")
    assert mailing.recipients.get().message_id == message["Message-ID"]


def test_workers_get_no_list_unsubscribe_header(cast, smtp):
    worker = make_worker(email="w@corpnet.example")
    mailing = mailing_create(
        created_by=cast.manager, audience="worker", filter_params={"id": worker.pk}, subject="S", body_text="B"
    )
    sending.run_mailing(mailing_id=mailing.pk)
    (message,) = smtp.messages
    assert message["List-Unsubscribe"] is None


def test_html_part_escapes_placeholder_values(cast, smtp):
    make_client(name="<b>Eve</b>", lastname="X", email="eve@mail.example")
    mailing = mailing_create(
        created_by=cast.manager,
        audience="clients",
        filter_params={},
        subject="Hi",
        body_text="Hi {{ name }}",
        body_html="<p>Hi {{ name }}</p>",
    )
    sending.run_mailing(mailing_id=mailing.pk)
    (message,) = smtp.messages
    html = message.get_body(("html",)).get_content()
    assert "<p>Hi &lt;b&gt;Eve&lt;/b&gt;</p>" in html
    assert "Hi <b>Eve</b>" in message.get_body(("plain",)).get_content()


def test_a_451_is_retried_and_the_recipient_gets_one_copy(cast, smtp):
    mailing = clients_mailing(cast, n=1)
    smtp.handler.script.extend(["451 4.3.0 Try again later"])
    first = sending.run_mailing(mailing_id=mailing.pk)
    recipient = mailing.recipients.get()
    assert first.retried == 1
    assert recipient.status == "sent"
    assert recipient.attempts == 2
    assert smtp.recipients() == ["c0@mail.example"]


def test_a_451_waits_for_its_backoff_before_the_retry(cast, smtp, settings):
    settings.MAILING_RETRY_BACKOFF = 600
    mailing = clients_mailing(cast, n=1)
    smtp.handler.script.extend(["451 4.3.0 Try again later"])
    result = sending.run_mailing(mailing_id=mailing.pk)
    recipient = mailing.recipients.get()
    assert recipient.status == "pending"
    assert recipient.smtp_reply.startswith("451")
    assert recipient.next_attempt_at > timezone.now() + timedelta(seconds=500)
    assert result.next_due == recipient.next_attempt_at
    assert not result.finished


def test_temporary_failures_stop_after_the_attempt_limit(cast, smtp, settings):
    settings.MAILING_MAX_ATTEMPTS = 3
    mailing = clients_mailing(cast, n=1)
    smtp.handler.script.extend(["451 busy"] * 5)
    sending.run_mailing(mailing_id=mailing.pk)
    recipient = mailing.recipients.get()
    assert (recipient.status, recipient.attempts) == ("failed", 3)
    assert smtp.recipients() == []


def test_a_550_fails_the_recipient_without_retrying(cast, smtp):
    mailing = clients_mailing(cast, n=2)
    smtp.handler.refuse["c0@mail.example"] = "550 5.1.1 No such user"
    result = sending.run_mailing(mailing_id=mailing.pk)
    bad, good = mailing.recipients.order_by("email")
    assert (bad.status, bad.attempts, bad.smtp_reply) == ("failed", 1, "550 5.1.1 No such user")
    assert good.status == "sent"
    assert result.finished
    assert smtp.recipients() == ["c1@mail.example"]


def test_a_reply_lost_after_the_data_makes_the_recipient_unknown_and_the_rest_go_on(cast, smtp, settings):
    settings.MAILING_CONNECTIONS = 1
    mailing = clients_mailing(cast, n=6)
    smtp.handler.script.extend(["250 ok", "250 ok", DROP])
    sending.run_mailing(mailing_id=mailing.pk)
    statuses = dict(mailing.recipients.values_list("email", "status"))
    assert statuses.pop("c2@mail.example") == "unknown"
    assert set(statuses.values()) == {"sent"}
    assert sorted(smtp.recipients()) == [f"c{i}@mail.example" for i in (0, 1, 3, 4, 5)]
    assert smtp.connections == 2


def test_a_server_down_makes_the_mailing_wait_without_spending_attempts(cast, smtp, settings):
    mailing = clients_mailing(cast, n=5)
    smtp.stop()
    result = sending.run_mailing(mailing_id=mailing.pk)
    assert result.server_down and not result.finished
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.RUNNING and mailing.server_down_since is not None
    assert set(mailing.recipients.values_list("status", "attempts")) == {("pending", 0)}
    assert sending.run_mailing(mailing_id=mailing.pk).next_due == mailing.wait_until  # still waiting
    smtp.start()
    Mailing.objects.filter(pk=mailing.pk).update(wait_until=None)
    assert sending.run_mailing(mailing_id=mailing.pk).finished
    assert sorted(smtp.recipients()) == [f"c{i}@mail.example" for i in range(5)]
    mailing.refresh_from_db()
    assert mailing.server_down_since is None
    assert list(mailing.events.values_list("action", flat=True)) == [
        "created",
        "server_down",
        "server_back",
        "finished",
    ]


def test_rows_a_dead_worker_left_in_sending_become_unknown_and_are_not_resent(cast, smtp):
    mailing = clients_mailing(cast, n=4)
    # Exactly what a worker killed mid-batch leaves: two rows in flight, one claimed but not
    # yet attempted, and an old heartbeat.
    token, claimed = sending.claim_batch(mailing_id=mailing.pk, size=3)
    sending.mark_sending(claimed[:2], token)
    old = timezone.now() - timedelta(hours=1)
    Recipient.objects.filter(pk__in=[r.pk for r in claimed]).update(claimed_at=old)
    Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=old)
    mailing_resume(mailing=mailing, by=cast.manager)
    sending.run_mailing(mailing_id=mailing.pk)
    statuses = dict(mailing.recipients.values_list("email", "status"))
    assert statuses == {
        "c0@mail.example": "unknown",
        "c1@mail.example": "unknown",
        "c2@mail.example": "sent",
        "c3@mail.example": "sent",
    }
    assert sorted(smtp.recipients()) == ["c2@mail.example", "c3@mail.example"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_two_workers_claiming_at_once_never_get_the_same_recipient(cast, smtp):
    mailing = clients_mailing(cast, n=6)
    _, first = sending.claim_batch(mailing_id=mailing.pk, size=4)
    _, second = sending.claim_batch(mailing_id=mailing.pk, size=4)
    assert len(first) == 4 and len(second) == 2
    assert not {r.pk for r in first} & {r.pk for r in second}


def test_the_rate_limit_spaces_messages_across_slices_and_restarts(cast, smtp, settings):
    settings.MAILING_RATE_PER_MINUTE = 2  # one message every 30 s
    mailing = clients_mailing(cast, n=3)
    result = sending.run_mailing(mailing_id=mailing.pk, slice_seconds=5)
    # The second message is due only after the slice: it stays pending for a later one.
    assert result.sent == 1
    assert not result.finished
    assert mailing.recipients.filter(status="pending").count() == 2
    # A new slice (or a restarted worker) sees the attempt already made in this minute.
    assert len(sending.RateWindow(2).times) == 1
    assert sending.run_mailing(mailing_id=mailing.pk, slice_seconds=5).sent == 0
    assert smtp.recipients() == ["c0@mail.example"]


def test_a_non_smtp_email_backend_still_receives_every_message(cast, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mailing = clients_mailing(cast, n=2)
    sending.run_mailing(mailing_id=mailing.pk)
    assert sorted(m.to[0] for m in mailoutbox) == ["c0@mail.example", "c1@mail.example"]
    assert set(mailing.recipients.values_list("status", flat=True)) == {"sent"}


def test_a_group_is_marked_in_flight_only_while_running_and_only_rows_still_ours(cast):
    """One statement marks the messages handed to the free connections: none once the
    mailing is paused, and never a row that someone else changed in between."""
    mailing = clients_mailing(cast, n=4)
    token, claimed = sending.claim_batch(mailing_id=mailing.pk, size=4)
    Recipient.objects.filter(pk=claimed[1].pk).update(status=Recipient.Status.CANCELLED)
    marked = sending.mark_sending(claimed[:3], token, only_if_running=True)
    assert [r.pk for r in marked] == [claimed[0].pk, claimed[2].pk]
    assert Recipient.objects.get(pk=claimed[1].pk).status == Recipient.Status.CANCELLED

    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.PAUSED)
    assert sending.mark_sending(claimed[3:], token, only_if_running=True) == []
    assert Recipient.objects.get(pk=claimed[3].pk).status == Recipient.Status.PENDING


def test_with_four_connections_every_recipient_still_gets_exactly_one_message(cast, smtp, settings):
    settings.MAILING_CONNECTIONS = 4
    mailing = clients_mailing(cast, n=23)
    result = sending.run_mailing(mailing_id=mailing.pk)
    assert result.finished and result.sent == 23
    assert sorted(smtp.recipients()) == sorted(f"c{i}@mail.example" for i in range(23))
    assert set(mailing.recipients.values_list("status", flat=True)) == {"sent"}
