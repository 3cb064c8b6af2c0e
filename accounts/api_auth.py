"""``Authorization: Token <secret>`` checked against hashed, expiring ApiToken rows.

Any failure (unknown, revoked or expired token, inactive user) counts against the anonymous
throttle before the 401, as wrong tokens did before (corpnet/api/authentication.py), so
guessing tokens stays limited.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts import api_tokens
from corpnet.api.authentication import count_attempt


class HashedTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            count_attempt(request)
            raise

    def authenticate_credentials(self, key):
        token = api_tokens.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired; ask for a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        api_tokens.touch(token)
        return token.user, token
