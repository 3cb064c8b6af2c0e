"""Who took client data out of the intranet: one row per bulk export."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    CLIENTS_CSV = "clients.csv", _("Clients, CSV file")
    CLIENTS_API = "api:client", _("Clients, API page")


class ExportRecord(models.Model):
    """A bulk export: the clients CSV, or an API page larger than one page of clients.

    Written before the data leaves, so an interrupted download is recorded too. Never
    changed or deleted from the intranet (the admin only shows them)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exports", verbose_name=_("user")
    )
    what = models.CharField(_("what"), max_length=100, choices=ExportKind.choices)
    filter_params = models.JSONField(_("filter"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    ip_address = models.CharField(_("address"), max_length=45, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.get_what_display()} · {self.row_count}"


def _default_expiry():
    from django.utils import timezone

    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A REST API token. Only a SHA-256 of the secret is stored: the secret itself is shown
    once, when the token is issued (accounts/api_tokens.py), and cannot be recovered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("label"), max_length=100, blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name})" if self.name else f"{self.key_prefix}…"
