"""Login lockout (django-axes) helpers: the client's address behind proxies, and the page a
locked-out user sees.

Every failed login (login page, admin login) is counted per user name and address in the
shared cache; at ``AXES_FAILURE_LIMIT`` the pair is refused for ``AXES_COOLOFF_TIME`` even with
the right password. Axes logs each failure and each lockout (logger ``axes.watch_login``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind ``NUM_PROXIES`` proxies, the entry those
    proxies appended to X-Forwarded-For (entries further left are whatever the client sent)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return remote


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request, "registration/locked_out.html", {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}, status=429
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
