"""Issuing and checking API tokens (accounts.ApiToken).

The secret is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 is enough to
store it: there is nothing to brute-force that a slow hash would protect. Only the hash and
the first 8 characters (to recognise a token in the admin) are kept; the secret is returned
once, by ``issue``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import ApiToken

PREFIX_LENGTH = 8
#: last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(*, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for the user: (the row, the secret). The secret is not stored anywhere."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    return token, secret


def find(secret: str) -> ApiToken | None:
    """The token whose secret this is (revoked and expired ones too), or None."""
    digest = hash_secret(secret)
    candidates = ApiToken.objects.select_related("user").filter(key_prefix=secret[:PREFIX_LENGTH])
    for token in candidates:
        if hmac.compare_digest(token.key_hash, digest):
            return token
    return None


def touch(token: ApiToken) -> None:
    """Record the use, without a write on every request."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke(queryset) -> int:
    return queryset.filter(revoked=False).update(revoked=True)
