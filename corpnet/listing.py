"""What every list page shares: keyset pages over the FilterSet's ordering, and a capped count.

A page is the ``size`` rows that follow (or precede) a *cursor*: the sort values of the row
at the edge of the page before, with the primary key as the last sort key so that every row
has one place. ``WHERE (sort keys) > (cursor) ORDER BY … LIMIT size`` reads one page from an
index whatever its depth, where ``OFFSET`` would walk every row skipped. Links go to the
first page, the previous and the next (``?before=`` / ``?after=``) and the last (``?last=1``,
the order reversed). An old ``?page=N`` link is still served, by OFFSET, as far as MAX_ROWS.

The count is a COUNT that stops at MAX_ROWS + 1: "10,000+" says as much as the exact figure.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
#: The cap on counts, and how far an old ``?page=N`` link may reach by OFFSET.
MAX_ROWS = 10_000
#: The query parameters that say where a page is; links to other pages replace them.
POSITION_PARAMS = ("after", "before", "last", "page")


def stable(queryset: QuerySet) -> QuerySet:
    """The queryset ordered by its sort keys and then by the primary key, in the last key's direction.

    With the primary key last, pages never repeat or skip rows, and the cursor is unique.
    The key follows the direction of the one before it, so that one index ``(key, id)`` is
    read forwards or backwards for both directions of a sort.
    """
    ordering = ordering_of(queryset)
    if ordering[-1].lstrip("-") in ("pk", "id"):
        return queryset.order_by(*ordering)
    return queryset.order_by(*ordering, "-pk" if ordering[-1].startswith("-") else "pk")


def ordering_of(queryset: QuerySet) -> list[str]:
    """The queryset's ORDER BY as field names: the asked-for one, else the model's default."""
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
    if not all(isinstance(key, str) and key and key != "?" for key in ordering):
        raise ValueError(f"a list is sorted by field names, not {ordering!r}")
    return ordering or ["pk"]


def _positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if number > 0 else default


@dataclass
class Page:
    rows: list
    size: int
    count: int  # matching rows, at most MAX_ROWS
    capped: bool  # more than MAX_ROWS match: count is a lower bound ("10,000+")
    query: str  # the query string without the position, for links to other pages
    previous: str = ""  # cursor of the first row, for ``?before=``; "" on the first page
    next: str = ""  # cursor of the last row, for ``?after=``; "" on the last page
    is_first: bool = True
    is_last: bool = True
    #: The asked-for position did not exist (a stale page number, a garbled cursor).
    moved: bool = False
    sizes: tuple[int, ...] = field(default=PAGE_SIZES)

    def link(self, **position: str) -> str:
        query = QueryDict(self.query, mutable=True)
        query.update(position)
        return "?" + query.urlencode()

    @property
    def first_url(self) -> str:
        return self.link()

    @property
    def previous_url(self) -> str:
        return self.link(before=self.previous) if self.previous else ""

    @property
    def next_url(self) -> str:
        return self.link(after=self.next) if self.next else ""

    @property
    def last_url(self) -> str:
        return self.link(last="1")


def _storable(value) -> bool:
    """Whether a database can compare a column with this value (no 2**70, no NaN)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**63
    if isinstance(value, Decimal):
        return value.is_finite()
    return value is not None


def sort_keys(model, ordering: list[str], annotations=()) -> list[str]:
    """The ordering as column paths: a sort by a relation (``"client"``) is, as Django reads
    it, a sort by the related model's ``Meta.ordering`` (``client__lastname, client__name,
    client__id``), each key reversed when the relation's is descending; by its id column
    (``created_by_id``) when that model has no ordering."""
    if not all(isinstance(key, str) for key in ordering):
        raise ValueError(f"a list is sorted by field names, not {ordering!r}")
    keys = []
    for key in ordering:
        descending, path = key.startswith("-"), key.lstrip("-")
        if path in annotations:
            keys.append(key)
            continue
        target, parts = model, path.split("__")
        for part in parts:
            field = target._meta.pk if part == "pk" else target._meta.get_field(part)
            target = field.related_model if field.is_relation else None
        if not field.is_relation or parts[-1] == field.attname:
            keys.append(key)
            continue
        if not target._meta.ordering:
            keys.append(key[: len(key) - len(parts[-1])] + field.attname)
            continue
        for sub in sort_keys(target, list(target._meta.ordering)):
            sub_descending = sub.startswith("-") != descending
            keys.append(("-" if sub_descending else "") + f"{path}__{sub.lstrip('-')}")
    return keys


