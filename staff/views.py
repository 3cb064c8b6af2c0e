from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from corpnet.listing import Column, csv_response, paginate, sort_columns
from staff import selectors


def _columns() -> list[Column]:
    return [
        Column("id", _("ID"), numeric=True),
        Column("name", _("Name")),
        Column("post", _("Post")),
        Column("email", _("Email")),
        Column("", _("Phone")),
        Column("", _("Active order")),
    ]


@require_GET
@permission_required("staff.view_worker", raise_exception=True)
def worker_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.worker_list(data=request.GET)
    page = paginate(queryset, request.GET)
    page.columns = sort_columns(_columns(), request.GET)
    return render(request, "staff/worker_list.html", {"filter": filterset, "page": page})


@require_GET
@permission_required("staff.view_worker", raise_exception=True)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(pk=pk)
    orders = selectors.worker_latest_orders(worker=worker)
    return render(
        request,
        "staff/worker_detail.html",
        {"worker": worker, "orders": orders, "more_orders": len(orders) >= selectors.LATEST_ORDERS},
    )


@require_GET
@permission_required("staff.view_worker", raise_exception=True)
def worker_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.worker_list(data=request.GET)
    return csv_response(
        filename="staff.csv",
        header=[_("ID"), _("Name"), _("Post"), _("Email"), _("Phone"), _("Dismissed at")],
        queryset=queryset,
        row=lambda w: [w.pk, w.name, w.post.title, w.email, w.phone, w.dismissed_at or ""],
    )
