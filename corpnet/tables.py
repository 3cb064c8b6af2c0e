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
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from django.http import QueryDict
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.timezone import template_localtime

from corpnet.display import money_formatter
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
    link_to: tuple[str, str] = ()  # or: a view taking one id, and the row's attribute holding it
    template: str = ""  # a cell template, given ``row``, ``value`` and ``url``, instead of the kind
    raw: Callable[[Any], Any] | None = None  # for "status": the CSS class of the badge (no link)
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


class ShownText:
    """A cell's value as the page shows it: what ``|date``, ``|money`` and
    ``|default_if_none`` would give in the template, done in Python because a list page has
    hundreds of cells, with the active language's formats looked up once per table (plain
    text: the template still escapes it)."""

    def __init__(self) -> None:
        self.datetime_format = formats.get_format("SHORT_DATETIME_FORMAT")
        self.money = money_formatter()

    def __call__(self, kind: str, value: Any) -> str:
        if value is None:
            return ""
        if kind == "datetime":
            return dateformat.format(template_localtime(value), self.datetime_format)
        if kind == "money":
            return self.money(value)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return formats.localize(value)  # as ``{{ value }}`` would: "1,5" in Russian
        return str(value)


def url_with_id(view_name: str) -> Callable[[Any], str]:
    """``reverse(view_name, args=[id])`` for every row of a page: the URL is reversed once with a
    marker id and each row's id put in its place (``reverse`` costs ~30 µs, and a page has
    ~75 links). For views whose one argument is an ``<int:…>``; no id, no link."""
    marker = 918273645546372819
    head, found, tail = reverse(view_name, args=[marker]).partition(str(marker))
    if not found:
        raise ValueError(f"{view_name} does not take the id as it is")
    return lambda pk: "" if pk is None else f"{head}{int(pk)}{tail}"


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

    @staticmethod
    def _link(column: Column) -> Callable[[Any], str] | None:
        if not column.link_to:
            return column.link
        view_name, attr = column.link_to
        url, read_id = url_with_id(view_name), attribute(attr)

        def link(obj) -> str:
            return url(read_id(obj))

        return link

    @cached_property
    def rows(self) -> list[dict]:
        """The page's rows for ``_table.html``: ``{"obj", "css", "cells"}``, each cell
        ``{"label", "numeric", "template", "value", "text", "url", "raw"}``.

        Plain dicts, not objects: the template engine looks a name up in a dict directly and in
        an object only after a failed dict lookup (an exception per lookup), and a page looks up
        a few thousand; this halves the table's rendering time.
        """
        plan = [
            (c, self._link(c), {"label": str(c.header), "numeric": c.numeric, "template": c.template})
            for c in self.shown
        ]
        shown_text, rows = ShownText(), []
        for obj in self.objects:
            cells = []
            for c, link, fixed in plan:
                value = c.read(obj)
                cells.append(
                    {
                        **fixed,
                        "value": value,
                        "text": "" if c.template else shown_text(c.kind, value),
                        "url": link(obj) if link else "",
                        "raw": c.raw(obj) if c.raw else None,
                    }
                )
            rows.append({"obj": obj, "css": self.row_css(obj), "cells": cells})
        return rows
