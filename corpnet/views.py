from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: answers 200 once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon is a static file; this answers the browsers that ask at the site's root."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the header and navigation of every page.

    Django's own handler renders 500.html without the request (so without the user and the
    menu), in case the request's context is what failed. This one tries with the request
    first and falls back to exactly that.
    """
    try:
        body = render_to_string("500.html", request=request)
    except Exception:  # noqa: BLE001 — the error page must never raise in turn
        return defaults.server_error(request)
    return HttpResponseServerError(body)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (a request too big, a NUL in the address, a bad host) with the header and
    navigation of every page; Django's own renders 400.html without the request."""
    try:
        body = render_to_string("400.html", request=request)
    except Exception:  # noqa: BLE001 — the error page must never raise in turn
        return defaults.bad_request(request, exception)
    return HttpResponseBadRequest(body)
