"""What every list page shares: page size, capped pagination and counts, sortable headers, CSV.

Pagination is *capped* rather than unbounded: an OFFSET walks every skipped row, so page
40,000 of a million orders would cost a thousand times page 1. Nobody reads that far; the
page says "narrow the filter" instead. Counting is capped the same way ("10,000+"): an
exact COUNT(*) over a million rows would cost more than the page it labels.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict, StreamingHttpResponse

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
#: Rows reachable by paging (the OFFSET never exceeds this) and the cap on counts.
MAX_ROWS = 10_000
#: A list with at most this many matching rows is read matches-first (see ``page_rows``).
FILTER_FIRST_ROWS = 5_000
#: PostgreSQL's row estimate replaces the count when it is at least this many times MAX_ROWS.
ESTIMATE_TRUSTED = 10
#: How long "this filter matched more than MAX_ROWS" is taken as still true (no estimate, SQLite).
CAPPED_MEMO_SECONDS = 60
#: Rows fetched per database round trip when streaming a CSV.
CSV_CHUNK = 2_000
#: Characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def stable(queryset: QuerySet, tiebreak: str = "pk") -> QuerySet:
    """Add the primary key as the last sort key, so that pages never repeat or skip rows.

    Only when the list is sorted explicitly; a model's default ordering ends in its id already.
    """
    if queryset.query.order_by:
        return queryset.order_by(*queryset.query.order_by, tiebreak)
    return queryset


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
    approximate: bool = False  # count is the planner's estimate, rounded ("about 7,700")
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


def paginate(  # noqa: C901
    queryset: QuerySet,
    params: QueryDict,
    *,
    fetch: Callable[[int, int], list] | None = None,
    estimate: bool = False,
) -> ListPage:
    """One page of an ordered queryset, its rows and a capped count, in two or three queries.

    How the count is had depends on what the database can tell beforehand:

    - by default, a COUNT that stops at MAX_ROWS + 1 ("10,000+" is as useful as the exact
      figure), then the page's rows (``page_rows``);
    - with ``estimate=True`` (lists over big tables) on PostgreSQL, the planner's row estimate
      first (a planning pass, no rows read). Far above the cap, no counting at all: the list
      is "more than 10,000"; above FILTER_FIRST_ROWS it is "about N" (rounded); either is
      corrected when the page read comes back short. Below, one query reads the matching
      rows, counts them and picks the page's ids among them (``_matches_first``);
    - with ``estimate=True`` where there is no estimate (SQLite), a count that came out
      "more than 10,000" is remembered for CAPPED_MEMO_SECONDS and not repeated meanwhile.

    ``fetch(offset, size)``, when given, reads the rows instead: for lists that know a faster
    plan than the database finds by itself.
    """
    size = _positive_int(params.get("size"), DEFAULT_PAGE_SIZE)
    if size not in PAGE_SIZES:
        size = DEFAULT_PAGE_SIZE
    asked = _positive_int(params.get("page"), 1)
    ordering = _ordering(queryset)
    planned = planner_rows(queryset) if estimate else None

    def last_page(count: int) -> int:
        return max(1, -(-min(count, MAX_ROWS) // size))

    def read(number: int, count: int) -> list:
        offset = (number - 1) * size
        if fetch:
            return fetch(offset, size)
        # Matches first only when every match is counted: the inner read stops at the cap.
        return page_rows(queryset, offset, size, small=count <= min(FILTER_FIRST_ROWS, MAX_ROWS))

    approximate = False
    memo = capped_memo_key(queryset) if estimate and planned is None else None
    remembered = memo is not None and bool(cache.get(memo))  # "more than 10,000" under a minute ago
    if remembered or (planned is not None and (planned > FILTER_FIRST_ROWS or ordering is None or fetch is not None)):
        # Big or middling by the planner's estimate: no counting. Far above the cap the list is
        # "more than 10,000"; below that, "about N". Pages are read in order, up to the reach,
        # and a short page (or an empty one, past the end) settles the figure exactly.
        approximate = not remembered and planned < ESTIMATE_TRUSTED * MAX_ROWS
        count = max(planned, 1) if approximate else MAX_ROWS + 1
        number = min(asked, last_page(MAX_ROWS))
        rows = read(number, MAX_ROWS + 1)
        if len(rows) < size:
            approximate = False
            if memo is not None:
                cache.delete(memo)
            if rows or number == 1:
                count = (number - 1) * size + len(rows)
            else:
                count = capped_count(queryset)
                number = min(asked, last_page(count))
                rows = read(number, count)
        elif approximate:
            count = max(count, number * size + 1)  # a full page: at least one more row may follow
    elif planned is not None:
        # Few by the estimate: one query reads the matches, counts them and picks the page.
        reachable = min(asked, last_page(MAX_ROWS))
        ids, count, number = _matches_first(queryset, ordering, (reachable - 1) * size, size)
        if count > MAX_ROWS:  # more matches than the planner thought: the ordinary way
            number = min(asked, last_page(count))
            ids = queryset.order_by(*ordering).values("pk")[(number - 1) * size : number * size]
        rows = rows_by_id(queryset, ordering, ids)
    else:
        count = capped_count(queryset)
        if memo is not None and count > MAX_ROWS:
            cache.set(memo, True, CAPPED_MEMO_SECONDS)
        number = min(asked, last_page(count))
        rows = read(number, count)
    query = params.copy()
    query.pop("page", None)
    return ListPage(
        rows=rows,
        number=number,
        size=size,
        count=_rounded(count) if approximate else min(count, MAX_ROWS),
        capped=count > MAX_ROWS and not approximate,
        approximate=approximate,
        last=max(last_page(count), number),
        clamped=number != asked or str(asked) != (params.get("page") or "1"),
        query=query.urlencode(),
    )


def capped_memo_key(queryset: QuerySet) -> str:
    """The cache key under which "this filter matched more than MAX_ROWS" is remembered.

    Where the database gives no estimate (SQLite), counting even a capped 10,001 rows is a
    tenth of a fast page; for a big list the answer ("more than 10,000") stays true for far
    longer than the CAPPED_MEMO_SECONDS it is remembered, and a short page corrects it.
    """
    sql, params = queryset.order_by()[: MAX_ROWS + 1].values("pk").query.sql_with_params()
    digest = hashlib.sha256(f"{queryset.db}\n{sql}\n{params!r}".encode()).hexdigest()
    return f"corpnet:listing:capped:{digest}"


def _rounded(estimate: int) -> int:
    """An estimate to two significant figures: 7,719 → 7,700."""
    step = 10 ** max(0, len(str(estimate)) - 2)
    return max(step, round(estimate / step) * step)


def capped_count(queryset: QuerySet) -> int:
    """How many rows match, counting no further than MAX_ROWS + 1."""
    return queryset.order_by()[: MAX_ROWS + 1].count()


def planner_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows match, or None where there is no such estimate.

    Counting even a capped 10,001 rows costs a fifth of a list page on PostgreSQL; asking the
    planner costs a planning pass. SQLite keeps no statistics for this (on purpose: see
    demo/seed.py), so it always counts.
    """
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _ordering(queryset: QuerySet) -> list[str] | None:
    """The queryset's ORDER BY as field names ("-sum", "client__lastname"), or None if not that simple."""
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
    if not ordering or not all(isinstance(o, str) and o != "?" for o in ordering):
        return None
    return ordering


