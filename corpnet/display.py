"""How money and people's names are written, the same on every page, report, CSV and mail.

- ``format_money(1937124.91)`` → ``1 937 124,91 ₽`` in Russian, ``₽1,937,124.91`` in English
  (the currency is the ``CURRENCY`` setting; its place comes from ``MONEY_FORMAT`` in
  corpnet/formats/<language>/formats.py). ``format_amount`` is the same number without the
  sign, for table cells under a "Sum, ₽" heading and for CSV.
- ``person_name(name, lastname)`` → ``Иванова Валерия``: last name first, as Russian
  lists, documents and the client list write it. Workers have one ``name`` field, written
  by HR in that order; it is shown as typed.

Templates use the ``money``, ``amount`` and ``person_name`` filters (corpnet/templatetags/
display.py, loaded everywhere as a builtin); Python that renders rows calls these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats, numberformat

#: Signs of the currencies the company might keep its books in; anything else is shown by code.
CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€"}


def currency_sign(currency: str | None = None) -> str:
    currency = (currency or settings.CURRENCY).upper()
    return CURRENCY_SIGNS.get(currency, currency)


def amount_formatter(places: int = 2) -> Callable[[Any], str]:
    """``format_amount`` with the active language's separators looked up once, for a table's
    column of sums (each lookup reads the language from a thread-local; a page has many)."""
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR")
    thousand_sep = formats.get_format("THOUSAND_SEPARATOR")
    grouping = formats.get_format("NUMBER_GROUPING")

    def amount(value) -> str:
        if value is None or value == "":
            return ""
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        return numberformat.format(number, decimal_sep, places, grouping, thousand_sep, force_grouping=True)

    return amount


def format_amount(value, *, places: int = 2) -> str:
    """``1 937 124,91`` (Russian) / ``1,937,124.91`` (English); "" for no value."""
    return amount_formatter(places)(value)


def money_formatter(currency: str | None = None) -> Callable[[Any], str]:
    """``format_money`` with the formats looked up once (see ``amount_formatter``)."""
    template = formats.get_format("MONEY_FORMAT")
    if "{amount}" not in template:  # a language without our format module
        template = "{amount}\xa0{symbol}"
    symbol, amount = currency_sign(currency), amount_formatter()

    def money(value) -> str:
        text = amount(value)
        return template.format(amount=text, symbol=symbol) if text else ""

    return money


def format_money(value, currency: str | None = None) -> str:
    """A sum with its currency in the active language; "" for no value."""
    return money_formatter(currency)(value)


def person_name(name: str | None, lastname: str | None = None) -> str:
    """A person's full name, last name first: ``person_name("Валерия", "Иванова")`` → ``Иванова Валерия``.

    Accepts a client-like object (``.name`` and ``.lastname``) or a worker-like one (``.name``) too.
    """
    if name is not None and not isinstance(name, str):
        obj = name
        return person_name(getattr(obj, "name", ""), getattr(obj, "lastname", ""))
    return " ".join(p.strip() for p in (lastname, name) if p and p.strip())
