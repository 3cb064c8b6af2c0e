"""Pagination: numbered pages for the small tables, a cursor for orders.

A numbered page N costs an OFFSET of N × size rows, fine for posts, workers and clients
(thousands of rows) but slow on page 20,000 of a million orders; a cursor ("after this
creation date and id") costs the same on every page, using the ``order_created_idx`` index.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PagePagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class FilterSetCursorPagination(CursorPagination):
    """Cursor pagination that honours the FilterSet's ``order_by`` parameter.

    DRF's cursor pagination imposes its own ordering; here ``?order_by=-sum`` (validated by
    the view's FilterSet before we get here) becomes the cursor's ordering, with the
    primary key as tie-breaker so that every row appears exactly once.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    #: The default order; a view may name its own as ``cursor_ordering``.
    ordering = ("-creation_date", "-id")
    ordering_param = "order_by"

    def get_ordering(self, request, queryset, view):
        default = getattr(view, "cursor_ordering", self.ordering)
        ordering_filter = view.filterset_class.base_filters.get(self.ordering_param)
        wanted = request.query_params.get(self.ordering_param, "").split(",")[0].strip()
        if ordering_filter is None or not wanted:
            return default
        descending = wanted.startswith("-")
        field = ordering_filter.param_map.get(wanted.lstrip("-"))
        if field is None:
            return default
        sign = "-" if descending else ""
        if field == "id":
            return (f"{sign}id",)
        return (f"{sign}{field}", f"{sign}id")

    def _get_position_from_instance(self, instance, ordering):
        # Follows relations ("executor__name") that DRF's version cannot.
        value = instance
        for part in ordering[0].lstrip("-").split("__"):
            value = getattr(value, part)
        return str(value)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        # The position comes from the client: check it fits the ordering column, so that a
        # forged cursor is "invalid cursor" (404) rather than a database error.
        model = self._queryset_model
        parts = self.ordering[0].lstrip("-").split("__")
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        try:
            model._meta.get_field(parts[-1]).to_python(cursor.position)
        except (DjangoValidationError, TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset_model = queryset.model
        return super().paginate_queryset(queryset, request, view)
