"""Money columns.

Money is ``Decimal`` in Python and ``numeric`` on PostgreSQL. SQLite has no decimal type:
it stores a ``DecimalField`` as an 8-byte float, which round-trips exactly only up to 15
significant digits. So money columns have 15 digits with 2 places (up to
9,999,999,999,999.99, plenty for this company) and are exact on both databases. Sums over
many rows are exact in SQL only in whole cents; see ``SQL_CENTS`` for raw reports.
"""

from django.core.validators import MinValueValidator
from django.db import models

MAX_DIGITS = 15
DECIMAL_PLACES = 2


def MoneyField(verbose_name, **kwargs) -> models.DecimalField:  # noqa: N802 - reads like a field class
    validators = [MinValueValidator(0), *kwargs.pop("validators", [])]
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, validators=validators, **kwargs
    )


def sql_cents(column: str) -> str:
    """A portable SQL expression for a money column in whole cents (an exact integer).

    ``SUM(sql_cents("o.sum"))`` is exact on SQLite too, where summing the float column
    would accumulate rounding errors over a million rows. ``column`` is an identifier
    written by us, never user input.
    """
    return f"CAST(ROUND({column} * 100) AS BIGINT)"
