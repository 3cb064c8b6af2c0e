"""API authentication that counts against the anonymous throttle before refusing.

DRF checks throttles after permissions, so a request without credentials (refused by the
permission check) or with a wrong token (refused while authenticating) never reached the
anonymous throttle: guessing tokens was unlimited. Here both are counted, per client address
(``NUM_PROXIES`` says which one), against the ``anon`` rate, in the shared cache; over the
rate the answer is 429 with Retry-After instead of 401. The token check itself is
``accounts.api_auth.HashedTokenAuthentication``, which calls ``count_attempt`` on failure.
"""

from __future__ import annotations

from rest_framework import authentication, exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _AnonymousAttempts(SimpleRateThrottle):
    scope = "anon"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        # Never touches request.user: this runs while the user is being worked out.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def count_attempt(request) -> None:
    throttle = _AnonymousAttempts()
    if throttle.rate is not None and not throttle.allow_request(request, None):
        raise exceptions.Throttled(throttle.wait())


class AnonymousThrottle(authentication.BaseAuthentication):
    """Last in the list: reached only when no credentials were given. Counts the request
    against the anonymous rate and leaves the user anonymous (the permission check then
    answers 401)."""

    def authenticate(self, request):
        count_attempt(request)
        return None
