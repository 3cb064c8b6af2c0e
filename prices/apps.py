from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PricesConfig(AppConfig):
    name = "prices"
    verbose_name = _("Prices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(check_price_settings)


def check_price_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A typo in PRICES_SOURCES / PRICES_SOURCE_URLS surfaces at start-up, not in cron mail at 3 a.m."""
    from django.conf import settings

    from prices.sources import SOURCES

    errors = []
    for setting in ("PRICES_SOURCES", "PRICES_SOURCE_URLS"):
        unknown = sorted(set(getattr(settings, setting)) - set(SOURCES))
        if unknown:
            errors.append(
                checks.Error(
                    f"{setting} names unknown sources: {', '.join(unknown)}.",
                    hint=f"Known sources: {', '.join(SOURCES)} (prices/sources.py).",
                    id="prices.E001",
                )
            )
    bad_coins = [c for c in settings.PRICES_COINS if not c.isalnum() or len(c) > 20]
    if bad_coins:
        errors.append(checks.Error(f"PRICES_COINS has invalid symbols: {', '.join(bad_coins)}.", id="prices.E002"))
    return errors
