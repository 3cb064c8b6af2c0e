"""API pagination: the list pages' keyset pages, with an opaque cursor; numbered pages for small lists.

``FilterSetCursorPagination`` reads pages as the HTML lists do (``corpnet.listing.Keyset``):
the rows after the last one seen, in the FilterSet's order (``?order_by=-sum``) with the
primary key last, so page 20,000 costs what page 1 does and rows tied on the sort key are
neither repeated nor skipped. A view without an explicit order may name one as
``cursor_ordering``; otherwise the model's default ordering applies.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from corpnet.listing import Keyset

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PagePagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class FilterSetCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    invalid_cursor_message = "Invalid cursor"

    def get_page_size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, ""))
        except ValueError:
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request, size = request, self.get_page_size(request)
        if not queryset.query.order_by and getattr(view, "cursor_ordering", None):
            queryset = queryset.order_by(*view.cursor_ordering)
        keyset = Keyset(queryset)
        direction, values = self._decode(keyset, request.query_params.get(self.cursor_query_param))
        if values is None:
            rows = list(keyset.queryset[: size + 1])
            has_before, has_after = False, len(rows) > size
        elif direction == "n":
            rows = list(keyset.beyond(values)[: size + 1])
            has_before, has_after = True, len(rows) > size
        else:
            rows = list(keyset.beyond(values, backwards=True)[: size + 1])
            has_before, has_after = len(rows) > size, True
        rows = rows[:size] if direction != "p" else rows[:size][::-1]
        self.next = f"n.{keyset.cursor(rows[-1])}" if rows and has_after else None
        self.previous = f"p.{keyset.cursor(rows[0])}" if rows and has_before else None
        return rows

    def _decode(self, keyset: Keyset, token: str | None) -> tuple[str, list | None]:
        if not token:
            return "", None
        direction, _dot, cursor = token.partition(".")
        try:
            if direction not in ("n", "p"):
                raise ValueError(direction)
            return direction, keyset.decode(cursor)
        except ValueError:
            raise NotFound(self.invalid_cursor_message) from None

    def _url(self, token: str | None) -> str | None:
        if token is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, self.cursor_query_param), self.cursor_query_param, token)

    def get_paginated_response(self, data):
        return Response({"next": self._url(self.next), "previous": self._url(self.previous), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The pagination cursor value.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results to return per page (at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]
