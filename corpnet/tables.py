"""Column specs: each list declares its columns once, for headers, sort links, cells and CSV.

A table is a class with a tuple of ``Column``; ``templates/corpnet/_table.html`` renders it
(autoescaped, like any template) and ``corpnet.csv_export`` writes it. To add a column, add a
``Column`` to the list's table (``orders/tables.py``, …): its value is an attribute path or a
function of the row; ``sort`` is the FilterSet's ``order_by`` value, when it sorts; ``kind``
chooses how the cell is shown; ``template`` names a cell template for anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from django.http import QueryDict

from corpnet.listing import POSITION_PARAMS

#: How a cell is shown: "text" as is, "number" right-aligned, "money" right-aligned with its
#: currency (``|money``; a bare number in CSV), "datetime" in the short local format, "status" a coloured badge whose CSS
#: class is the raw value (the ``raw`` function of the column).
KINDS = ("text", "number", "money", "datetime", "status")


def attribute(path: str) -> Callable[[Any], Any]:
    """A function reading ``"client.lastname"`` from a row."""
    parts = path.split(".")

    def read(row):
        for part in parts:
            row = getattr(row, part)
            if row is None:
                return None
        return row

    return read


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    value: str | Callable[[Any], Any] = ""  # an attribute path, or a function of the row; default: name
    sort: str = ""  # the FilterSet's order_by value; "" when the column does not sort
    kind: str = "text"
    link: Callable[[Any], str] | None = None  # the cell's URL, or a function returning "" for none
    template: str = ""  # a cell template, given ``row`` and ``value``, instead of the kind
    raw: Callable[[Any], Any] | None = None  # for "status": the CSS class of the badge
    csv: Callable[[Any], Any] | None = None  # the CSV value, when it is not the shown one
    on_page: bool = True  # False: a CSV-only column
    in_csv: bool = True  # False: a page-only column

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        read = self.value if callable(self.value) else attribute(self.value or self.name)
        object.__setattr__(self, "read", read)

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "money")

    def export(self, row) -> Any:
        return self.csv(row) if self.csv else self.read(row)


@dataclass(frozen=True)
class Header:
    column: Column
    url: str = ""
    direction: str = ""  # "asc" / "desc" when the list is sorted by this column


@dataclass(frozen=True)
class Cell:
    column: Column
    value: Any
    url: str = ""
    raw: Any = None


@dataclass(frozen=True)
class Row:
    obj: Any
    cells: list[Cell]
    css: str = ""


class Table:
    """Rows shown in columns. Subclasses set ``columns`` and may override ``row_css``."""

    columns: ClassVar[tuple[Column, ...]] = ()
    #: Shown in the one row of an empty table.
    empty: ClassVar[str] = ""

    def __init__(self, rows: Iterable, *, params: QueryDict | None = None, exclude: Iterable[str] = ()):
        excluded = set(exclude)
        self.shown = [c for c in self.columns if c.on_page and c.name not in excluded]
        self.objects = rows
        self.params = params

    @classmethod
    def exported(cls) -> list[Column]:
        return [c for c in cls.columns if c.in_csv]

    def row_css(self, obj) -> str:
        return ""

    @cached_property
    def headers(self) -> list[Header]:
        """Header links when the table has query parameters: a click sorts, a second reverses."""
        if self.params is None:
            return [Header(c) for c in self.shown]
        current = (self.params.get("order_by") or "").split(",")[0].strip()
        headers = []
        for column in self.shown:
            if not column.sort:
                headers.append(Header(column))
                continue
            direction = {column.sort: "asc", f"-{column.sort}": "desc"}.get(current, "")
            query = self.params.copy()
            for name in POSITION_PARAMS:
                query.pop(name, None)
            query["order_by"] = f"-{column.sort}" if direction == "asc" else column.sort
            headers.append(Header(column, "?" + query.urlencode(), direction))
        return headers

    @cached_property
    def rows(self) -> list[Row]:
        columns = self.shown
        return [
            Row(
                obj,
                [
                    Cell(
                        c,
                        c.read(obj),
                        c.link(obj) if c.link else "",
                        c.raw(obj) if c.raw else None,
                    )
                    for c in columns
                ],
                self.row_css(obj),
            )
            for obj in self.objects
        ]
