"""Pytest fixtures for API tests in every app (loaded by the root conftest's ``pytest_plugins``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(db):
    """``api(user)`` → a DRF test client authenticated with that user's token (or anonymous).

    The throttling counters live in the cache, so it is emptied first: each test starts
    with a fresh allowance.
    """
    from django.core.cache import cache
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    cache.clear()

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
