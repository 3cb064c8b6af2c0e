"""Staff pages: the list, a worker's page, CSV export; management: add, edit,
delete, dismiss, reassign workers, and posts.

Thin views: fetch, check the permission (403 before anything is read from the form),
validate the form, call one service, redirect. Every rule lives in staff/services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corpnet.backlinks import list_url
from corpnet.csv_export import csv_response
from corpnet.listing import paginate
from corpnet.services import ConcurrentUpdateError
from orders.selectors import active_orders_of, with_active_count
from staff import selectors, services
from staff.forms import HandOverForm, PostForm, WorkerForm, add_service_errors
from staff.models import Post, Worker
from staff.tables import WorkerTable


@require_GET
@permission_required("staff.view_worker", raise_exception=True)
def worker_list(request: HttpRequest) -> HttpResponse:
    filterset, queryset = selectors.worker_list(data=request.GET)
    page = paginate(with_active_count(queryset, owner_field="executor"), request.GET)
    table = WorkerTable(page.rows, params=request.GET)
    return render(request, "staff/worker_list.html", {"filter": filterset, "page": page, "table": table})


@require_GET
@permission_required("staff.view_worker", raise_exception=True)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(pk=pk)
    orders = selectors.worker_latest_orders(worker=worker)
    active_orders, active_count = active_orders_of(executor=worker)
    context = {
        "worker": worker,
        "orders": orders,
        "more_orders": len(orders) >= selectors.LATEST_ORDERS,
        "active_orders": active_orders,
        "active_count": active_count,
        "active_url": f"{reverse('orders:list')}?executor={worker.pk}",
    }
    return render(request, "staff/worker_detail.html", context)


@require_GET
@permission_required("staff.view_worker", raise_exception=True)
def worker_export(request: HttpRequest) -> HttpResponse:
    _filterset, queryset = selectors.worker_list(data=request.GET)
    return csv_response(WorkerTable, queryset, "staff.csv")


# --- Staff management ------------------------------------------------------


def _may(permission: str):
    # Logged-in users without the permission get a 403, not a login page loop.
    return permission_required(permission, raise_exception=True)


def _worker_url(worker) -> str:
    return reverse("staff:detail", args=[worker.pk])


def _get_worker(pk: int):
    return get_object_or_404(Worker.objects.select_related("post"), pk=pk)


@_may("staff.add_worker")
@require_http_methods(["GET", "POST"])
def worker_new(request: HttpRequest) -> HttpResponse:
    form = WorkerForm(request.POST or None)
    if form.is_valid():
        try:
            worker = services.worker_create(**form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": worker.name})
            return redirect(_worker_url(worker))
    return render(request, "staff/worker_form.html", {"form": form, "worker": None})


@_may("staff.change_worker")
@require_http_methods(["GET", "POST"])
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _get_worker(pk)
    if request.method == "GET":
        return render(request, "staff/worker_form.html", {"form": WorkerForm.for_worker(worker), "worker": worker})
    form = WorkerForm(request.POST)
    if form.is_valid():
        try:
            worker = services.worker_update(
                worker=worker, data=form.service_data(), expected_version=form.cleaned_data["version"]
            )
        except ConcurrentUpdateError as exc:
            # Show what is saved now, with the refused input beside it to copy from.
            refused = [(form[name].label, form.cleaned_data[name]) for name in ("name", "phone", "email", "post")]
            worker = _get_worker(pk)
            fresh = WorkerForm.for_worker(worker)
            context = {"form": fresh, "worker": worker, "stale": exc.messages, "refused": refused}
            return render(request, "staff/worker_form.html", context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": worker.name})
            return redirect(_worker_url(worker))
    return render(request, "staff/worker_form.html", {"form": form, "worker": worker})


@_may("staff.delete_worker")
@require_http_methods(["GET", "POST"])
def worker_delete(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _get_worker(pk)
    if request.method == "POST":
        try:
            services.worker_delete(worker=worker)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(name)s has been deleted.") % {"name": worker.name})
            return redirect(list_url(request, "staff:list"))
    orders, total, active = selectors.worker_orders_summary(worker=worker)
    context = {"worker": worker, "orders": orders, "order_count": total, "active_count": active}
    return render(request, "staff/worker_confirm_delete.html", context)


@_may("staff.change_worker")
@require_http_methods(["GET", "POST"])
def worker_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _get_worker(pk)
    form = HandOverForm(request.POST or None, worker=worker)
    if form.is_valid():
        try:
            moved = services.worker_reassign_orders(
                worker=worker, to=form.cleaned_data["to"], expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d active order moved from %(from)s to %(to)s.",
                    "%(count)d active orders moved from %(from)s to %(to)s.",
                    len(moved),
                )
                % {"count": len(moved), "from": worker.name, "to": form.cleaned_data["to"].name},
            )
            return redirect(_worker_url(worker))
    orders, total, active = selectors.worker_orders_summary(worker=worker)
    context = {"worker": worker, "form": form, "orders": orders, "order_count": total, "active_count": active}
    return render(request, "staff/worker_reassign.html", context)


@_may("staff.change_worker")
@require_http_methods(["GET", "POST"])
def worker_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _get_worker(pk)
    form = HandOverForm(request.POST or None, worker=worker)
    if form.is_valid():
        try:
            services.worker_dismiss(
                worker=worker, reassign_to=form.cleaned_data["to"], expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been dismissed.") % {"name": worker.name})
            return redirect(_worker_url(worker))
    orders, total, active = selectors.worker_orders_summary(worker=worker)
    context = {"worker": worker, "form": form, "orders": orders, "order_count": total, "active_count": active}
    return render(request, "staff/worker_dismiss.html", context)


@_may("staff.change_worker")
@require_POST
def worker_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _get_worker(pk)
    try:
        services.worker_reinstate(worker=worker)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s is back on the staff.") % {"name": worker.name})
    return redirect(_worker_url(worker))


@_may("staff.change_worker")
@require_POST
def worker_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo an HR mistake: put the worker's details back as they were in one history record.

    The history's button asks first (a page listing what would change back); the page's
    ``confirm`` button does it.
    """
    worker = _get_worker(pk)
    version, history_id = request.POST.get("version", ""), request.POST.get("history_id", "")
    if not request.POST.get("confirm"):
        changes = selectors.worker_restore_preview(worker=worker, history_id=history_id)
        if changes is not None:
            context = {"worker": worker, "changes": changes, "history_id": history_id, "version": version}
            return render(request, "staff/worker_restore_confirm.html", context)
    try:
        services.worker_restore_version(
            worker=worker, history_id=history_id, expected_version=int(version) if version.isdigit() else None
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The earlier version of %(name)s has been restored.") % {"name": worker.name})
    return redirect(_worker_url(worker))


@require_GET
@permission_required("staff.view_post", raise_exception=True)
def post_list(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/post_list.html", {"posts": selectors.post_list()})


@_may("staff.add_post")
@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None)
    if form.is_valid():
        try:
            post = services.post_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Post “%(title)s” has been added.") % {"title": post.title})
            return redirect(list_url(request, "staff:posts"))
    return render(request, "staff/post_form.html", {"form": form, "post": None})


@_may("staff.change_post")
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    initial = {"title": post.title, "description": post.description}
    form = PostForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            post = services.post_update(post=post, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Post “%(title)s” has been saved.") % {"title": post.title})
            return redirect(list_url(request, "staff:posts"))
    return render(request, "staff/post_form.html", {"form": form, "post": post})


@_may("staff.delete_post")
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    if request.method == "POST":
        try:
            services.post_delete(post=post)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Post “%(title)s” has been deleted.") % {"title": post.title})
            return redirect(list_url(request, "staff:posts"))
    holders = list(post.workers.order_by("name", "id")[: selectors.ORDERS_SHOWN])
    return render(request, "staff/post_confirm_delete.html", {"post": post, "holders": holders})
