"""Mailing pages: permission checks here, reads from mailing.selectors, writes through mailing.services."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mailing import selectors, services
from mailing.forms import MailingForm
from mailing.models import FILTER_AUDIENCES, Audience, Mailing

VIEW_PERMISSION = "mailing.view_mailing"
SEND_PERMISSION = services.SEND_PERMISSION
RECIPIENTS_PER_PAGE = 100
FILTER_PREFIX = "f"


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


# ---------------------------------------------------------------- the "new mailing" page


def _as_query(params: dict) -> str:
    qd = QueryDict(mutable=True)
    for key, values in params.items():
        qd.setlist(key, values if isinstance(values, list) else [values])
    return qd.urlencode()


def _typed_filter(data: QueryDict, audience: str) -> dict:
    """The filter boxes as typed (``f-…`` fields), for the audience they were shown for."""
    if audience not in FILTER_AUDIENCES or data.get("shown_audience") != audience:
        return {}
    start = FILTER_PREFIX + "-"
    typed = QueryDict(mutable=True)
    for key in data:
        if key.startswith(start):
            typed.setlist(key[len(start) :], data.getlist(key))
    return selectors.clean_filter_params(typed)


def _initial(query: QueryDict) -> dict:
    """Pre-fill from a link such as /mailing/new/?audience=clients&sum_min=100000 (page, size
    and order parameters of the list it came from are dropped)."""
    audience = query.get("audience") if query.get("audience") in Audience.values else Audience.CLIENTS
    params = {k: v for k, v in selectors.clean_filter_params(query).items() if k not in selectors.PAGE_PARAMS}
    return {
        "audience": audience,
        "filter_query": _as_query(params) if audience in FILTER_AUDIENCES else "",
        "person": query.get("person") if (query.get("person") or "").isdigit() else None,
        "email": query.get("email", "") if audience == Audience.ADDRESS else "",
    }


def _page(request, form, *, typed: dict | None, preview=None, status: int = 200) -> HttpResponse:
    audience = form["audience"].value() or Audience.CLIENTS
    applied = QueryDict(form["filter_query"].value() or "")
    context: dict = {"form": form, "preview": preview, "audience": audience, "audiences": Audience.choices}
    if audience in FILTER_AUDIENCES:
        shown = selectors.clean_filter_params(applied) if typed is None else typed
        context["filterset"] = selectors.audience_filterset(
            audience=audience, filter_params={f"{FILTER_PREFIX}-{k}": v for k, v in shown.items()}, prefix=FILTER_PREFIX
        )
        context["filterset"].is_valid()
        try:
            spec = selectors.audience_spec(audience=audience, filter_params=applied)
            context["applied_description"] = spec.description
        except ValidationError:
            context["applied_description"] = ""
    elif audience in (Audience.WORKER, Audience.CLIENT):
        find = request.POST.get("find", "") if request.method == "POST" else request.GET.get("find", "")
        context["find"] = find
        context["found"] = selectors.find_people(audience=audience, text=find)
        person = form["person"].value()
        chosen = selectors.person_for(audience=audience, pk=person) if person else None
        context["chosen"] = chosen
    return render(request, "mailing/new.html", context, status=status)


def _rebind(data: QueryDict, **changes) -> MailingForm:
    data = data.copy()
    for key, value in changes.items():
        data[key] = value
    data.pop("confirm_count", None)
    data.pop("confirm_key", None)
    form = MailingForm(data)
    form.is_valid()
    return form


@require_http_methods(["GET", "POST"])
def mailing_new(request: HttpRequest) -> HttpResponse:
    _require(request, SEND_PERMISSION)
    if request.method == "GET":
        return _page(request, MailingForm(initial=_initial(request.GET)), typed=None)
    form = MailingForm(request.POST)
    if not form.is_valid():
        return _page(request, form, typed=None, status=400)
    audience = form.cleaned_data["audience"]
    action = request.POST.get("action", "preview")
    typed = _typed_filter(request.POST, audience)
    applied = selectors.clean_filter_params(QueryDict(form.cleaned_data["filter_query"] or ""))
    if request.POST.get("pick", "").isdigit():
        form = _rebind(request.POST, person=request.POST["pick"])
        return _page(request, form, typed=typed)
    if action == "apply" or request.POST.get("shown_audience", audience) != audience:
        # Applying a filter, or the audience was switched: show the new audience, send nothing.
        form = _rebind(request.POST, filter_query=_as_query(typed))
        return _page(request, form, typed=typed)
    if audience in FILTER_AUDIENCES and typed != applied and request.POST.get("shown_audience") == audience:
        if action == "send":
            form.add_error(
                None, _("The filter was changed after the preview and not applied. Preview again to see who gets it.")
            )
            return _page(request, form, typed=typed, status=400)
        form = _rebind(request.POST, filter_query=_as_query(typed))
    return _act(request, form, action=action, typed=typed)


def _act(request, form: MailingForm, *, action: str, typed: dict) -> HttpResponse:
    args = {"audience": form.cleaned_data["audience"], "filter_params": form.filter_params(), **form.content()}
    preview = None
    try:
        if action == "send" and form.cleaned_data.get("confirm_count") is not None:
            mailing = services.mailing_create(
                created_by=request.user,
                expected_count=form.cleaned_data["confirm_count"],
                expected_key=form.cleaned_data.get("confirm_key") or "",
                **args,
            )
            messages.success(request, _("The mailing is queued."))
            return redirect("mailing:detail", pk=mailing.pk)
        preview = services.mailing_preview(**args)
        if action == "send":
            message = ngettext(
                "Please check the preview and confirm sending to %(n)d recipient.",
                "Please check the preview and confirm sending to %(n)d recipients.",
                preview.count,
            )
            form.add_error(None, message % {"n": preview.count})
        elif action == "test":
            services.mailing_send_test(user=request.user, **args)
            messages.success(request, _("A test copy was sent to %(email)s.") % {"email": request.user.email})
    except ValidationError as exc:
        form.add_error(None, exc) if not hasattr(exc, "error_dict") else _add_errors(form, exc)
        if getattr(exc, "code", None) in ("count_changed", "audience_changed"):
            preview = services.mailing_preview(**args)
    form = _with_confirm(form, preview)
    return _page(request, form, typed=typed, preview=preview, status=400 if form.errors else 200)


def _add_errors(form: MailingForm, exc: ValidationError) -> None:
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _with_confirm(form: MailingForm, preview) -> MailingForm:
    """The confirm step carries the previewed count and audience fingerprint to the send."""
    if preview is None:
        return form
    data = form.data.copy()
    data["confirm_count"] = str(preview.matched)
    data["confirm_key"] = preview.key
    confirmed = MailingForm(data)
    confirmed.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            confirmed.add_error(field if field in confirmed.fields and field != "__all__" else None, error)
    return confirmed


# ---------------------------------------------------------------- one mailing


@require_GET
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, VIEW_PERMISSION, SEND_PERMISSION)
    mailing = get_object_or_404(Mailing.objects.select_related("created_by"), pk=pk)
    recipients = Paginator(mailing.recipients.all(), RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    context = {
        "mailing": mailing,
        "counts": selectors.mailing_counts(mailing=mailing),
        "recipients": recipients,
        "events": mailing.events.select_related("actor"),
        "can_send": user.has_perm(SEND_PERMISSION),
        "can_steer": services.may_steer(user=user, mailing=mailing),
        "stalled": selectors.mailing_is_stalled(mailing=mailing),
    }
    return render(request, "mailing/detail.html", context)


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
    if not services.may_do(user=request.user, mailing=mailing, action=action):
        raise PermissionDenied
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
