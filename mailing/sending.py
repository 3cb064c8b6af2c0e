"""The sending engine: claim recipients atomically, deliver over one reused SMTP connection,
record each outcome the moment the server answers.

Step functions (``claim_batch``, ``deliver_one``, ``run_mailing``) are what the task and the
tests call. The only code that touches the network is ``Deliverer``.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import get_template
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from mailing.models import Mailing, MailingEvent, Recipient
from mailing.rendering import fill, fill_subject, recipient_context

log = logging.getLogger(__name__)

#: How long one task run keeps sending before it hands over to a fresh task (so a stop or a
#: deploy never waits on a 10,000-recipient mailing, and other tasks get their turn).
SLICE_SECONDS = 60
#: A running mailing whose worker has not reported for this long has lost its worker.
STALE_AFTER = timedelta(minutes=5)


def conf(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# ---------------------------------------------------------------- building messages


def from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@corpnet.local"


def sender_domain() -> str:
    return from_address().rsplit("@", 1)[-1]


@functools.cache
def _template(name: str):
    # Compiled once per process: with DEBUG on, Django's loaders would re-read and re-parse
    # the three email templates for every one of ten thousand messages.
    return get_template(name)


def build_message(
    *,
    subject: str,
    body_text: str,
    body_html: str,
    name: str,
    lastname: str,
    email: str,
    kind: str = "",
    object_id: int | None = None,
    is_test: bool = False,
    connection=None,
) -> EmailMultiAlternatives:
    """One recipient's message, from the triplet templates/mailing/email/message-*."""
    context = recipient_context(name=name, lastname=lastname, email=email)
    ctx = {
        "subject": fill_subject(subject, context),
        "body_text": fill(body_text, context),
        # Placeholder values are escaped by fill(); the sender's own HTML is theirs to write.
        "body_html": mark_safe(fill(body_html, context, html=True)) if body_html else "",  # noqa: S308
        "is_test": is_test,
        "kind": kind,
    }
    rendered_subject = " ".join(_template("mailing/email/message-subject.txt").render(ctx).split())
    text = _template("mailing/email/message-body.txt").render(ctx)
    headers = {"Message-ID": make_msgid(domain=sender_domain())}
    if kind == "client":
        # RFC 2369: mail clients show an "unsubscribe" button that writes to us.
        headers["List-Unsubscribe"] = f"<mailto:{from_address()}?subject=unsubscribe%20client%20{object_id or ''}>"
    message = EmailMultiAlternatives(
        subject=rendered_subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers=headers,
        connection=connection,
    )
    if body_html:
        message.attach_alternative(_template("mailing/email/message-body.html").render(ctx), "text/html")
    return message


def message_for(recipient: Recipient, mailing: Mailing) -> EmailMultiAlternatives:
    return build_message(
        subject=mailing.subject,
        body_text=mailing.body_text,
        body_html=mailing.body_html,
        name=recipient.name,
        lastname=recipient.lastname,
        email=recipient.email,
        kind=recipient.kind,
        object_id=recipient.object_id,
    )


# ---------------------------------------------------------------- the network


class TemporaryFailure(Exception):
    """4xx or a lost connection: worth another try later."""


class PermanentFailure(Exception):
    """5xx: the server refused this message for good."""


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()[:500]


