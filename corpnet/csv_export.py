"""CSV export of a list, written from its column spec, in the user's language.

Russian spreadsheets split on ``;`` and read ``1234,50`` as a number; English ones split on
``,`` and read ``1234.50``. Either way the file is UTF-8 with a BOM (so that Excel reads the
Cyrillic), times are local with their offset, and a text cell a spreadsheet would run as a
formula is made text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.timezone import localtime
from django.utils.translation import get_language

from corpnet.tables import Table

#: Rows fetched per database round trip, so that a million rows never sit in memory.
CHUNK = 2_000
#: Characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: A formula that a spreadsheet splitting the cell on a separator would find: "x;=cmd|…".
_SPLIT_FORMULA = re.compile(r"([;,\t\r\n]\s*)([=+\-@])")


def dialect() -> tuple[str, str]:
    """(field separator, decimal separator) for the active language."""
    return (";", ",") if (get_language() or "").startswith("ru") else (",", ".")


def safe_cell(value) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula, even split."""
    text = "" if value is None else str(value)
    text = _SPLIT_FORMULA.sub(r"\1'\2", text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell(value, decimal_separator: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return localtime(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value).replace(".", decimal_separator)
    return safe_cell(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(table: type[Table], queryset: QuerySet, filename: str) -> StreamingHttpResponse:
    """Stream the queryset as CSV in the table's exported columns."""
    separator, decimal_separator = dialect()
    writer = csv.writer(_Echo(), delimiter=separator)
    columns = table.exported()

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow([safe_cell(c.header) for c in columns])
        for obj in queryset.iterator(chunk_size=CHUNK):
            yield writer.writerow([cell(c.export(obj), decimal_separator) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
