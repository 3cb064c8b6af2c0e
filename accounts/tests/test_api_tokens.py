"""API tokens: hashed at rest, expiring, revocable in the admin, failures throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import api_tokens
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/clients/"


def _client(secret: str) -> APIClient:
    cache.clear()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_the_command_prints_the_secret_once_and_the_database_never_holds_it(cast, capsys, settings):
    call_command("issue_api_token", "employee", "--name", "nightly export")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=cast.employee)
    assert token.name == "nightly export" and token.key_prefix == secret[:8] and len(secret) >= 40
    assert token.key_hash == api_tokens.hash_secret(secret) != secret
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608 (a model's table name)
        rows = cursor.fetchall()
    assert rows and not any(secret in str(value) for row in rows for value in row)
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs(token.expires_at - expected) < timedelta(minutes=5)
    assert _client(secret).get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_days_sets_the_expiry_and_must_be_positive(cast, capsys):
    from django.core.management.base import CommandError

    call_command("issue_api_token", "employee", "--days", "7")
    token = ApiToken.objects.get(user=cast.employee)
    assert token.expires_at - token.created < timedelta(days=7, minutes=5)
    with pytest.raises(CommandError, match="--days"):
        call_command("issue_api_token", "employee", "--days", "0")


def test_an_expired_token_gets_401_with_a_clear_message(cast):
    token, secret = api_tokens.issue(user=cast.employee)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _client(secret).get(URL)
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_a_token_revoked_in_the_admin_gets_401(cast, client):
    token, secret = api_tokens.issue(user=cast.employee)
    assert _client(secret).get(URL).status_code == 200
    client.force_login(cast.admin)
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200 and "1 token revoked." in response.text
    token.refresh_from_db()
    assert token.revoked
    response = _client(secret).get(URL)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_only_those_who_may_change_tokens_can_revoke_them(cast, client):
    from django.contrib.auth.models import Permission

    token, _ = api_tokens.issue(user=cast.employee)
    cast.hr.is_staff = True
    cast.hr.save()
    cast.hr.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    client.force_login(cast.hr)
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert not token.revoked


def test_the_admin_shows_the_prefix_and_expiry_but_never_the_secret_or_hash(cast, client):
    token, secret = api_tokens.issue(user=cast.employee, name="reports")
    client.force_login(cast.admin)
    for url in ("/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{token.pk}/change/"):
        body = client.get(url).text
        assert token.key_prefix in body and "reports" in body
        assert secret not in body and token.key_hash not in body


def test_wrong_expired_and_revoked_tokens_count_against_the_anonymous_rate(cast, settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    revoked, revoked_secret = api_tokens.issue(user=cast.employee)
    api_tokens.revoke(ApiToken.objects.filter(pk=revoked.pk))
    expired, expired_secret = api_tokens.issue(user=cast.employee, days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client = _client("x" * 43)
    assert client.get(URL).status_code == 401
    for secret in (revoked_secret, expired_secret):
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        assert client.get(URL).status_code == 401
    response = client.get(URL)
    assert response.status_code == 429 and "Retry-After" in response


def test_tokens_sharing_a_prefix_are_told_apart_by_the_hash(cast):
    token, secret = api_tokens.issue(user=cast.employee)
    ApiToken.objects.create(user=cast.hr, key_prefix=token.key_prefix, key_hash="0" * 64)
    assert api_tokens.find(secret) == token
    assert api_tokens.find(token.key_prefix + "wrong") is None


def test_an_inactive_users_token_gets_401(cast):
    _, secret = api_tokens.issue(user=cast.employee)
    cast.employee.is_active = False
    cast.employee.save()
    assert _client(secret).get(URL).status_code == 401


def test_the_russian_admin_names_the_model_properly(cast, client):
    api_tokens.issue(user=cast.employee)
    client.force_login(cast.admin)
    client.cookies["django_language"] = "ru"
    body = client.get("/admin/accounts/apitoken/").text
    assert "Выберите API-токен для просмотра" in body and "1 API-токен\n" in body
    assert "Отозвать выбранные токены" in body
