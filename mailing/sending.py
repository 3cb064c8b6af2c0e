"""The sending engine: claim recipients, deliver over a small pool of SMTP connections, record
every outcome.

Rules it keeps (docs/decisions/mailing-delivery.md explains why):

- At most one copy: a recipient becomes "sending" just before its message is handed to a
  connection. If the server's reply to the final "." is lost (dropped connection, timeout),
  the recipient becomes "unknown" and is never resent automatically. Each recipient's
  Message-ID is derived from the mailing's stored key and the recipient's id, so a deliberate
  resend carries the same Message-ID.
- Nothing lost: a worker that dies leaves its claimed-but-unsent rows pending (they are
  reclaimed once its claim is older than MAILING_STALE_AFTER) and its in-flight rows
  "sending" (they become "unknown").
- One bad recipient (an address that cannot be encoded, a 5xx) fails that recipient only.
- The mail server being down as a whole (refused connection, 421, timeout on connect) makes
  the *mailing* wait with backoff; no recipient's attempt is spent.
- Pause and cancel are read before every message.
"""

from __future__ import annotations

import functools
import logging
import re
import smtplib
import threading
import time
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import timedelta
from email.header import Header
from email.utils import formatdate, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from corpnet.validators import deliverable_email_problem, is_plain_email
from mailing.models import Mailing, MailingEvent, Recipient
from mailing.rendering import fill, fill_subject, recipient_context

log = logging.getLogger(__name__)

#: How long one task run keeps sending before it hands over to a fresh task (so a stop or a
#: deploy never waits on a 10,000-recipient mailing, and other tasks get their turn).
SLICE_SECONDS = 60
#: How often a running worker proves it is alive (mailing heartbeat and its claims).
HEARTBEAT_SECONDS = 5


