"""Small hardening checks: deeply nested JSON, cookies."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_json_nested_a_thousand_deep_is_a_clean_400(api, cast):
    for depth in (1000, 100_000):
        body = "[" * depth + "]" * depth
        response = api(cast.manager).post("/api/v1/clients/", body, content_type="application/json")
        assert response.status_code == 400, depth
        assert "nested too deeply" in response.json()["detail"]


def test_the_language_cookie_is_lax_http_only_and_secure_in_production(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax" and cookie["secure"] and cookie["httponly"]
