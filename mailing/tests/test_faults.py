"""Every SMTP fault the sink can play, and what the mailing does about it.

For each fault: per recipient the sink holds 0 or 1 copies, never 2; every recipient ends
sent, failed (with the reply), unknown or cancelled; what the app calls "sent" the sink has.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from corpnet.testing import make_client
from mailing import sending
from mailing.models import Mailing, Recipient
from mailing.services import (
    mailing_cancel,
    mailing_create,
    mailing_pause,
    mailing_resume,
    mailing_retry_failed,
    mailing_send_test,
)
from mailing.smtpserver import HOLD, delay

pytestmark = pytest.mark.django_db


def mailing_to(cast, n: int) -> Mailing:
    for i in range(n):
        make_client(name=f"N{i}", email=f"r{i}@mail.example", sum=Decimal("1"))
    return mailing_create(created_by=cast.manager, audience="clients", filter_params={}, subject="S", body_text="B")


def check_books(mailing: Mailing, smtp) -> dict[str, str]:
    """The invariants every fault must keep; returns email → status."""
    received = Counter(smtp.recipients())
    assert not received or max(received.values()) == 1, received
    statuses = dict(mailing.recipients.values_list("email", "status"))
    assert set(statuses.values()) <= {"sent", "failed", "unknown", "cancelled", "skipped"}, statuses
    sent = {e for e, s in statuses.items() if s == "sent"}
    assert sent <= set(received)
    # Whatever the sink has that the app does not call sent, the app calls unknown.
    assert all(statuses[e] == "unknown" for e in set(received) - sent)
    return statuses


def test_a_reply_later_than_the_timeout_makes_the_recipient_unknown_never_resent(cast, smtp, settings):
    settings.EMAIL_TIMEOUT = 1
    settings.MAILING_CONNECTIONS = 1
    mailing = mailing_to(cast, 3)
    smtp.handler.script.extend(["250 ok", delay(2.5)])
    sending.run_mailing(mailing_id=mailing.pk)
    statuses = check_books(mailing, smtp)
    assert statuses == {"r0@mail.example": "sent", "r1@mail.example": "unknown", "r2@mail.example": "sent"}
    recipient = mailing.recipients.get(email="r1@mail.example")
    assert "no reply after the message was sent" in recipient.smtp_reply
    # Its Message-ID was fixed before sending: a deliberate resend carries the same one.
    assert recipient.message_id == sending.message_id(mailing=mailing, recipient_id=recipient.pk)


def test_a_421_mid_session_makes_the_mailing_wait_not_the_recipients_fail(cast, smtp):
    mailing = mailing_to(cast, 4)
    smtp.handler.script.extend(["250 ok", "421 4.3.2 Service shutting down"])
    result = sending.run_mailing(mailing_id=mailing.pk)
    assert result.server_down and not result.finished
    mailing.refresh_from_db()
    assert mailing.server_down_since is not None
    assert not mailing.recipients.filter(status="failed").exists()
    Mailing.objects.filter(pk=mailing.pk).update(wait_until=None)
    assert sending.run_mailing(mailing_id=mailing.pk).finished
    statuses = check_books(mailing, smtp)
    assert set(statuses.values()) == {"sent"}


def test_451_is_retried_and_550_fails_with_the_reply_per_recipient(cast, smtp):
    mailing = mailing_to(cast, 3)
    smtp.handler.refuse["r0@mail.example"] = "550 5.1.1 No such user"
    smtp.handler.refuse_once["r1@mail.example"] = "451 4.7.1 Greylisted"
    sending.run_mailing(mailing_id=mailing.pk)
    statuses = check_books(mailing, smtp)
    assert statuses == {"r0@mail.example": "failed", "r1@mail.example": "sent", "r2@mail.example": "sent"}
    assert mailing.recipients.get(email="r0@mail.example").smtp_reply == "550 5.1.1 No such user"
    assert mailing.recipients.get(email="r1@mail.example").attempts == 2


def test_an_address_that_cannot_be_encoded_fails_alone_and_the_mailing_goes_on(cast, smtp):
    mailing = mailing_to(cast, 3)
    Recipient.objects.filter(mailing=mailing, email="r1@mail.example").update(email="yad@ex\u2028ample.com")
    sending.run_mailing(mailing_id=mailing.pk)
    statuses = check_books(mailing, smtp)
    assert statuses == {"r0@mail.example": "sent", "yad@ex\u2028ample.com": "failed", "r2@mail.example": "sent"}
    assert "cannot encode" in mailing.recipients.get(status="failed").smtp_reply
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_pause_while_the_server_stalls_stops_before_the_next_message(cast, smtp, settings, monkeypatch):
    settings.MAILING_CONNECTIONS = 1
    mailing = mailing_to(cast, 5)
    smtp.handler.script.extend([HOLD])
    beat = sending.Run._beat

    def pause_while_held(run, token):
        # The worker is waiting on the stalled server: the manager presses Pause now.
        if smtp.handler.held.is_set() and not smtp.handler.release.is_set():
            mailing_pause(mailing=mailing, by=cast.manager)
            smtp.handler.release.set()
        beat(run, token)

    monkeypatch.setattr(sending.Run, "_beat", pause_while_held)
    sending.run_mailing(mailing_id=mailing.pk)
    statuses = dict(mailing.recipients.values_list("email", "status"))
    # The held message got its (late) reply; nothing else was attempted after the pause.
    assert statuses["r0@mail.example"] == "sent"
    assert smtp.recipients() == ["r0@mail.example"]
    assert mailing.recipients.filter(status="pending").count() == 4
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.PAUSED


def test_retry_failed_on_a_paused_mailing_keeps_it_paused(cast, smtp):
    mailing = mailing_to(cast, 3)
    smtp.handler.refuse["r0@mail.example"] = "550 no"
    token, claimed = sending.claim_batch(mailing_id=mailing.pk, size=1)
    sending.release(token, [r.pk for r in claimed])
    Recipient.objects.filter(mailing=mailing, email="r0@mail.example").update(status="failed")
    mailing_pause(mailing=mailing, by=cast.manager)
    assert mailing_retry_failed(mailing=mailing, by=cast.manager) == 1
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.PAUSED
    assert sending.run_mailing(mailing_id=mailing.pk).sent == 0
    assert smtp.recipients() == []


def test_cancel_leaves_nobody_pending_or_sending(cast, smtp):
    mailing = mailing_to(cast, 4)
    token, claimed = sending.claim_batch(mailing_id=mailing.pk, size=2)
    sending.mark_sending(claimed[:1], token)
    Recipient.objects.filter(pk=claimed[0].pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    Recipient.objects.filter(mailing=mailing, email="r3@mail.example").update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    mailing_cancel(mailing=mailing, by=cast.manager)
    assert set(mailing.recipients.values_list("status", flat=True)) == {"cancelled"}
    assert sending.run_mailing(mailing_id=mailing.pk).sent == 0


def test_resume_is_allowed_as_soon_as_the_heartbeat_is_stale(cast, smtp, settings):
    settings.MAILING_STALE_AFTER = 10
    mailing = mailing_to(cast, 2)
    Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=11))
    mailing_resume(mailing=mailing, by=cast.manager)
    sending.run_mailing(mailing_id=mailing.pk)
    assert set(check_books(mailing, smtp).values()) == {"sent"}


def test_a_test_send_to_a_stalled_server_gives_up_after_its_own_timeout(cast, smtp, settings):
    settings.MAILING_TEST_TIMEOUT = 1
    make_client(email="a@mail.example")
    smtp.handler.script.extend([HOLD])
    try:
        with pytest.raises(ValidationError) as exc:
            mailing_send_test(user=cast.manager, audience="clients", filter_params={}, subject="S", body_text="B")
    finally:
        smtp.handler.release.set()
    assert "did not accept the test" in str(exc.value)


def test_the_delivered_footer_is_in_the_senders_language_like_the_preview(cast, smtp):
    from django.utils import translation

    from mailing.services import mailing_preview

    make_client(email="a@mail.example")
    with translation.override("ru"):
        preview = mailing_preview(audience="clients", filter_params={}, subject="S", body_text="B")
        mailing = mailing_create(
            created_by=cast.manager, audience="clients", filter_params={}, subject="S", body_text="B"
        )
    sending.run_mailing(mailing_id=mailing.pk)
    delivered = smtp.messages[0].get_body(("plain",)).get_content()
    assert "Вы получили это письмо" in preview.text
    assert delivered.replace("\r\n", "\n").strip() == preview.text.strip()
