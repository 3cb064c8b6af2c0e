"""Response headers every page gets."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreForLoggedInMiddleware:
    """Nothing shown to a logged-in user (client names, deposits, exports) is stored by the
    browser's cache or a proxy: ``Cache-Control: no-store`` on every response to one.
    Static files (WhiteNoise answers them before this runs) are unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class SecurityHeadersMiddleware:
    """``Content-Security-Policy`` (settings.CONTENT_SECURITY_POLICY) on every response that
    does not set its own: scripts only from our own static files, never inline, so markup that
    slipped into a page cannot run. Templates ask for behaviour with data- attributes that
    static/js/corpnet.js implements (data-confirm, data-autosubmit)."""

    def __init__(self, get_response):
        self.get_response = get_response
        from django.conf import settings

        self.policy = "; ".join(f"{k} {' '.join(v)}" for k, v in settings.CONTENT_SECURITY_POLICY.items())
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class RefuseNulInQueryMiddleware:
    """A NUL character cannot be stored or compared by PostgreSQL (SQLite takes it), so a query
    string carrying one (``?name=%00``) is answered 400 here, before any filter, cursor, back link
    or export record reads it — the same answer on both databases. Forms already refuse NUL in
    posted text (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read raw, not through request.GET: parsing here would pre-empt the views' own answers
        # to malformed queries (too many fields, bad encoding).
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "The query string contains a NUL character."}, status=400)
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)
