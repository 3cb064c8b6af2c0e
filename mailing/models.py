"""Mailings: what was sent, to whom (a snapshot taken at send time), and how each delivery went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    WORKERS = "workers", _("Workers selected by a filter")
    CLIENTS = "clients", _("Clients selected by a filter")
    WORKER = "worker", _("One worker")
    CLIENT = "client", _("One client")
    ADDRESS = "address", _("One email address")


FILTER_AUDIENCES = {Audience.WORKERS, Audience.CLIENTS}


class Mailing(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing the recipient list")
        RUNNING = "running", _("Sending")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Finished")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    # The query parameters of the list-page filter (or the one person's id / address), kept as
    # given so the audience can be shown, re-opened and audited later.
    filter_params = models.JSONField(_("filter"), default=dict, blank=True)
    audience_description = models.CharField(_("audience description"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    # Counted once at snapshot time; the live counts come from the recipient rows.
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # Touched by the worker after every batch: a running mailing whose heartbeat is old has lost
    # its worker (killed, machine restarted) and is shown as stalled, ready to be resumed.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The sender's language: the fixed parts of the message (the footer) are written in it,
    # in the preview and in every delivered copy alike.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Random, fixed at creation: each recipient's Message-ID is derived from it and the
    # recipient's id, so any resend of the same recipient carries the same Message-ID.
    message_key = models.CharField(max_length=32, blank=True, editable=False)
    # Set while the mail server is unreachable as a whole: the mailing waits (with backoff)
    # instead of spending its recipients' attempts.
    server_down_since = models.DateTimeField(_("mail server unreachable since"), null=True, blank=True)
    # While waiting for the server: when the next try is due.
    wait_until = models.DateTimeField(null=True, blank=True, editable=False)
    skipped_count = models.PositiveIntegerField(_("skipped addresses"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        permissions = [("send_mailing", _("Can send mailings"))]

    def __str__(self) -> str:
        return self.subject


class Recipient(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Claimed by a worker that died before recording the outcome: the message may or may
        # not have left. Never resent automatically; a person decides.
        UNKNOWN = "unknown", _("Unknown — check before retrying")
        CANCELLED = "cancelled", _("Cancelled")
        # The address cannot be handed to a mail server (found when the list was taken).
        SKIPPED = "skipped", _("Skipped — address cannot receive mail")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    email = models.EmailField(_("email"), max_length=254)
    # Lower-cased address: one copy per address however it was capitalised.
    email_key = models.CharField(max_length=254, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    lastname = models.CharField(_("last name"), max_length=100, blank=True)
    kind = models.CharField(max_length=10, blank=True)  # "worker", "client" or "" for a bare address
    object_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    smtp_reply = models.CharField(_("server reply"), max_length=500, blank=True)
    message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "email_key"],
                name="mailing_recipient_once",
                violation_error_message=_("This address is already a recipient of the mailing."),
            ),
        ]
        indexes = [
            models.Index(fields=["mailing", "status", "next_attempt_at"], name="mailing_recipient_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.email


class MailingEvent(models.Model):
    """The audit trail: who did what to a mailing, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created and queued")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        CANCELLED = "cancelled", _("Cancelled")
        RETRIED = "retried", _("Retried failed recipients")
        RETRIED_UNKNOWN = "retried_unknown", _("Resent recipients in unknown state")
        FINISHED = "finished", _("Finished")
        TEST_SENT = "test_sent", _("Test sent")
        SERVER_DOWN = "server_down", _("Mail server unreachable; waiting")
        SERVER_BACK = "server_back", _("Mail server reachable again")
        RECOVERED = "recovered", _("Worker lost; continued by another worker")
        SKIPPED = "skipped", _("Addresses skipped")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="events", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("mailing event")
        verbose_name_plural = _("mailing events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