class Deliverer:
    """One SMTP connection (Django's backend, so every EMAIL_* setting applies), reused for
    every message and reopened when the server drops it.

    Envelope commands are sent one by one instead of smtplib's ``sendmail`` so the server's
    own reply to each message is recorded, and a refusal is classified by its code.
    """

    def __init__(self, *, reuse: bool = True) -> None:
        self.reuse = reuse
        self.backend = None
        self.connections_opened = 0
        self._from: tuple[str, str] | None = None
        self.is_smtp = issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend)

    def _other(self):
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
        return self.backend

    def _smtp(self) -> smtplib.SMTP:
        if self.backend is None or self.backend.connection is None:
            self.backend = get_connection(fail_silently=False)
            self.backend.open()
            self.connections_opened += 1
        return self.backend.connection

    def close(self) -> None:
        if self.backend is not None:
            try:
                self.backend.close()
            except (smtplib.SMTPException, OSError):
                pass  # the server is already gone; nothing left to close cleanly
            self.backend = None

    def send(self, message: EmailMultiAlternatives) -> str:
        """Deliver one message; return the server's acceptance reply or raise a *Failure."""
        if not self.is_smtp:
            # EMAIL_BACKEND set to Django's console, file or locmem backend (development or
            # tests elsewhere): no SMTP dialogue to record, just hand the message over.
            self._other().send_messages([message])
            return f"accepted by {type(self._other()).__name__}"
        try:
            smtp = self._smtp()
            encoding = message.encoding or settings.DEFAULT_CHARSET
            if self._from is None or self._from[0] != message.from_email:
                self._from = (message.from_email, sanitize_address(message.from_email, encoding))
            from_addr = self._from[1]
            to_addrs = [sanitize_address(a, encoding) for a in message.recipients()]
            payload = message.message().as_bytes(linesep="\r\n")
            smtp.ehlo_or_helo_if_needed()
            code, text = smtp.mail(from_addr)
            if code != 250:
                raise self._refused(smtp, code, text)
            for address in to_addrs:
                code, text = smtp.rcpt(address)
                if code not in (250, 251):
                    raise self._refused(smtp, code, text)
            code, text = smtp.data(payload)
            if code != 250:
                raise self._refused(smtp, code, text)
            return _reply(code, text)
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"connection lost: {exc}"[:500]) from exc
        except smtplib.SMTPResponseException as exc:
            # Raised by smtplib itself (e.g. a 421 closing the connection during data()).
            self.close()
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(_reply(exc.smtp_code, exc.smtp_error)) from exc
            raise PermanentFailure(_reply(exc.smtp_code, exc.smtp_error)) from exc
        finally:
            if not self.reuse:
                self.close()

    def _refused(self, smtp: smtplib.SMTP, code: int, text) -> Exception:
        if code == 421 or code == -1:
            self.close()
        else:
            try:
                smtp.rset()
            except (smtplib.SMTPException, OSError):
                self.close()
        if 400 <= code < 500 or code == -1:
            return TemporaryFailure(_reply(code, text))
        return PermanentFailure(_reply(code, text))


# ---------------------------------------------------------------- the steps


def claim_batch(*, mailing: Mailing, size: int) -> list[Recipient]:
    """Atomically take up to ``size`` due recipients for this worker.

    A conditional UPDATE (``… WHERE status = 'pending'``) with a token unique to this claim:
    if two workers race for the same rows, the database lets only one UPDATE match each row,
    on SQLite and PostgreSQL alike, so no recipient is ever handed to two workers.
    """
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ids = list(
        Recipient.objects.filter(due, mailing=mailing, status=Recipient.Status.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:size]
    )
    if not ids:
        return []
    token = uuid.uuid4().hex
    Recipient.objects.filter(id__in=ids, status=Recipient.Status.PENDING).update(
        status=Recipient.Status.SENDING, claim_token=token, claimed_at=now
    )
    return list(Recipient.objects.filter(id__in=ids, claim_token=token, status=Recipient.Status.SENDING).order_by("id"))


def deliver_one(*, recipient: Recipient, mailing: Mailing, deliverer: Deliverer) -> str:
    """Send one claimed recipient and record the outcome at once; returns the new status."""
    message = message_for(recipient, mailing)
    attempts = recipient.attempts + 1
    base = Recipient.objects.filter(pk=recipient.pk, status=Recipient.Status.SENDING)
    try:
        reply = deliverer.send(message)
    except TemporaryFailure as exc:
        if attempts >= conf("MAILING_MAX_ATTEMPTS", 5):
            base.update(status=Recipient.Status.FAILED, attempts=attempts, smtp_reply=str(exc)[:500])
            return Recipient.Status.FAILED
        wait = conf("MAILING_RETRY_BACKOFF", 60) * 2 ** (attempts - 1)
        base.update(
            status=Recipient.Status.PENDING,
            attempts=attempts,
            smtp_reply=str(exc)[:500],
            next_attempt_at=timezone.now() + timedelta(seconds=wait),
            claim_token="",
        )
        return Recipient.Status.PENDING
    except PermanentFailure as exc:
        base.update(status=Recipient.Status.FAILED, attempts=attempts, smtp_reply=str(exc)[:500])
        return Recipient.Status.FAILED
    base.update(
        status=Recipient.Status.SENT,
        attempts=attempts,
        smtp_reply=reply,
        sent_at=timezone.now(),
        message_id=message.extra_headers["Message-ID"][:255],
    )
    return Recipient.Status.SENT


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    connections: int = 0
    finished: bool = False
    next_due: object = None  # datetime of the earliest deferred retry, if any


