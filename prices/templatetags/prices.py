"""Display of prices: enough digits for a coin at 0.00000800 USD, no noise for one at 67,000."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def usd(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if abs(value) >= 1:
        return number_format(value.quantize(Decimal("0.01")), decimal_pos=2, use_l10n=True, force_grouping=True)
    # Below a dollar: four significant digits, however many zeros come first.
    shown = value.normalize()
    exponent = shown.adjusted()
    places = max(2, -exponent + 3)
    return number_format(value.quantize(Decimal(1).scaleb(-places)), decimal_pos=places, use_l10n=True)
