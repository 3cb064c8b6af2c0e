"""Login lockout: five wrong passwords for one user from one address, then even the right one
is refused for the cool-off, on the login page and the admin's; the API's anonymous
throttle counts requests without credentials and with wrong tokens."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    cache.clear()
    yield settings
    cache.clear()


def _try(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_sixth_try_is_refused_even_with_the_right_password(client, cast, lockout, url, caplog):
    caplog.set_level(logging.WARNING)
    for _ in range(5):
        response = _try(client, url, "admin", "wrong")
        assert response.status_code in (200, 429)
    response = _try(client, url, "admin", PASSWORD)
    assert response.status_code == 429
    assert "data-locked-out" in response.text and "15 minutes" in response.text
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session
    messages = [r.getMessage() for r in caplog.records]
    assert any("login failure" in m for m in messages) and any("Locking out" in m for m in messages)


def test_the_lockout_is_per_user_and_address(client, cast, lockout):
    for _ in range(5):
        _try(client, "/accounts/login/", "admin", "wrong")
    # Another user from the same address, and the same user from another address, get in.
    assert _try(client, "/accounts/login/", "employee", PASSWORD).status_code == 302
    client.logout()
    assert _try(client, "/accounts/login/", "admin", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_four_failures_then_the_right_password_logs_in_and_starts_afresh(client, cast, lockout):
    for _ in range(4):
        _try(client, "/accounts/login/", "manager", "wrong")
    assert _try(client, "/accounts/login/", "manager", PASSWORD).status_code == 302


def test_the_lockout_message_is_translated(client, cast, lockout):
    for _ in range(5):
        _try(client, "/accounts/login/", "admin", "wrong")
    response = _try(client, "/accounts/login/", "admin", PASSWORD, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert "Слишком много неудачных входов" in response.text


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(client, cast, lockout):
    lockout.NUM_PROXIES = 1
    for _ in range(5):
        _try(client, "/accounts/login/", "admin", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _try(client, "/accounts/login/", "admin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert _try(client, "/accounts/login/", "admin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_the_api_throttles_anonymous_requests_and_wrong_tokens(api, settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    anonymous = api()
    assert [anonymous.get("/api/v1/clients/").status_code for _ in range(3)] == [401, 401, 401]
    assert anonymous.get("/api/v1/clients/").status_code == 429
    cache.clear()
    guesser = api()
    guesser.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert [guesser.get("/api/v1/clients/").status_code for _ in range(3)] == [401, 401, 401]
    response = guesser.get("/api/v1/clients/")
    assert response.status_code == 429 and "Retry-After" in response