def run_mailing(*, mailing_id: int, slice_seconds: float = SLICE_SECONDS, reuse: bool = True) -> RunResult:
    """Send what is due for one mailing, for at most ``slice_seconds``.

    Checks between batches whether the mailing was paused or cancelled. Paced by
    MAILING_RATE_PER_MINUTE; claims MAILING_BATCH_SIZE recipients at a time.
    """
    result = RunResult()
    rate = conf("MAILING_RATE_PER_MINUTE", 0)
    interval = 60.0 / rate if rate else 0.0
    batch_size = conf("MAILING_BATCH_SIZE", 50)
    if rate:
        # Claim about a second's worth at a time, so a pause takes effect promptly and a
        # worker that dies leaves only a handful of recipients in "sending".
        batch_size = max(1, min(batch_size, rate // 60))
    deliverer = Deliverer(reuse=reuse)
    started = time.monotonic()
    next_send = started
    stop = False
    try:
        while time.monotonic() - started < slice_seconds:
            mailing = Mailing.objects.filter(pk=mailing_id).first()
            if mailing is None or mailing.status != Mailing.Status.RUNNING:
                break
            Mailing.objects.filter(pk=mailing_id).update(heartbeat_at=timezone.now())
            batch = claim_batch(mailing=mailing, size=batch_size)
            if not batch:
                break
            for position, recipient in enumerate(batch):
                if interval:
                    if next_send - started >= slice_seconds:
                        # Not due within this slice: hand the rest back untouched for the next.
                        rest = [r.pk for r in batch[position:]]
                        Recipient.objects.filter(pk__in=rest, status=Recipient.Status.SENDING).update(
                            status=Recipient.Status.PENDING, claim_token=""
                        )
                        stop = True
                        break
                    delay = next_send - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    next_send = max(next_send, time.monotonic() - interval) + interval
                try:
                    status = deliver_one(recipient=recipient, mailing=mailing, deliverer=deliverer)
                except BaseException:
                    # Stopped by force (a second Ctrl-C, a crash): the recipients not yet
                    # attempted go back to the queue; the one in flight stays "sending".
                    rest = [r.pk for r in batch[position + 1 :]]
                    Recipient.objects.filter(pk__in=rest, status=Recipient.Status.SENDING).update(
                        status=Recipient.Status.PENDING, claim_token=""
                    )
                    raise
                result.sent += status == Recipient.Status.SENT
                result.failed += status == Recipient.Status.FAILED
                result.retried += status == Recipient.Status.PENDING
            if stop:
                break
    finally:
        result.connections = deliverer.connections_opened
        deliverer.close()
    result.finished = finish_if_done(mailing_id=mailing_id)
    if not result.finished:
        result.next_due = Recipient.objects.filter(mailing_id=mailing_id, status=Recipient.Status.PENDING).aggregate(
            due=Min("next_attempt_at")
        )["due"]
    return result


def finish_if_done(*, mailing_id: int) -> bool:
    """Mark a running mailing finished once nothing is pending or in flight."""
    open_statuses = [Recipient.Status.PENDING, Recipient.Status.SENDING]
    if Recipient.objects.filter(mailing_id=mailing_id, status__in=open_statuses).exists():
        return False
    with transaction.atomic():
        done = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.RUNNING).update(
            status=Mailing.Status.DONE, finished_at=timezone.now()
        )
        if done:
            MailingEvent.objects.create(mailing_id=mailing_id, action=MailingEvent.Action.FINISHED)
    return True


def mark_stale_as_unknown(*, mailing_id: int, older_than: timedelta = STALE_AFTER) -> int:
    """Recipients a dead worker left in "sending": the message may or may not have gone out.

    They become "unknown" — never pending again by themselves — so nobody is mailed twice
    behind the sender's back; the detail page lets a person resend them deliberately.
    """
    cutoff = timezone.now() - older_than
    return Recipient.objects.filter(
        mailing_id=mailing_id, status=Recipient.Status.SENDING, claimed_at__lte=cutoff
    ).update(
        status=Recipient.Status.UNKNOWN,
        smtp_reply="worker stopped while sending; the message may or may not have been delivered",
    )
