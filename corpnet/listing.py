"""What every list page shares: page size, capped pagination and counts, sortable headers, CSV.

Pagination is *capped* rather than unbounded: an OFFSET walks every skipped row, so page
40,000 of a million orders would cost a thousand times page 1. Nobody reads that far; the
page says "narrow the filter" instead. Counting is capped the same way ("10,000+"): an
exact COUNT(*) over a million rows would cost more than the page it labels.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict, StreamingHttpResponse

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
#: Rows reachable by paging (the OFFSET never exceeds this) and the cap on counts.
MAX_ROWS = 10_000
#: Rows fetched per database round trip when streaming a CSV.
CSV_CHUNK = 2_000
#: Characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if number > 0 else default


@dataclass
class Column:
    key: str  # the OrderingFilter parameter value, or "" when not sortable
    label: str
    numeric: bool = False
    url: str = ""
    direction: str = ""  # "asc" / "desc" when the list is sorted by this column


@dataclass
class ListPage:
    rows: list
    number: int
    size: int
    count: int
    capped: bool  # more rows than MAX_ROWS match; count is a lower bound
    last: int
    clamped: bool  # the asked-for page did not exist; showing the nearest one
    query: str  # the current query string without page, for links
    sizes: tuple[int, ...] = PAGE_SIZES
    columns: list[Column] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.last

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def paginate(queryset: QuerySet, params: QueryDict, *, fetch: Callable[[int, int], list] | None = None) -> ListPage:
    """One page of an ordered queryset: two queries (a capped count and the rows).

    ``fetch(offset, size)``, when given, reads the rows instead of slicing the queryset: for
    lists that know a faster plan than the database finds by itself.
    """
    size = _positive_int(params.get("size"), DEFAULT_PAGE_SIZE)
    if size not in PAGE_SIZES:
        size = DEFAULT_PAGE_SIZE
    asked = _positive_int(params.get("page"), 1)
    # COUNT over at most MAX_ROWS + 1 rows: "10,000+" is as useful as the exact figure.
    count = queryset.order_by()[: MAX_ROWS + 1].count()
    capped = count > MAX_ROWS
    count = min(count, MAX_ROWS)
    last = max(1, -(-count // size))
    number = min(asked, last)
    offset = (number - 1) * size
    rows = fetch(offset, size) if fetch else list(queryset[offset : offset + size])
    query = params.copy()
    query.pop("page", None)
    return ListPage(
        rows=rows,
        number=number,
        size=size,
        count=count,
        capped=capped,
        last=last,
        clamped=number != asked or str(asked) != (params.get("page") or "1"),
        query=query.urlencode(),
    )


def sort_columns(columns: Iterable[Column], params: QueryDict) -> list[Column]:
    """Header links: a click sorts by the column, a second click reverses it."""
    current = (params.get("order_by") or "").split(",")[0].strip()
    result = []
    for column in columns:
        if column.key:
            direction = "asc" if current == column.key else "desc" if current == f"-{column.key}" else ""
            query = params.copy()
            query.pop("page", None)
            query["order_by"] = f"-{column.key}" if direction == "asc" else column.key
            column.url = "?" + query.urlencode()
            column.direction = direction
        result.append(column)
    return result


def safe_cell(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: list[str], queryset: QuerySet, row: Callable[[object], list]
) -> StreamingHttpResponse:
    """Stream a queryset as CSV, CSV_CHUNK rows per query, so a million rows never sit in memory."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # a BOM, so that Excel reads the Cyrillic as UTF-8
        yield writer.writerow([safe_cell(h) for h in header])
        for obj in queryset.iterator(chunk_size=CSV_CHUNK):
            yield writer.writerow([safe_cell(v) for v in row(obj)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
