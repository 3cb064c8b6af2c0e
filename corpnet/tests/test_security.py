"""Small hardening checks: deeply nested JSON, cookies."""

from __future__ import annotations

import re
from pathlib import Path

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


ROOT = Path(__file__).resolve().parents[2]
#: Templates allowed to leave a value unescaped: the email's plain-text subject and body, and
#: its HTML body (the sender's own HTML); nothing shown on the intranet.
UNESCAPED = {
    "templates/mailing/email/message-body.html",
    "templates/mailing/email/message-body.txt",
    "templates/mailing/email/message-subject.txt",
}


def project_files(pattern: str) -> list[Path]:
    return [p for p in ROOT.rglob(pattern) if not {".venv", "node_modules", "staticfiles"} & set(p.parts)]


def test_no_python_code_marks_data_safe():
    """Every value shown is escaped by a template: no mark_safe or SafeString in our code."""
    found = [
        str(path.relative_to(ROOT))
        for path in project_files("*.py")
        if path.name != "test_security.py"
        and re.search(r"\bmark_safe\b|\bSafeString\b|\bformat_html\b", path.read_text())
    ]
    assert found == []


def test_only_the_email_templates_turn_autoescape_off():
    found = {
        str(path.relative_to(ROOT))
        for path in project_files("*.html") + project_files("*.txt")
        if "templates" in path.parts and re.search(r"autoescape\s+off|\|\s*safe\b", path.read_text())
    }
    assert found == UNESCAPED
