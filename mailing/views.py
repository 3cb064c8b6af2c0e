"""Mailing pages: thin views over mailing.services and mailing.selectors."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mailing import selectors, services
from mailing.forms import MailingForm
from mailing.models import Mailing
from mailing.services import SEND_PERMISSION

VIEW_PERMISSION = "mailing.view_mailing"
RECIPIENTS_PER_PAGE = 100
FOUND_PEOPLE = 20


def _require(request: HttpRequest, *perms: str) -> None:
    if not any(request.user.has_perm(p) for p in perms):
        raise PermissionDenied


@require_GET
def mailing_list_view(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_PERMISSION, SEND_PERMISSION)
    page = Paginator(Mailing.objects.select_related("created_by"), 50).get_page(request.GET.get("page"))
    selectors.mailing_page_with_counts(page=page)
    return render(
        request,
        "mailing/list.html",
        {"page": page, "can_send": request.user.has_perm(SEND_PERMISSION), "debug_outbox": settings.DEBUG},
    )


@require_http_methods(["GET", "POST"])
def mailing_new(request: HttpRequest) -> HttpResponse:
    _require(request, SEND_PERMISSION)
    if request.method == "GET":
        form = MailingForm(initial=selectors.initial_from_query(request.GET))
        return render(request, "mailing/new.html", selectors.new_page_context(form=form, query=request.GET))
    form = MailingForm(request.POST)
    preview = None
    if form.is_valid():
        action = request.POST.get("action", "preview")
        args = {"audience": form.cleaned_data["audience"], "filter_params": form.filter_params(), **form.content()}
        confirmed = form.cleaned_data.get("confirm_count")
        try:
            if action == "send" and confirmed is not None:
                mailing = services.mailing_create(created_by=request.user, expected_count=confirmed, **args)
                messages.success(request, _("The mailing is queued."))
                return redirect("mailing:detail", pk=mailing.pk)
            preview = services.mailing_preview(**args)
            if action == "send":
                messages.error(request, _("Please confirm sending to %(n)d recipients.") % {"n": preview.count})
            elif action == "test":
                services.mailing_send_test(user=request.user, **args)
                messages.success(request, _("A test copy was sent to %(email)s.") % {"email": request.user.email})
        except ValidationError as exc:
            form.add_error(None, exc)
            if getattr(exc, "code", None) == "count_changed":
                preview = services.mailing_preview(**args)
    context = selectors.new_page_context(form=form, query=selectors.query_from_form(form), preview=preview)
    return render(request, "mailing/new.html", context, status=200 if form.is_valid() and not form.errors else 400)


@require_GET
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, VIEW_PERMISSION, SEND_PERMISSION)
    mailing = get_object_or_404(selectors.mailing_list(), pk=pk)
    recipients = Paginator(mailing.recipients.all(), RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "mailing": mailing,
        "counts": selectors.mailing_counts(mailing=mailing),
        "recipients": recipients,
        "events": mailing.events.select_related("actor"),
        "can_send": request.user.has_perm(SEND_PERMISSION),
        "stalled": selectors.mailing_is_stalled(mailing=mailing),
    }
    return render(request, "mailing/detail.html", context)


@require_GET
def mailing_progress(request: HttpRequest, pk: int) -> JsonResponse:
    _require(request, VIEW_PERMISSION, SEND_PERMISSION)
    mailing = get_object_or_404(Mailing, pk=pk)
    return JsonResponse({"status": mailing.status, **selectors.mailing_counts(mailing=mailing)})


ACTIONS = {
    "pause": services.mailing_pause,
    "resume": services.mailing_resume,
    "cancel": services.mailing_cancel,
    "retry-failed": services.mailing_retry_failed,
    "retry-unknown": services.mailing_retry_unknown,
}


@require_POST
def mailing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request, SEND_PERMISSION)
    service = ACTIONS.get(action)
    if service is None:
        raise Http404
    mailing = get_object_or_404(Mailing, pk=pk)
    try:
        service(mailing=mailing, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("mailing:detail", pk=pk)


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """DEBUG only: what the local SMTP sink (``make run``) received, to read what was sent."""
    if not settings.DEBUG:
        raise Http404
    _require(request, VIEW_PERMISSION, SEND_PERMISSION)
    root = Path(getattr(settings, "MAILING_SINK_DIR", Path(settings.BASE_DIR) / "var" / "mail"))
    files = (
        sorted((root / "new").glob("*"), key=lambda p: p.stat().st_mtime, reverse=True)[:100] if root.is_dir() else []
    )
    wanted = request.GET.get("key", "")
    items, shown = [], None
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        items.append({"key": path.name, "subject": message["Subject"], "to": message["To"], "date": message["Date"]})
        if path.name == wanted:
            body = message.get_body(("plain",))
            html = message.get_body(("html",))
            shown = {
                "headers": list(message.items()),
                "text": body.get_content() if body else "",
                "html": html.get_content() if html else "",
            }
    return render(request, "mailing/outbox.html", {"items": items, "shown": shown, "sink": root})
