"""Writes: validate and queue a mailing; pause, resume, cancel, retry; test sends.

Every entry point (the pages, the API, the admin, commands) calls these, so the rules —
nothing queued on bad input, opted-out clients and dismissed workers never reached, one copy
per address, an audit row for every action — are written once. Permission checks (who may
send, who may steer a given mailing) are made by the views and the API; ``may_steer`` and
``may_do`` state the rule they apply.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mailing import selectors, sending
from mailing.forms import BODY_HTML_MAX, BODY_TEXT_MAX, SUBJECT_MAX
from mailing.models import Mailing, MailingEvent, Recipient
from mailing.rendering import check_placeholders
from mailing.tasks import enqueue_send, enqueue_snapshot

log = logging.getLogger(__name__)

SEND_PERMISSION = "mailing.send_mailing"
#: Recipient rows written per transaction when the audience is snapshotted, so a 100,000
#: recipient mailing never holds the database's write lock for long.
SNAPSHOT_CHUNK = 1000
#: Pausing is open to every sender (stopping is always safe); cancelling, resuming and
#: retrying only to the mailing's owner or an administrator.
OWNER_ACTIONS = {"resume", "cancel", "retry-failed", "retry-unknown"}


def may_do(*, user, mailing: Mailing, action: str) -> bool:
    if not user.has_perm(SEND_PERMISSION):
        return False
    if action in OWNER_ACTIONS:
        return user.is_superuser or mailing.created_by_id == user.pk
    return True


def may_steer(*, user, mailing: Mailing) -> bool:
    return may_do(user=user, mailing=mailing, action="cancel")


def mailing_validate_content(*, subject: str, body_text: str, body_html: str = "") -> None:
    """Refuse what must never reach the queue: header injection, empty text, bad placeholders."""
    errors: dict[str, ValidationError] = {}
    subject = subject or ""
    if "\n" in subject or "\r" in subject:
        errors["subject"] = ValidationError(_("The subject must be a single line (no line breaks)."), code="newline")
    elif not subject.strip():
        errors["subject"] = ValidationError(_("Write a subject."), code="required")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = ValidationError(
            _("The subject is too long (at most %(max)d characters).") % {"max": SUBJECT_MAX}, code="max_length"
        )
    if not (body_text or "").strip():
        errors["body_text"] = ValidationError(_("The text of the message is empty."), code="required")
    elif len(body_text) > BODY_TEXT_MAX:
        errors["body_text"] = ValidationError(
            _("The text is too long (at most %(max)d characters).") % {"max": BODY_TEXT_MAX}, code="max_length"
        )
    if len(body_html or "") > BODY_HTML_MAX:
        errors["body_html"] = ValidationError(
            _("The HTML is too long (at most %(max)d characters).") % {"max": BODY_HTML_MAX}, code="max_length"
        )
    for name, error in check_placeholders(subject=subject, body_text=body_text, body_html=body_html).items():
        errors.setdefault(name, error)
    if errors:
        raise ValidationError(errors)


@dataclass
class Preview:
    count: int
    matched: int
    key: str
    description: str
    first: list
    subject: str
    text: str
    html: str
    skipped: list = field(default_factory=list)

    @property
    def skipped_summary(self) -> str:
        return selectors.skipped_summary(self.skipped)


def _sample(mailing: Mailing, person: selectors.Person, *, to: str | None = None, is_test: bool = False):
    return sending.build_message(
        mailing=mailing,
        name=person.name,
        lastname=person.lastname,
        email=to or person.email,
        kind=person.kind,
        object_id=person.object_id,
        recipient_id=0,
        is_test=is_test,
    )


def _draft(*, subject: str, body_text: str, body_html: str) -> Mailing:
    return Mailing(
        subject=subject,
        body_text=body_text,
        body_html=body_html or "",
        language=translation.get_language() or "",
        message_key="preview",
    )


def mailing_preview(
    *, audience: str, filter_params: dict, subject: str, body_text: str, body_html: str = ""
) -> Preview:
    """What "send" would do, without doing it: the count, the first recipients, one sample.

    Runs the very validation mailing_create runs, and renders the sample exactly as the
    worker renders the delivered copies (same templates, same language).
    """
    mailing_validate_content(subject=subject, body_text=body_text, body_html=body_html)
    spec = selectors.audience_spec(audience=audience, filter_params=filter_params)
    matched = selectors.audience_size(spec)
    resolved = selectors.resolve_audience(spec)
    if not resolved.people:
        raise ValidationError(
            {
                "audience": _("Nobody matches this audience; nothing to send.")
                + " "
                + selectors.skipped_summary(resolved.skipped)
            }
        )
    message = _sample(_draft(subject=subject, body_text=body_text, body_html=body_html), resolved.people[0])
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    # The rendered parts come out of Template.render() marked safe; in the page they are text
    # to show (a <pre> and an iframe's srcdoc attribute), so they are handed over as plain
    # strings and escaped by the page's autoescaping.
    return Preview(
        count=len(resolved.people),
        matched=matched,
        key=spec.key,
        description=spec.description,
        first=resolved.people[: selectors.PREVIEW_RECIPIENTS],
        subject=str.__str__(message.subject),
        text=str.__str__(message.body),
        html=str.__str__(html),
        skipped=resolved.skipped,
    )


@transaction.atomic
def mailing_create(
    *,
    created_by,
    audience: str,
    filter_params: dict,
    subject: str,
    body_text: str,
    body_html: str = "",
    expected_count: int | None = None,
    expected_key: str = "",
) -> Mailing:
    """Validate and queue a mailing; the recipient list is taken by the background task.

    ``expected_count`` and ``expected_key`` are what the sender confirmed on the preview: if
    the audience changed since (another filter, someone added a client), nothing is queued.
    """
    mailing_validate_content(subject=subject, body_text=body_text, body_html=body_html)
    spec = selectors.audience_spec(audience=audience, filter_params=filter_params)
    if expected_key and expected_key != spec.key:
        raise ValidationError(
            _("The audience was changed after the preview. Please check the preview and confirm again."),
            code="audience_changed",
        )
    matched = selectors.audience_size(spec)
    if not matched:
        raise ValidationError({"audience": _("Nobody matches this audience; nothing to send.")})
    if expected_count is not None and expected_count != matched:
        raise ValidationError(
            _("The audience now has %(n)d people, not %(expected)d. Please check the preview and confirm again.")
            % {"n": matched, "expected": expected_count},
            code="count_changed",
        )
    mailing = Mailing.objects.create(
        created_by=created_by,
        audience=spec.audience,
        filter_params=spec.params,
        audience_description=spec.description[:500],
        subject=subject,
        body_text=body_text,
        body_html=body_html or "",
        status=Mailing.Status.PREPARING,
        recipient_count=matched,
        language=translation.get_language() or "",
        message_key=secrets.token_hex(8),
        heartbeat_at=timezone.now(),
    )
    MailingEvent.objects.create(
        mailing=mailing, actor=created_by, action=MailingEvent.Action.CREATED, detail=spec.description[:500]
    )
    if matched <= SNAPSHOT_CHUNK:
        # Small enough to list in this request (one chunk): the mailing starts at once.
        mailing_snapshot(mailing_id=mailing.pk)
        mailing.refresh_from_db()
    else:
        enqueue_snapshot(mailing_id=mailing.pk)
    return mailing


def mailing_snapshot(*, mailing_id: int) -> None:
    """Write the recipient rows of a preparing mailing, in chunks, then start sending.

    Run by the background task. Each chunk is its own short transaction; a crash in the
    middle is harmless (nothing is sent while preparing) and the next run starts over.
    """
    mailing = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.PREPARING).first()
    if mailing is None:
        return
    Recipient.objects.filter(mailing=mailing).delete()
    with translation.override(mailing.language or None):
        _snapshot(mailing)


def _snapshot(mailing: Mailing) -> None:
    mailing_id = mailing.pk
    spec = selectors.AudienceSpec(audience=mailing.audience, params=mailing.filter_params)
    total = skipped = 0
    for chunk in selectors.iter_snapshot(spec, mailing_id=mailing_id, chunk_size=SNAPSHOT_CHUNK):
        alive = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.PREPARING)
        if not alive.update(heartbeat_at=timezone.now()):
            # Cancelled while preparing: whatever was listed is closed too.
            Recipient.objects.filter(mailing_id=mailing_id, status=Recipient.Status.PENDING).update(
                status=Recipient.Status.CANCELLED
            )
            return
        Recipient.objects.bulk_create(chunk)
        total += len(chunk)
        skipped += sum(r.status == Recipient.Status.SKIPPED for r in chunk)
    with transaction.atomic():
        started = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.PREPARING).update(
            status=Mailing.Status.RUNNING, recipient_count=total, skipped_count=skipped, heartbeat_at=timezone.now()
        )
        if not started:
            return
        if skipped:
            rows = mailing.recipients.filter(status=Recipient.Status.SKIPPED).values_list("email", "smtp_reply")
            MailingEvent.objects.create(
                mailing=mailing,
                action=MailingEvent.Action.SKIPPED,
                detail=selectors.skipped_summary(list(rows[: selectors.NAMED_SKIPPED + 1]))[:500],
            )
        enqueue_send(mailing_id=mailing_id)
    log.info("mailing %s: %s recipients listed, %s skipped", mailing_id, total, skipped)


def _transition(*, mailing: Mailing, by, allowed: list[str], to: str, action: str, detail: str = "") -> Mailing:
    with transaction.atomic():
        changed = Mailing.objects.filter(pk=mailing.pk, status__in=allowed).update(status=to, finished_at=None)
        if not changed:
            mailing.refresh_from_db()
            raise ValidationError(
                _("This mailing is %(status)s; that cannot be done now.") % {"status": mailing.get_status_display()}
            )
        MailingEvent.objects.create(mailing=mailing, actor=by, action=action, detail=detail)
    mailing.refresh_from_db()
    return mailing


def mailing_pause(*, mailing: Mailing, by) -> Mailing:
    """Stop before the next message; the rest stays pending until resumed."""
    return _transition(
        mailing=mailing,
        by=by,
        allowed=[Mailing.Status.RUNNING],
        to=Mailing.Status.PAUSED,
        action=MailingEvent.Action.PAUSED,
    )


def mailing_resume(*, mailing: Mailing, by) -> Mailing:
    """Continue a paused mailing, or restart one whose worker was lost (stalled)."""
    mailing.refresh_from_db()
    allowed = [Mailing.Status.PAUSED]
    if selectors.mailing_is_stalled(mailing=mailing):
        allowed.append(Mailing.Status.RUNNING)
    mailing = _transition(
        mailing=mailing, by=by, allowed=allowed, to=Mailing.Status.RUNNING, action=MailingEvent.Action.RESUMED
    )
    with transaction.atomic():
        sending.release_stale_claims(mailing_id=mailing.pk, older_than=selectors.stale_after())
        Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=timezone.now(), server_down_since=None)
        enqueue_send(mailing_id=mailing.pk)
    return mailing


def mailing_cancel(*, mailing: Mailing, by) -> Mailing:
    """Nothing more is sent; every recipient not yet sent is marked cancelled.

    Rows a worker has in flight right now keep their outcome when the server answers; rows a
    lost worker left in "sending" become cancelled too (they may have gone out: the reply
    says so).
    """
    with transaction.atomic():
        mailing = _transition(
            mailing=mailing,
            by=by,
            allowed=[Mailing.Status.RUNNING, Mailing.Status.PAUSED, Mailing.Status.PREPARING],
            to=Mailing.Status.CANCELLED,
            action=MailingEvent.Action.CANCELLED,
        )
        Recipient.objects.filter(mailing=mailing, status=Recipient.Status.PENDING).update(
            status=Recipient.Status.CANCELLED, claim_token=""
        )
        Mailing.objects.filter(pk=mailing.pk).update(finished_at=timezone.now(), server_down_since=None)
    sending.cancel_leftovers(mailing_id=mailing.pk, older_than=selectors.stale_after())
    mailing.refresh_from_db()
    return mailing


def _requeue(*, mailing: Mailing, by, statuses: list[str], action: str) -> int:
    """Put recipients back in the queue; a paused mailing stays paused (they go out on resume)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status in (Mailing.Status.CANCELLED, Mailing.Status.PREPARING):
            raise ValidationError(
                _("This mailing is %(status)s; that cannot be done now.") % {"status": mailing.get_status_display()}
            )
        n = Recipient.objects.filter(mailing=mailing, status__in=statuses).update(
            status=Recipient.Status.PENDING, attempts=0, next_attempt_at=None, claim_token=""
        )
        if not n:
            raise ValidationError(_("There is nothing to retry."))
        if mailing.status == Mailing.Status.DONE:
            Mailing.objects.filter(pk=mailing.pk).update(
                status=Mailing.Status.RUNNING, finished_at=None, heartbeat_at=timezone.now()
            )
        MailingEvent.objects.create(mailing=mailing, actor=by, action=action, detail=str(n))
        if mailing.status in (Mailing.Status.DONE, Mailing.Status.RUNNING):
            enqueue_send(mailing_id=mailing.pk)
    return n