def conf(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def stale_after() -> timedelta:
    return timedelta(seconds=conf("MAILING_STALE_AFTER", 30))


# ---------------------------------------------------------------- building messages


@functools.lru_cache(maxsize=8)
def _address_in(header: str) -> str:
    return parseaddr(header)[1] or "noreply@corpnet.local"


def from_address() -> str:
    # Parsed once per value of the setting: every message's Message-ID and headers use it.
    return _address_in(settings.DEFAULT_FROM_EMAIL)


def sender_domain() -> str:
    return from_address().rsplit("@", 1)[-1]


def message_id(*, mailing: Mailing, recipient_id: int) -> str:
    """Stable per recipient: the same on every attempt and on a deliberate resend."""
    return f"<m{mailing.pk or 0}.{recipient_id}.{mailing.message_key}@{sender_domain()}>"


class Templates:
    """The three email templates, compiled once per run (not once per message)."""

    def __init__(self) -> None:
        self.subject = get_template("mailing/email/message-subject.txt")
        self.text = get_template("mailing/email/message-body.txt")
        self.html = get_template("mailing/email/message-body.html")


_templates: Templates | None = None


def templates() -> Templates:
    global _templates  # noqa: PLW0603 - a per-process cache of compiled templates
    if _templates is None or settings.DEBUG:
        _templates = Templates()
    return _templates


class Layout:
    """A mailing's message rendered once through the email templates (per kind of recipient,
    in the mailing's language), placeholders still in it. Each recipient's copy is then a
    plain substitution of their own fields, never a template render per message."""

    def __init__(self, mailing: Mailing, *, kind: str = "", is_test: bool = False) -> None:
        compiled = templates()
        ctx = {
            "subject": mailing.subject,
            "body_text": mailing.body_text,
            # The sender's own HTML: the email template alone leaves it unescaped.
            "body_html": mailing.body_html,
            "is_test": is_test,
            "kind": kind,
        }
        with translation.override(mailing.language or settings.LANGUAGE_CODE):
            self.subject = " ".join(compiled.subject.render(ctx).split())
            self.text = str.__str__(compiled.text.render(ctx))
            self.html = str.__str__(compiled.html.render(ctx)) if mailing.body_html else ""


def build_message(
    *,
    mailing: Mailing,
    name: str,
    lastname: str,
    email: str,
    kind: str = "",
    object_id: int | None = None,
    recipient_id: int = 0,
    is_test: bool = False,
    layout: Layout | None = None,
) -> EmailMultiAlternatives:
    """One recipient's message, from templates/mailing/email/message-*, in the mailing's language."""
    layout = layout or Layout(mailing, kind=kind, is_test=is_test)
    context = recipient_context(name=name, lastname=lastname, email=email)
    headers = {"Message-ID": message_id(mailing=mailing, recipient_id=recipient_id)}
    if kind == "client":
        # RFC 2369: mail clients show an "unsubscribe" button that writes to us.
        headers["List-Unsubscribe"] = f"<mailto:{from_address()}?subject=unsubscribe%20client%20{object_id or ''}>"
    message = EmailMultiAlternatives(
        subject=fill_subject(layout.subject, context),
        body=fill(layout.text, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers=headers,
    )
    if layout.html:
        message.attach_alternative(fill(layout.html, context, html=True), "text/html")
    return message


# ---------------------------------------------------------------- the network


class DeliveryError(Exception):
    """The message was not (known to be) delivered; ``str()`` is the reason or the server's reply."""


class TemporaryFailure(DeliveryError):
    """4xx for this recipient, or the connection broke before the message was complete."""


class PermanentFailure(DeliveryError):
    """5xx, or a message that cannot be encoded: this recipient fails for good."""


class DeliveryUnknown(DeliveryError):
    """The whole message was sent but the server's reply never came: it may have been accepted."""


class ServerUnavailable(DeliveryError):
    """The server cannot be reached or closes the service (421): nothing was sent."""


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()[:500]


_LEADING_DOT = re.compile(rb"(?m)^\.")


def serialize(message: EmailMultiAlternatives) -> tuple[str, list[str], bytes]:
    """Envelope and bytes of a message; raises PermanentFailure if it cannot be encoded."""
    try:
        encoding = message.encoding or settings.DEFAULT_CHARSET
        from_addr = _sanitized(message.from_email, encoding)
        to_addrs = []
        for address in message.recipients():
            # sanitize_address() lets IDNA drop characters (U+2028): that would be another address.
            problem = deliverable_email_problem(address)
            if problem:
                raise PermanentFailure(f"cannot encode the message: {problem}"[:500])
            # A plain address is what sanitize_address() would return; it parses every other.
            to_addrs.append(address if is_plain_email(address) else sanitize_address(address, encoding))
            to_addrs[-1].encode("ascii")
        payload = _plain_mime(message, from_addr, to_addrs)
        if payload is None:
            payload = message.message().as_bytes(linesep="\r\n")
    except (UnicodeError, ValueError, LookupError, TypeError) as exc:
        raise PermanentFailure(f"cannot encode the message: {exc}"[:500]) from exc
    return from_addr, to_addrs, payload


# The sender's address is the same in every message of a run: sanitized once.
_sanitized = functools.lru_cache(maxsize=8)(sanitize_address)
# ... and quoted for the envelope once (smtplib parses the address on every MAIL FROM).
_quoted = functools.lru_cache(maxsize=8)(smtplib.quoteaddr)


def _envelope_address(address: str) -> str:
    return f"<{address}>" if is_plain_email(address) else smtplib.quoteaddr(address)


_PART_HEADERS = b'Content-Type: text/%s; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\n'


def _plain_mime(message: EmailMultiAlternatives, from_addr: str, to_addrs: list[str]) -> bytes | None:
    """The bytes Django's ``message().as_bytes()`` gives for the mailing's usual shape — UTF-8
    text, optionally an HTML alternative, short lines, plain headers — written directly.

    The email package folds and re-encodes some seventeen headers per message; for ten
    thousand messages that was most of the sending CPU. Anything outside this shape (long
    lines needing quoted-printable, attachments, other charsets, unusual headers) returns None
    and goes through Django.
    """
    encoding = (message.encoding or settings.DEFAULT_CHARSET).lower()
    if message.attachments or message.cc or message.bcc or message.reply_to or encoding != "utf-8":
        return None
    if any(mimetype != "text/html" for _content, mimetype in message.alternatives) or len(message.alternatives) > 1:
        return None
    parts = [(b"plain", message.body)] + [(b"html", content) for content, _mimetype in message.alternatives]
    bodies = []
    for subtype, text in parts:
        lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        encoded = [line.encode("utf-8") for line in lines]
        if any(len(line) > 998 for line in encoded):
            return None  # Django switches to quoted-printable
        bodies.append((subtype, b"\r\n".join(encoded)))
    subject = str(message.subject)
    extra = [(k, str(v)) for k, v in message.extra_headers.items() if k.lower() not in {"from", "to", "cc", "reply-to"}]
    if any("\n" in v or "\r" in v or not v.isascii() for _k, v in extra) or "\n" in subject or "\r" in subject:
        return None
    if subject.isascii() and len(subject) < 900:
        subject_header = subject
    else:
        subject_header = Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")
    headers = [
        ("Subject", subject_header),
        ("From", from_addr),
        ("To", ", ".join(to_addrs)),
        ("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
        *extra,
    ]
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("ascii")
    if len(bodies) == 1:
        return _PART_HEADERS % b"plain" + head + b"\r\n" + bodies[0][1]
    boundary = f"==============={uuid.uuid4().int % 10**19:019d}==".encode()
    if any(boundary in body for _subtype, body in bodies):
        return None
    out = [b'Content-Type: multipart/alternative;\r\n boundary="' + boundary + b'"\r\nMIME-Version: 1.0\r\n', head]
    for subtype, body in bodies:
        out += [b"\r\n--", boundary, b"\r\n", _PART_HEADERS % subtype, b"\r\n", body]
    out += [b"\r\n--", boundary, b"--\r\n"]
    return b"".join(out)


class Deliverer:
    """One SMTP connection (Django's backend, so every EMAIL_* setting applies), reused for
    every message and reopened when the server drops it.

    The SMTP dialogue is driven step by step so each failure is classified by *when* it
    happened: before the message data (nothing delivered), or while waiting for the reply to
    the final "." (delivery unknown).
    """

    def __init__(self, *, reuse: bool = True, timeout: float | None = None) -> None:
        self.reuse = reuse
        self.timeout = timeout
        self.backend = None
        self.connections_opened = 0
        self.is_smtp = issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend)

    def _backend(self):
        kwargs = {"timeout": self.timeout} if self.timeout and self.is_smtp else {}
        return get_connection(fail_silently=False, **kwargs)

    def _smtp(self) -> smtplib.SMTP:
        if self.backend is None or self.backend.connection is None:
            backend = self._backend()
            try:
                backend.open()
            except smtplib.SMTPResponseException as exc:
                raise ServerUnavailable(_reply(exc.smtp_code, exc.smtp_error)) from exc
            except (smtplib.SMTPException, OSError) as exc:
                raise ServerUnavailable(f"cannot connect: {exc}"[:500]) from exc
            self.backend = backend
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
        """Deliver one message; return the server's acceptance reply or raise a DeliveryError."""
        if not self.is_smtp:
            # EMAIL_BACKEND set to Django's console, file or locmem backend (development or
            # tests elsewhere): no SMTP dialogue to record, just hand the message over.
            if self.backend is None:
                self.backend = self._backend()
            self.backend.send_messages([message])
            return f"accepted by {type(self.backend).__name__}"
        from_addr, to_addrs, payload = serialize(message)
        try:
            return self._dialogue(from_addr, to_addrs, payload)
        finally:
            if not self.reuse:
                self.close()

    def _envelope(self, from_addr: str, to_addrs: list[str]) -> smtplib.SMTP:
        for attempt in (1, 2):
            smtp = self._smtp()
            try:
                smtp.ehlo_or_helo_if_needed()
                # smtp.mail() and smtp.rcpt() without ESMTP options, minus their address parsing.
                code, text = smtp.docmd("mail", "FROM:" + _quoted(from_addr))
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # An idle reused connection the server closed: reconnect once (nothing sent).
                self.close()
                if attempt == 2:
                    raise ServerUnavailable(f"connection lost: {exc}"[:500]) from exc
                continue
            if code != 250:
                raise self._refused(smtp, code, text)
            for address in to_addrs:
                code, text = smtp.docmd("rcpt", "TO:" + _envelope_address(address))
                if code not in (250, 251):
                    raise self._refused(smtp, code, text)
            return smtp
        raise ServerUnavailable("connection lost")  # pragma: no cover - the loop returns or raises

    def _dialogue(self, from_addr: str, to_addrs: list[str], payload: bytes) -> str:
        try:
            smtp = self._envelope(from_addr, to_addrs)
            code, text = smtp.docmd("data")
            if code != 354:
                raise self._refused(smtp, code, text)
            data = _LEADING_DOT.sub(b"..", payload)
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
            smtp.send(data + b".\r\n")
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # Broken before the final "." went out: the server cannot have accepted it.
            self.close()
            raise TemporaryFailure(f"connection lost before the message was complete: {exc}"[:500]) from exc
        try:
            code, text = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close()
            raise DeliveryUnknown(f"no reply after the message was sent: {exc}"[:500]) from exc
        if code != 250:
            raise self._refused(smtp, code, text)
        return _reply(code, text)

    def _refused(self, smtp: smtplib.SMTP, code: int, text) -> DeliveryError:
        if code in (421, -1):
            self.close()
            return ServerUnavailable(_reply(code, text))
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
        if 400 <= code < 500:
            return TemporaryFailure(_reply(code, text))
        return PermanentFailure(_reply(code, text))


# ---------------------------------------------------------------- claiming and recording


def _claimable(mailing_id: int, now) -> Q:
    cutoff = now - stale_after()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    unclaimed = Q(claim_token="") | Q(claimed_at__lt=cutoff)
    return Q(mailing_id=mailing_id, status=Recipient.Status.PENDING) & due & unclaimed


def claim_batch(*, mailing_id: int, size: int) -> tuple[str, list[Recipient]]:
    """Take up to ``size`` due recipients for this worker, marked with a token of its own.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``, so several workers on
    one mailing take disjoint batches without waiting on each other; everywhere, the UPDATE
    repeats the condition, so a row is only ever claimed by one token. Claimed rows stay
    "pending" until just before their message is handed to a connection: a worker that dies
    leaves them to be reclaimed, not guessed about.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    condition = _claimable(mailing_id, now)
    with transaction.atomic():
        rows = Recipient.objects.filter(condition).order_by("id")
        if db_connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("id", flat=True)[:size])
        if not ids:
            return token, []
        Recipient.objects.filter(condition, id__in=ids).update(claim_token=token, claimed_at=now)
    return token, list(Recipient.objects.filter(claim_token=token, status=Recipient.Status.PENDING).order_by("id"))


def release(token: str, ids: list[int]) -> None:
    """Hand claimed, never-attempted recipients back to the queue."""
    if ids:
        Recipient.objects.filter(pk__in=ids, claim_token=token, status=Recipient.Status.PENDING).update(claim_token="")


def release_stale_claims(*, mailing_id: int, older_than: timedelta) -> int:
    """After a worker was lost: its in-flight rows become "unknown", its claims are released."""
    cutoff = timezone.now() - older_than
    unknown = Recipient.objects.filter(
        mailing_id=mailing_id, status=Recipient.Status.SENDING, claimed_at__lte=cutoff
    ).update(
        status=Recipient.Status.UNKNOWN,
        smtp_reply="worker stopped while sending; the message may or may not have been delivered",
    )
    Recipient.objects.filter(mailing_id=mailing_id, status=Recipient.Status.PENDING, claimed_at__lte=cutoff).exclude(
        claim_token=""
    ).update(claim_token="")
    if unknown:
        log.warning("mailing %s: %s recipient(s) in flight on a lost worker marked unknown", mailing_id, unknown)
    return unknown


def cancel_leftovers(*, mailing_id: int, older_than: timedelta) -> None:
    """After cancel: rows still pending (claimed by a worker) or left "sending" by a lost
    worker are closed as cancelled; rows in flight on a live worker get their real outcome."""
    cutoff = timezone.now() - older_than
    Recipient.objects.filter(mailing_id=mailing_id, status=Recipient.Status.PENDING).update(
        status=Recipient.Status.CANCELLED, claim_token=""
    )
    Recipient.objects.filter(mailing_id=mailing_id, status=Recipient.Status.SENDING, claimed_at__lte=cutoff).update(
        status=Recipient.Status.CANCELLED,
        smtp_reply="cancelled; a lost worker was sending it — it may or may not have been delivered",
    )


@dataclass
class Outcome:
    recipient: Recipient
    status: str
    reply: str
    retry_at: object = None
    spent: bool = True  # False when the server, not the recipient, was the problem


def _outcome(recipient: Recipient, mailing: Mailing, exc: BaseException | None, reply: str) -> Outcome:
    attempts = recipient.attempts + 1
    if exc is None:
        return Outcome(recipient, Recipient.Status.SENT, reply)
    text = str(exc)[:500] or type(exc).__name__
    if isinstance(exc, DeliveryUnknown):
        return Outcome(recipient, Recipient.Status.UNKNOWN, text)
    if isinstance(exc, TemporaryFailure) and attempts < conf("MAILING_MAX_ATTEMPTS", 5):
        wait_s = conf("MAILING_RETRY_BACKOFF", 60) * 2 ** (attempts - 1)
        return Outcome(recipient, Recipient.Status.PENDING, text, timezone.now() + timedelta(seconds=wait_s))
    if isinstance(exc, DeliveryError):
        return Outcome(recipient, Recipient.Status.FAILED, text)
    # Anything unexpected for one recipient fails that recipient, never the mailing.
    log.exception("mailing %s: recipient %s failed unexpectedly", mailing.pk, recipient.pk, exc_info=exc)
    return Outcome(recipient, Recipient.Status.FAILED, f"error: {text}"[:500])


def _sql(template: str, **fields: str) -> str:
    """A statement on the recipient table with its real, quoted table and column names.

    The two statements below run once per message; the ORM spends more time compiling them
    than the database spends running them, so they are written once as parametrised SQL.
    Only identifiers from the model's own metadata are formatted in; every value is a
    parameter.
    """
    quote = db_connection.ops.quote_name
    names = {key: quote(Recipient._meta.get_field(field).column) for key, field in fields.items()}
    return template.format(
        recipient=quote(Recipient._meta.db_table),
        mailing=quote(Mailing._meta.db_table),
        mailing_id=quote(Mailing._meta.pk.column),
        mailing_status=quote(Mailing._meta.get_field("status").column),
        **names,
    )


_RECORD_FIELDS = ["status", "smtp_reply", "attempts", "message_id", "next_attempt_at", "sent_at", "claim_token"]


def record(outcomes: list[Outcome], *, mailing: Mailing, token: str) -> None:
    """Write a group of outcomes with one prepared statement, each row with its own status and
    reply, and only while the row is still this worker's and in flight."""
    if not outcomes:
        return
    now = timezone.now()
    adapt = db_connection.ops.adapt_datetimefield_value
    sets = ", ".join(f"{{{f}}} = %s" for f in _RECORD_FIELDS)
    sql = _sql(
        # A row a cancel or a recovery closed meanwhile still gets the server's real answer.
        "UPDATE {recipient} SET " + sets + " WHERE {id} = %s AND {claim_token} = %s AND {status} IN (%s, %s, %s)",  # noqa: S608 - identifiers from the model, values are parameters
        id="id",
        **{f: f for f in _RECORD_FIELDS},
    )
    rows = []
    for o in outcomes:
        r = o.recipient
        attempts = r.attempts + 1 if o.spent else r.attempts
        rows.append(
            (
                o.status,
                o.reply[:500],
                attempts,
                message_id(mailing=mailing, recipient_id=r.pk)[:255],
                adapt(o.retry_at),
                adapt(now if o.status == Recipient.Status.SENT else r.sent_at),
                "" if o.status == Recipient.Status.PENDING else token,
                r.pk,
                token,
                Recipient.Status.SENDING,
                Recipient.Status.UNKNOWN,
                Recipient.Status.CANCELLED,
            )
        )
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def mark_sending(recipients: list[Recipient], token: str, *, only_if_running: bool = False) -> list[Recipient]:
    """Mark claimed recipients as in flight, just before their messages leave; return those
    marked (a row someone else changed meanwhile is left alone).

    With ``only_if_running`` the same statement reads the mailing's status, so a pause or a
    cancel is seen before every group of messages at the cost of no extra query: none is
    marked once the mailing is no longer running.
    """
    if not recipients:
        return []
    ids = [r.pk for r in recipients]
    if not only_if_running:
        marked = Recipient.objects.filter(pk__in=ids, claim_token=token, status=Recipient.Status.PENDING).update(
            status=Recipient.Status.SENDING, claimed_at=timezone.now()
        )
    else:
        sql = _sql(
            "UPDATE {recipient} SET {status} = %s, {claimed_at} = %s"  # noqa: S608 - identifiers from the model, values are parameters
            " WHERE {id} IN (" + ", ".join(["%s"] * len(ids)) + ") AND {claim_token} = %s AND {status} = %s"
            " AND EXISTS (SELECT 1 FROM {mailing} WHERE {mailing_id} = %s AND {mailing_status} = %s)",
            status="status",
            claimed_at="claimed_at",
            id="id",
            claim_token="claim_token",
        )
        params = [
            Recipient.Status.SENDING,
            db_connection.ops.adapt_datetimefield_value(timezone.now()),
            *ids,
            token,
            Recipient.Status.PENDING,
            recipients[0].mailing_id,
            Mailing.Status.RUNNING,
        ]
        with db_connection.cursor() as cursor:
            cursor.execute(sql, params)
            marked = cursor.rowcount
    if marked == len(recipients):
        return list(recipients)
    if not marked:
        return []
    # Rare: some rows were changed by someone else in between. Send only those marked.
    sending = set(
        Recipient.objects.filter(pk__in=ids, claim_token=token, status=Recipient.Status.SENDING).values_list(
            "pk", flat=True
        )
    )
    return [r for r in recipients if r.pk in sending]


# ---------------------------------------------------------------- one run of the task


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    unknown: int = 0
    connections: int = 0
    finished: bool = False
    next_due: object = None  # when the next run is due (a deferred retry or a server backoff)
    server_down: bool = False


class RateWindow:
    """A sliding 60-second window over attempts, seeded from the database so it holds across
    task slices, worker restarts and mailings."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.times: deque[float] = deque()
        if per_minute:
            since = timezone.now() - timedelta(seconds=60)
            recent = Recipient.objects.filter(claimed_at__gte=since).exclude(
                status__in=[Recipient.Status.PENDING, Recipient.Status.SKIPPED, Recipient.Status.CANCELLED]
            )
            offset = time.monotonic() - timezone.now().timestamp()
            self.times.extend(sorted(t.timestamp() + offset for t in recent.values_list("claimed_at", flat=True)))

    def wait(self, stop: threading.Event, beat, deadline: float) -> bool:
        """Wait for the window to open; False if it opens only after ``deadline`` (monotonic)."""
        if not self.per_minute:
            return True
        while not stop.is_set():
            beat()
            now = time.monotonic()
            while self.times and self.times[0] <= now - 60:
                self.times.popleft()
            # Evenly spaced, and never more than the limit in any 60 seconds.
            spaced = self.times[-1] + 60 / self.per_minute if self.times else now
            if len(self.times) < self.per_minute and now >= spaced:
                self.times.append(now)
                return True
            due = spaced if len(self.times) < self.per_minute else max(spaced, self.times[0] + 60)
            if due >= deadline:
                return False
            stop.wait(min(1.0, max(0.001, due - now)))
        return False


class Run:
    """One slice of sending for one mailing, with a pool of connections."""

    def __init__(self, mailing_id: int, *, slice_seconds: float, reuse: bool) -> None:
        self.mailing_id = mailing_id
        self.slice_seconds = slice_seconds
        self.rate = RateWindow(conf("MAILING_RATE_PER_MINUTE", 0))
        self.size = 1 if self.rate.per_minute else max(1, conf("MAILING_CONNECTIONS", 4))
        self.batch_size = max(1, min(conf("MAILING_BATCH_SIZE", 200), self.rate.per_minute or 10**9))
        self.deliverers = [Deliverer(reuse=reuse) for _ in range(self.size)]
        self.free = list(self.deliverers)
        self.result = RunResult()
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.last_beat = 0.0
        self.layouts: dict[str, Layout] = {}

    # -- the loop

    def go(self) -> RunResult:
        mailing = Mailing.objects.filter(pk=self.mailing_id).first()
        if mailing is None or mailing.status != Mailing.Status.RUNNING:
            return self.result
        # Another worker on this mailing died: its in-flight rows become unknown, its claims free.
        release_stale_claims(mailing_id=self.mailing_id, older_than=stale_after())
        pool = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix=f"mailing-{self.mailing_id}")
        try:
            while not self.stop.is_set() and time.monotonic() - self.started < self.slice_seconds:
                token, batch = claim_batch(mailing_id=self.mailing_id, size=self.batch_size)
                if not batch:
                    break
                self._batch(pool, mailing, token, batch)
                log.info(
                    "mailing %s: batch of %s done (sent %s, failed %s, unknown %s so far)",
                    self.mailing_id,
                    len(batch),
                    self.result.sent,
                    self.result.failed,
                    self.result.unknown,
                )
        finally:
            pool.shutdown(wait=True)
            # A cancel while messages were in flight: deferred retries are closed too.
            if not Mailing.objects.filter(pk=self.mailing_id).exclude(status=Mailing.Status.CANCELLED).exists():
                Recipient.objects.filter(mailing_id=self.mailing_id, status=Recipient.Status.PENDING).update(
                    status=Recipient.Status.CANCELLED, claim_token=""
                )
            self.result.connections = sum(d.connections_opened for d in self.deliverers)
            for d in self.deliverers:
                d.close()
        return self.result

    def _beat(self, token: str) -> None:
        now = time.monotonic()
        if now - self.last_beat < HEARTBEAT_SECONDS:
            return
        self.last_beat = now
        stamp = timezone.now()
        Mailing.objects.filter(pk=self.mailing_id).update(heartbeat_at=stamp)
        Recipient.objects.filter(
            claim_token=token, status__in=[Recipient.Status.PENDING, Recipient.Status.SENDING]
        ).update(claimed_at=stamp)

    def _batch(self, pool: ThreadPoolExecutor, mailing: Mailing, token: str, batch: list[Recipient]) -> None:
        queue = deque(batch)
        flying: dict[Future, tuple[Recipient, Deliverer]] = {}
        done: list[Outcome] = []
        last_record = time.monotonic()
        try:
            while queue or flying:
                self._beat(token)
                if queue and self._group_ready(len(queue), flying) and not self.stop.is_set():
                    self._launch(pool, mailing, token, queue, flying)
                    continue
                finished, _pending = wait(list(flying), timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    recipient, deliverer = flying.pop(future)
                    self.free.append(deliverer)
                    done.append(self._settle(mailing, recipient, future))
                # Outcomes are written in groups, but never held long: a worker killed now
                # must leave only the messages really in flight without an outcome.
                if done and (len(done) >= 50 or not flying or time.monotonic() - last_record > 0.2):
                    record(done, mailing=mailing, token=token)
                    done = []
                    last_record = time.monotonic()
                if self.stop.is_set() and not flying:
                    break
        finally:
            record(done, mailing=mailing, token=token)
            release(token, [r.pk for r in queue])

    def _group_ready(self, waiting: int, flying: dict) -> bool:
        """Launch once half the connections are free (or all that is left fits): marking a
        group costs one database round trip, as marking one message does."""
        if not flying:
            return bool(self.free)
        return len(self.free) >= min(waiting, max(1, self.size // 2))

    def _launch(self, pool, mailing, token, queue, flying) -> None:
        """Hand the next messages to every free connection. One statement marks them all in
        flight, and only while the mailing is still running: a pause or a cancel is seen
        before each group (at most one message per connection), and each recipient is
        marked just before its own message leaves."""
        deadline = self.started + self.slice_seconds
        group: list[Recipient] = []
        while queue and len(group) < len(self.free):
            if not self.rate.wait(self.stop, lambda: self._beat(token), deadline) or time.monotonic() >= deadline:
                # Not due within this slice: the rest goes back to the queue for the next one.
                self.stop.set()
                break
            group.append(queue.popleft())
        if not group:
            return
        messages = {r.pk: self._message(mailing, r) for r in group}
        marked = mark_sending(group, token, only_if_running=True)
        if not marked:
            queue.extendleft(reversed(group))  # paused or cancelled: not attempted
            self.stop.set()
            return
        for recipient in marked:
            message = messages[recipient.pk]
            if isinstance(message, DeliveryError):
                record([_outcome(recipient, mailing, message, "")], mailing=mailing, token=token)
                self.result.failed += 1
                continue
            deliverer = self.free.pop()
            flying[pool.submit(deliverer.send, message)] = (recipient, deliverer)

    def _message(self, mailing: Mailing, recipient: Recipient) -> EmailMultiAlternatives | DeliveryError:
        layout = self.layouts.get(recipient.kind)
        try:
            if layout is None:
                layout = self.layouts[recipient.kind] = Layout(mailing, kind=recipient.kind)
            return build_message(
                mailing=mailing,
                name=recipient.name,
                lastname=recipient.lastname,
                email=recipient.email,
                kind=recipient.kind,
                object_id=recipient.object_id,
                recipient_id=recipient.pk,
                layout=layout,
            )
        except Exception as exc:  # noqa: BLE001 - one recipient's data never stops the mailing
            return PermanentFailure(f"cannot build the message: {exc}")

    def _settle(self, mailing: Mailing, recipient: Recipient, future: Future) -> Outcome:
        exc = future.exception()
        if isinstance(exc, ServerUnavailable):
            # The server, not this recipient: back to the queue, attempt not spent.
            self.stop.set()
            self.result.server_down = True
            server_down(mailing_id=self.mailing_id, reason=str(exc))
            return Outcome(recipient, Recipient.Status.PENDING, str(exc)[:500], None, spent=False)
        outcome = _outcome(recipient, mailing, exc, "" if exc else future.result())
        if exc is None and mailing.server_down_since is not None:
            server_back(mailing_id=self.mailing_id)
            mailing.server_down_since = None
        self.result.sent += outcome.status == Recipient.Status.SENT
        self.result.failed += outcome.status == Recipient.Status.FAILED
        self.result.retried += outcome.status == Recipient.Status.PENDING
        self.result.unknown += outcome.status == Recipient.Status.UNKNOWN
        if exc is not None:
            log.warning("mailing %s: %s → %s (%s)", self.mailing_id, recipient.email, outcome.status, outcome.reply)
        return outcome


def server_down(*, mailing_id: int, reason: str) -> None:
    now = timezone.now()
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return
    since = mailing.server_down_since or now
    down_for = (now - since).total_seconds()
    base = conf("MAILING_OUTAGE_BACKOFF", 10)
    backoff = min(conf("MAILING_OUTAGE_BACKOFF_MAX", 300), max(base, down_for))
    with transaction.atomic():
        Mailing.objects.filter(pk=mailing_id).update(
            server_down_since=since, wait_until=now + timedelta(seconds=backoff), heartbeat_at=now
        )
        if mailing.server_down_since is None:
            MailingEvent.objects.create(
                mailing_id=mailing_id, action=MailingEvent.Action.SERVER_DOWN, detail=reason[:500]
            )
    log.warning("mailing %s: mail server unavailable (%s); next try in %ss", mailing_id, reason, int(backoff))


def server_back(*, mailing_id: int) -> None:
    with transaction.atomic():
        if Mailing.objects.filter(pk=mailing_id, server_down_since__isnull=False).update(
            server_down_since=None, wait_until=None
        ):
            MailingEvent.objects.create(mailing_id=mailing_id, action=MailingEvent.Action.SERVER_BACK)
            log.info("mailing %s: mail server reachable again", mailing_id)


def run_mailing(*, mailing_id: int, slice_seconds: float = SLICE_SECONDS, reuse: bool = True) -> RunResult:
    """Send what is due for one mailing, for at most ``slice_seconds``."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is not None and mailing.status == Mailing.Status.PREPARING:
        from mailing.services import mailing_snapshot

        mailing_snapshot(mailing_id=mailing_id)
    if mailing is not None and mailing.wait_until and mailing.wait_until > timezone.now():
        return RunResult(next_due=mailing.wait_until, server_down=True)
    run = Run(mailing_id, slice_seconds=slice_seconds, reuse=reuse)
    result = run.go()
    if result.server_down:
        result.next_due = Mailing.objects.filter(pk=mailing_id).values_list("wait_until", flat=True).first()
        return result
    result.finished = finish_if_done(mailing_id=mailing_id)
    if not result.finished:
        result.next_due = Recipient.objects.filter(
            mailing_id=mailing_id, status=Recipient.Status.PENDING, next_attempt_at__gt=timezone.now()
        ).aggregate(due=Min("next_attempt_at"))["due"]
    return result


def finish_if_done(*, mailing_id: int) -> bool:
    """Mark a running mailing finished once nothing is pending or in flight."""
    open_statuses = [Recipient.Status.PENDING, Recipient.Status.SENDING]
    if Recipient.objects.filter(mailing_id=mailing_id, status__in=open_statuses).exists():
        return False
    with transaction.atomic():
        done = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.RUNNING).update(
            status=Mailing.Status.DONE, finished_at=timezone.now(), server_down_since=None, wait_until=None
        )
        if done:
            MailingEvent.objects.create(mailing_id=mailing_id, action=MailingEvent.Action.FINISHED)
    return True
