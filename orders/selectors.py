"""Reads for the order pages."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from corpnet.listing import rows_by_id, stable
from orders.filters import ACTIVE, ALL, SQLITE_SELECTIVE_FILTERS, OrderFilter
from orders.models import ACTIVE_STATUSES, Order

#: The columns the order list and its CSV show. Loading only these skips the description and,
#: above all, the executor's and client's phone numbers, which phonenumber-field would parse
#: for every row (a tenth of the page's CPU) only for the list not to show them.
LIST_FIELDS = (
    "id",
    "title",
    "status",
    "creation_date",
    "sum",
    "executor",
    "executor__name",
    "client",
    "client__name",
    "client__lastname",
)


def order_list(*, data) -> tuple[OrderFilter, QuerySet]:
    """The filtered orders (active ones unless a status is asked for), with executor and client."""
    filterset = OrderFilter(data, queryset=Order.objects.select_related("executor", "client").only(*LIST_FIELDS))
    return filterset, stable(filterset.qs, "-pk")


def _statuses(filterset: OrderFilter) -> list[str]:
    """The statuses the filter keeps; [] when it keeps them all."""
    asked = set(filterset.form.cleaned_data.get("status") or [ACTIVE])
    if ALL in asked:
        return []
    if ACTIVE in asked:
        asked = (asked - {ACTIVE}) | set(ACTIVE_STATUSES)
    return sorted(str(s) for s in asked)


def order_page_fetcher(filterset: OrderFilter, queryset: QuerySet) -> Callable[[int, int], list] | None:
    """A faster way to read one page of several statuses, newest first ("new or done").

    ``status IN ('new', 'done') ORDER BY creation_date DESC`` makes both databases read every
    matching order (a third of a million) and sort them: neither index serves both the IN and
    the order. (The active ones, the default view, have their own column and index.) Each status alone *is* served, in order, by the (status, creation_date, id)
    index, so the page is taken from a UNION ALL of one short, index-ordered scan per status
    (at most offset + size rows each), and only then are the page's rows fetched. Raw SQL
    because Django cannot put LIMIT inside UNION members on SQLite; every part is compiled
    from the ORM queryset, parameters stay separate.
    """
    statuses = _statuses(filterset)
    narrowed = any(filterset.form.cleaned_data.get(name) for name in SQLITE_SELECTIVE_FILTERS)
    if len(statuses) < 2 or set(statuses) == set(ACTIVE_STATUSES) or queryset.query.order_by or narrowed:
        # One status, all of them, the active ones (the ``active`` column's index), another
        # sort, or a client/executor/name/id/title filter whose own index (or scan) does
        # better than walking each status's index in date order: not for this fetcher.
        return None

    def fetch(offset: int, size: int) -> list:
        connection = connections[queryset.db]
        quote = connection.ops.quote_name
        parts, params = [], []
        for n, status in enumerate(statuses):
            sub = queryset.filter(status=status).order_by("-creation_date", "-pk").values("creation_date", "id")
            sql, sub_params = sub[: offset + size].query.get_compiler(queryset.db).as_sql()
            # Only compiled ORM SQL and quoted constant names are interpolated; values are params.
            parts.append(f"SELECT * FROM ({sql}) AS s{n}")  # noqa: S608
            params.extend(sub_params)
        page = (
            f"SELECT {quote('id')} FROM ({' UNION ALL '.join(parts)}) AS u "  # noqa: S608 -- as above
            f"ORDER BY {quote('creation_date')} DESC, {quote('id')} DESC LIMIT %s OFFSET %s"
        )
        ids = RawSQL(page, (*params, size, offset))
        return rows_by_id(queryset, ["-creation_date", "-pk"], ids)

    return fetch


def order_get(*, pk: int) -> Order:
    return get_object_or_404(Order.objects.select_related("executor__post", "client"), pk=pk)


#: How many of someone's active orders their page names; the rest are one link away.
ACTIVE_SHOWN = 5


def active_orders_of(**owner) -> tuple[list[Order], int]:
    """A worker's (``executor=``) or client's (``client=``) active orders, newest first, and how
    many there are: the first ``ACTIVE_SHOWN`` in one query, counted only when there are more."""
    queryset = Order.objects.filter(**owner, active=True).order_by("-creation_date", "-id")
    orders = list(queryset.only("id", "title", "status", "creation_date")[: ACTIVE_SHOWN + 1])
    count = len(orders) if len(orders) <= ACTIVE_SHOWN else queryset.count()
    return orders[:ACTIVE_SHOWN], count