def page_rows(queryset: QuerySet, offset: int, size: int, *, small: bool = False) -> list:
    """The rows of one page: first their ids, from the filtered and sorted list, then the rows.

    Choosing the ids reads only the columns the filter and the sort need (often an index
    alone), so a deep page does not drag every skipped row through the joins (a "deferred
    join"). When the list is ``small`` (its capped count is at most FILTER_FIRST_ROWS), the
    ids are chosen among the matching rows read first and then sorted: a planner that walks
    the sort column's index hoping to meet matches soon (clients sorted by last name, searched
    for "иванов": every match sits in one stretch of the alphabet) cannot be misled into
    reading half the table. One query either way: the id choice is a subquery.
    """
    ordering = _ordering(queryset)
    if ordering is None:
        return list(queryset[offset : offset + size])
    if small:
        sql, params = _matches_first_sql(queryset, ordering, offset, size)
        ids = RawSQL(sql, params)
    else:
        ids = queryset.order_by(*ordering).values("pk")[offset : offset + size]
    return rows_by_id(queryset, ordering, ids)


def rows_by_id(queryset: QuerySet, ordering: list[str], ids) -> list:
    """The rows with these ids, loaded as ``queryset`` loads them, without re-running its filter."""
    if queryset.query.annotations:
        rows = queryset.order_by().filter(pk__in=ids)  # keep what the annotations compute
    else:
        rows = queryset.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = queryset.query.select_related
        rows.query.deferred_loading = queryset.query.deferred_loading
    return list(rows.order_by(*ordering))