class Keyset:
    """The sort keys of an ordered queryset, and how to read the rows beyond a cursor."""

    def __init__(self, queryset: QuerySet):
        self.queryset = stable(queryset)
        self.ordering = sort_keys(self.queryset.model, ordering_of(self.queryset), self.queryset.query.annotations)
        self.fields = [self._field(key.lstrip("-")) for key in self.ordering]

    def _field(self, path: str):
        query = self.queryset.query
        if path in query.annotations:
            return query.annotations[path].output_field
        model, parts = self.queryset.model, path.split("__")
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.pk if parts[-1] == "pk" else model._meta.get_field(parts[-1])

    def cursor(self, row) -> str:
        values = []
        for key in self.ordering:
            value = row
            for part in key.lstrip("-").split("__"):
                value = getattr(value, part)
            values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list:
        """The sort values in a cursor; ValueError if it is not one of this list's cursors."""
        try:
            values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("not a cursor") from exc
        if not isinstance(values, list) or len(values) != len(self.fields):
            raise ValueError("not a cursor for this sort")
        if not all(isinstance(value, str) for value in values):
            raise ValueError("not a cursor for this sort")
        try:
            decoded = [f.to_python(value) for f, value in zip(self.fields, values, strict=True)]
        except ValidationError as exc:
            raise ValueError("not a cursor for this sort") from exc
        if not all(_storable(value) for value in decoded):
            raise ValueError("not a cursor for this sort")
        return decoded

    def beyond(self, values: list, *, backwards: bool = False) -> QuerySet:
        """The rows after the cursor in the list's order (before it, nearest first, if ``backwards``).

        ``(a, b, id) > (x, y, z)`` spelled as ``a ≥ x AND (a > x OR a = x AND b > y OR …)``,
        per key in its own direction; the leading ``a ≥ x`` bounds the index range read.
        """
        conditions, equal = [], Q()
        for key, value in zip(self.ordering, values, strict=True):
            name, descending = key.lstrip("-"), key.startswith("-")
            op = "lt" if descending != backwards else "gt"
            conditions.append(equal & Q(**{f"{name}__{op}": value}))
            equal &= Q(**{name: value})
        first = self.ordering[0]
        bound = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') != backwards else 'gte'}": values[0]})
        queryset = self.queryset.filter(bound & reduce(or_, conditions))
        return queryset.reverse() if backwards else queryset


def paginate(queryset: QuerySet, params: QueryDict) -> Page:
    """One page of an ordered queryset and its capped count: two queries at any depth, one
    when the first page holds every match."""
    size = _positive_int(params.get("size"), DEFAULT_PAGE_SIZE)
    if size not in PAGE_SIZES:
        size = DEFAULT_PAGE_SIZE
    keyset = Keyset(queryset)
    query = params.copy()
    for name in POSITION_PARAMS:
        query.pop(name, None)
    page = Page(rows=[], size=size, count=0, capped=False, query=query.urlencode())
    if any(name in params for name in POSITION_PARAMS):
        page.count, page.capped = _count(queryset)
        page.rows, has_before, has_after = _read(keyset, params, page)
    else:
        page.rows, has_before, has_after = _offset(keyset, 0, size)
        # A first page with room to spare holds every match: its rows are the count.
        page.count, page.capped = _count(queryset) if has_after else (len(page.rows), False)
    page.is_first, page.is_last = not has_before, not has_after
    if page.rows:
        page.previous = keyset.cursor(page.rows[0]) if has_before else ""
        page.next = keyset.cursor(page.rows[-1]) if has_after else ""
    return page


def _count(queryset: QuerySet) -> tuple[int, bool]:
    """How many rows match, up to MAX_ROWS, and whether more do."""
    # Counting ids only leaves out the page's annotations (a per-row subquery such as the
    # staff list's active orders would otherwise run for every one of 10,001 rows).
    count = queryset.order_by().values("pk")[: MAX_ROWS + 1].count()
    return min(count, MAX_ROWS), count > MAX_ROWS


def _read(keyset: Keyset, params: QueryDict, page: Page) -> tuple[list, bool, bool]:
    """The page's rows in the list's order, whether rows come before them, and whether after."""
    size = page.size
    for name in ("after", "before"):
        if not params.get(name):
            continue
        try:
            values = keyset.decode(params[name])
        except ValueError:
            page.moved = True
            break
        rows = list(keyset.beyond(values, backwards=name == "before")[: size + 1])
        if not rows:  # nothing beyond the cursor any more: the nearest end of the list
            page.moved = True
            return _last(keyset, size) if name == "after" else _offset(keyset, 0, size)
        if name == "after":
            return rows[:size], True, len(rows) > size
        return rows[:size][::-1], len(rows) > size, True
    if params.get("last"):
        return _last(keyset, size)
    number = _positive_int(params.get("page"), 1)
    if params.get("page") is not None and str(number) != params["page"]:
        page.moved = True
    offset = (number - 1) * size
    if offset >= MAX_ROWS or (offset and offset >= page.count and not page.capped):
        page.moved = True
        return _last(keyset, size)
    return _offset(keyset, offset, size)


def _offset(keyset: Keyset, offset: int, size: int) -> tuple[list, bool, bool]:
    rows = list(keyset.queryset[offset : offset + size + 1])
    return rows[:size], offset > 0, len(rows) > size


def _last(keyset: Keyset, size: int) -> tuple[list, bool, bool]:
    rows = list(keyset.queryset.reverse()[: size + 1])
    return rows[:size][::-1], len(rows) > size, False
