"""Who took client data out of the intranet: one row per bulk export."""

from __future__ import annotations

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
