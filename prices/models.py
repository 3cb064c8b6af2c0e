"""Coins, their quotes per source, and how each source fared on its last run.

Prices are Decimal with 12 places: a coin can trade at 0.00000800 USD while another trades at
100,000 USD. SQLite stores decimals as 8-byte floats (exact to ~15 significant digits), which
is more than any source gives us; PostgreSQL stores them exactly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PRICE_MAX_DIGITS = 30
PRICE_DECIMAL_PLACES = 12

#: Quotes are stored once per coin, source and bucket: a second run inside the same bucket
#: (cron retried, someone ran the command by hand) updates the row instead of adding one.
BUCKET = timedelta(minutes=5)


def bucket_of(moment: datetime) -> datetime:
    """The start of the BUCKET-long slot ``moment`` falls in (aware in, aware out)."""
    seconds = int(BUCKET.total_seconds())
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=moment.tzinfo)


class Coin(models.Model):
    symbol = models.CharField(
        _("symbol"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{1,20}$", _("Upper-case letters and digits only."))],
        help_text=_("Ticker symbol, upper case, e.g. BTC."),
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("coin")
        verbose_name_plural = _("coins")

    def __str__(self) -> str:
        return f"{self.name} ({self.symbol})"


class QuoteStatus(models.TextChoices):
    """Whether a price is trusted; see docs/decisions/prices-agreement.md.

    Only confirmed prices are current, charted or on the home page. An unconfirmed price is
    kept with its source and shown as such until another source (or the confirmed history)
    agrees with it. A stored price found far from a later confirmed one becomes refused.
    """

    CONFIRMED = "confirmed", _("confirmed")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    REFUSED = "refused", _("refused")


class Quote(models.Model):
    coin = models.ForeignKey(Coin, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("coin"))
    source = models.CharField(_("source"), max_length=40, db_index=True)
    price_usd = models.DecimalField(
        _("price, USD"),
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        validators=[MinValueValidator(0)],
    )
    market_cap_usd = models.DecimalField(_("market cap, USD"), max_digits=24, decimal_places=2, null=True, blank=True)
    change_24h_pct = models.DecimalField(_("24 h change, %"), max_digits=14, decimal_places=4, null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"))
    bucket = models.DateTimeField(_("time bucket"), editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.UNCONFIRMED, db_index=True
    )
    #: Why the quote has its status, in a sentence ("agrees with binance-api (13012.5)").
    status_note = models.CharField(_("status note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-fetched_at"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(
                fields=["coin", "source", "bucket"],
                name="prices_quote_one_per_coin_source_bucket",
                violation_error_message=_("This source already has a quote for this coin in this time slot."),
            ),
            models.CheckConstraint(
                condition=models.Q(price_usd__gt=0),
                name="prices_quote_price_positive",
                violation_error_message=_("A price must be above zero."),
            ),
        ]
        indexes = [models.Index(fields=["coin", "-fetched_at"], name="prices_quote_coin_recent")]

    def __str__(self) -> str:
        return f"{self.coin.symbol} {self.price_usd} USD ({self.source}, {self.fetched_at:%Y-%m-%d %H:%M})"


class SourceStatus(models.Model):
    """One row per source: when it last ran, last succeeded, and the last error (if failing)."""

    source = models.CharField(_("source"), max_length=40, unique=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_stored = models.PositiveIntegerField(_("quotes stored on last success"), default=0)
    failing = models.BooleanField(_("failing"), default=False)

    class Meta:
        ordering = ["source"]
        verbose_name = _("source status")
        verbose_name_plural = _("source statuses")

    def __str__(self) -> str:
        return self.source