def mailing_retry_failed(*, mailing: Mailing, by) -> int:
    """Send the failed recipients again; returns how many were queued."""
    return _requeue(mailing=mailing, by=by, statuses=[Recipient.Status.FAILED], action=MailingEvent.Action.RETRIED)


def mailing_retry_unknown(*, mailing: Mailing, by) -> int:
    """Resend recipients whose fate is unknown — a deliberate choice. They keep their
    Message-ID, so a receiving server that deduplicates shows one copy."""
    return _requeue(
        mailing=mailing, by=by, statuses=[Recipient.Status.UNKNOWN], action=MailingEvent.Action.RETRIED_UNKNOWN
    )


def mailing_send_test(
    *, user, audience: str, filter_params: dict, subject: str, body_text: str, body_html: str = ""
) -> str:
    """Send one copy, filled in for the first recipient, to the user; returns the server's reply.

    Sent now with a short timeout of its own (MAILING_TEST_TIMEOUT, 10 s), so a slow server
    never holds the request for longer.
    """
    mailing_validate_content(subject=subject, body_text=body_text, body_html=body_html)
    if not user.email:
        raise ValidationError(_("Your account has no email address to send the test to."))
    spec = selectors.audience_spec(audience=audience, filter_params=filter_params)
    resolved = selectors.resolve_audience(spec)
    if not resolved.people:
        raise ValidationError({"audience": _("Nobody matches this audience; nothing to send.")})
    draft = _draft(subject=subject, body_text=body_text, body_html=body_html)
    message = _sample(draft, resolved.people[0], to=user.email, is_test=True)
    deliverer = sending.Deliverer(timeout=sending.conf("MAILING_TEST_TIMEOUT", 10))
    try:
        reply = deliverer.send(message)
    except sending.DeliveryError as exc:
        raise ValidationError(_("The mail server did not accept the test: %(reply)s") % {"reply": exc}) from exc
    finally:
        deliverer.close()
    MailingEvent.objects.create(
        actor=user, action=MailingEvent.Action.TEST_SENT, detail=f"{user.email}: {subject}"[:500]
    )
    return reply


def mailing_recover_stalled(*, older_than: timedelta | None = None) -> list[int]:
    """Re-queue running mailings whose worker vanished (at worker start and by the command).

    ``older_than`` (default MAILING_STALE_AFTER) may be shortened when the operator knows no
    worker is running, e.g. at the start of the only worker.
    """
    older_than = selectors.stale_after() if older_than is None else older_than
    ids = list(selectors.stalled_mailings(older_than=older_than).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            sending.release_stale_claims(mailing_id=pk, older_than=older_than)
            Mailing.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
            MailingEvent.objects.create(mailing_id=pk, action=MailingEvent.Action.RECOVERED)
            enqueue_send(mailing_id=pk)
    cutoff = timezone.now() - older_than
    preparing = Mailing.objects.filter(status=Mailing.Status.PREPARING, heartbeat_at__lte=cutoff)
    for pk in preparing.values_list("pk", flat=True):
        Mailing.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
        enqueue_snapshot(mailing_id=pk)
        ids.append(pk)
    return ids
