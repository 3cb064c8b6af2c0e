"""The API's shared machinery: authentication, limits, throttling, errors, schema and docs."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from conftest import PASSWORD
from corpnet.testing import make_post
from staff.models import Post

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/posts/", "/api/v1/workers/", "/api/v1/clients/", "/api/v1/orders/"]


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/schema/?format=json", "/api/v1/"])
def test_anonymous_api_requests_get_401_json_not_a_login_redirect(api, url):
    response = api().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in json.loads(response.content)


def test_a_deleted_token_gets_401(api, cast):
    from accounts.models import ApiToken

    client = api(cast.employee)
    assert client.get(ENDPOINTS[0]).status_code == 200
    ApiToken.objects.filter(user=cast.employee).delete()
    assert client.get(ENDPOINTS[0]).status_code == 401


def test_a_browser_session_works_and_its_writes_need_the_csrf_token(cast):
    browser = APIClient(enforce_csrf_checks=True)
    assert browser.login(username="hr", password=PASSWORD)
    assert browser.get(ENDPOINTS[0]).status_code == 200
    response = browser.post(ENDPOINTS[0], {"title": "Кассир"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_body_over_the_size_limit_answers_413_and_writes_nothing(api, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = api(cast.hr).post(ENDPOINTS[0], {"title": "Кассир", "description": "x" * 5000}, format="json")
    assert response.status_code == 413
    assert not Post.objects.exists()


def test_too_many_query_parameters_answer_400_json(api, cast, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    query = "&".join(f"x{i}=1" for i in range(101))
    response = api(cast.employee).get(f"{ENDPOINTS[1]}?{query}")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_body_that_is_not_json_answers_400_or_415(api, cast):
    hr = api(cast.hr)
    assert hr.generic("POST", ENDPOINTS[0], "{not json", "application/json").status_code == 400
    assert hr.generic("POST", ENDPOINTS[0], "title=x", "application/x-www-form-urlencoded").status_code == 415


def test_requests_over_the_per_user_rate_answer_429(api, cast, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "1/minute"},
    }
    employee, manager = api(cast.employee), api(cast.manager)
    assert [employee.get(ENDPOINTS[0]).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert manager.get(ENDPOINTS[0]).status_code == 200  # per user, not global
    assert "Retry-After" in employee.get(ENDPOINTS[0])


def test_unknown_ids_answer_404(api, cast):
    client = api(cast.admin)
    for url in ENDPOINTS:
        assert client.get(f"{url}999999/").status_code == 404
        assert client.get(f"{url}99999999999999999999999/").status_code == 404


def test_null_characters_in_a_filter_answer_400(api, cast):
    response = api(cast.employee).get("/api/v1/workers/", {"name": "a\x00b"})
    assert response.status_code == 400


def test_the_schema_is_openapi_3_and_lists_every_endpoint(api, cast):
    response = api(cast.employee).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for url in ENDPOINTS:
        assert url in schema["paths"]
        assert f"{url}{{id}}/" in schema["paths"]
    assert "version" in schema["components"]["schemas"]["WorkerUpdateRequest"]["required"]
    assert schema["components"]["schemas"]["WorkerPatchRequest"]["required"] == ["version"]
    assert "409" in schema["paths"]["/api/v1/workers/{id}/"]["patch"]["responses"]


def test_the_docs_page_needs_a_login_and_uses_only_vendored_assets(cast, client):
    url = "/api/docs/"
    assert client.get(url).status_code == 302
    client.force_login(cast.employee)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert references, html
    for ref in references:
        assert not re.match(r"^(https?:)?//", ref), ref
    for ref in references:
        if ref.startswith("/static/"):
            assert finders.find(ref.removeprefix("/static/")), f"{ref} is not a vendored static file"
    # The start-up script is a file of its own (no inline script under the CSP).
    script = client.get(url, {"script": ""})
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/schema/" in script.content.decode()
    assert "<script>" not in html
    assert "validator.swagger.io" not in html + script.content.decode()


def test_the_token_command_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nobody"):
        call_command("issue_api_token", "nobody")


def test_a_duplicate_post_title_answers_400_even_with_extra_spaces(api, cast):
    make_post("Бухгалтер")
    response = api(cast.hr).post(ENDPOINTS[0], {"title": "  Бухгалтер  "}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/mailings/", "/api/v1/prices/quotes/", "/api/v1/"])
def test_the_browsable_api_renders_for_a_logged_in_admin(cast, client, url):
    from corpnet.testing import make_order

    order = make_order()
    client.force_login(cast.admin)
    assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200
    if url == "/api/v1/orders/":
        detail = client.get(f"{url}{order.pk}/", HTTP_ACCEPT="text/html")
        assert detail.status_code == 200
        assert b"/static/" in detail.content and b"cdn" not in detail.content.lower()
