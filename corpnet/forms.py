"""Form fields that accept numbers and dates the way the page shows them in the active language.

The Russian pages show ``1 937 124,91`` (a non-breaking space between thousands, a decimal
comma) and ``01.12.2026``; people copy those back into a filter or type them the same way.
Django's own fields refuse ``1 000,50`` (grouping is only accepted with
``USE_THOUSAND_SEPARATOR``, and then only the exact separator character). These fields
accept, in every language:

- spaces of any kind (normal, non-breaking, narrow, thin), apostrophes and underscores as
  thousands separators: ``1 000 000``, ``1 000,50``, ``1'000.50``;
- the language's decimal separator, and a dot as well (``1000000.50`` — the API and old
  links use it); with both a dot and a comma, the last one is the decimal separator;
- in English a comma that groups thousands (``1,000,000``); any other lone comma is a
  decimal comma (``1000,50``);
- dates in the language's input formats (``DATE_INPUT_FORMATS`` in corpnet/formats/) and
  ISO ``2026-12-01`` always.

They redisplay values in the language's own format (``localize=True``). Used by every
FilterSet (corpnet/filters.py) and by the forms that enter money and dates.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from corpnet.money import DECIMAL_PLACES, MAX_DIGITS

#: Thousands separators people type or paste: spaces of every width, apostrophes, underscores.
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009\u2007'’_]")
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_DOT_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")


def parse_localized_number(text: str, *, decimal_separator: str | None = None) -> Decimal:
    """``Decimal`` from a number typed the way a page in the active language shows it.

    Raises ``ValueError`` for anything that is not a number.
    """
    decimal_separator = decimal_separator or formats.get_format("DECIMAL_SEPARATOR")
    value = _GROUPING.sub("", str(text).strip()).replace("−", "-")
    if "," in value and "." in value:
        # "1.000.000,50" or "1,000,000.50": the last separator is the decimal one.
        grouping = "." if value.rfind(",") > value.rfind(".") else ","
        value = value.replace(grouping, "")
    elif "," in value:
        if (decimal_separator != "," or value.count(",") > 1) and _EN_GROUPED.match(value):
            value = value.replace(",", "")
    elif value.count(".") > 1 and _DOT_GROUPED.match(value):
        value = value.replace(".", "")  # "1.000.000": dots grouping thousands
    value = value.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above only lets digits through
        raise ValueError(text) from exc


class LocalizedDecimalField(forms.DecimalField):
    """A ``DecimalField`` that reads ``1 000,50`` in Russian and ``1,000.50`` in English."""

    # A text box, not type="number": browsers refuse "1 000,50" in a number input.
    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if len(str(value)) > 60:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_localized_number(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MoneyFormField(LocalizedDecimalField):
    """An amount of money: up to what a money column holds, two decimal places, not negative."""

    default_error_messages = {
        "invalid": _("Enter an amount, e.g. %(example)s."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            example = formats.number_format(Decimal("1000.50"), 2, force_grouping=True)
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"example": example}) from None


class LocalizedDateField(forms.DateField):
    """A date typed the way the page shows it (``31.12.2026`` in Russian), or ISO ``2026-12-31``."""

    default_error_messages = {
        "invalid": _("Enter a date like %(example)s."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        # The placeholder is translated per language to match DATE_INPUT_FORMATS[0].
        return {**super().widget_attrs(widget), "placeholder": _("yyyy-mm-dd"), "inputmode": "numeric"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        try:
            if isinstance(value, str) and len(value) > 40:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            example = formats.date_format(datetime.date(2026, 12, 31), "SHORT_DATE_FORMAT")
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"example": example}) from None