def _matches_first(queryset: QuerySet, ordering: list[str], offset: int, size: int) -> tuple[list, int, int]:
    """The page's ids, the capped count of matches and the page number, from one reading.

    An offset past the end (a stale link) costs a second query that gives the last page.
    """
    for mode in ("counted", "clamped"):
        sql, params = _matches_first_sql(queryset, ordering, offset, size, mode=mode)
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if found:
            number = offset // size + 1 if mode == "counted" else (found[0][2] - 1) // size + 1
            return [row[0] for row in found], found[0][1], number
        if offset == 0:
            break
    return [], 0, 1


def _matches_first_sql(
    queryset: QuerySet, ordering: list[str], offset: int, size: int, *, mode: str = "ids"
) -> tuple[str, tuple]:
    """``SELECT id FROM (<matching rows, at most MAX_ROWS + 1>) ORDER BY ... LIMIT/OFFSET``.

    The inner LIMIT keeps either database from merging the two levels back into one, which is
    what makes it read the matches first. ``mode="counted"``: each row also carries how many
    matches there are (a window function, computed before the outer LIMIT; the sort stays a
    top-N one). ``mode="clamped"``: also each row's position, and an offset past the end is
    pulled back to the last page's (a full sort). Only the compiled ORM query and quoted
    aliases are put into the SQL; every value stays a parameter.
    """
    keys = {f"k{n}": F(name.lstrip("-")) for n, name in enumerate(ordering)}
    inner = queryset.order_by().values(row_id=F("pk"), **keys)[: MAX_ROWS + 1]
    sql, params = inner.query.get_compiler(queryset.db).as_sql()
    q = connections[queryset.db].ops.quote_name
    order = ", ".join(
        f"{q(key)} {'DESC' if name.startswith('-') else 'ASC'}" for key, name in zip(keys, ordering, strict=True)
    )
    if mode in ("ids", "counted"):
        total = ", COUNT(*) OVER ()" if mode == "counted" else ""
        outer = f"SELECT {q('row_id')}{total} FROM ({sql}) AS matches ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
        return outer, (*params, size, offset)
    numbered = (
        f"SELECT {q('row_id')}, COUNT(*) OVER () AS {q('total')}, ROW_NUMBER() OVER (ORDER BY {order}) AS {q('n')}"  # noqa: S608
        f" FROM ({sql}) AS matches"
    )
    outer = (
        f"SELECT {q('row_id')}, {q('total')}, {q('n')} FROM ({numbered}) AS numbered"  # noqa: S608
        f" WHERE {q('n')} > CASE WHEN %s < {q('total')} THEN %s ELSE ({q('total')} - 1) / %s * %s END"
        f" ORDER BY {q('n')} LIMIT %s"
    )
    return outer, (*params, offset, offset, size, size, size)


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
