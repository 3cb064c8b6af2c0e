"""Every page loads in Chromium under the Content-Security-Policy without a violation, and
the behaviours moved out of inline handlers (static/js/corpnet.js) still work."""

from __future__ import annotations

import pytest

from conftest import login
from corpnet.tests.test_url_matrix import OBJECTS, OK, RULES, admin_model_rule, entries, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Admin model pages: the list and one object's page of each model are enough to load every
#: kind of admin template (the add, delete and history pages share their scripts).
ADMIN_ACTIONS = {"changelist", "change"}


def pages(cast) -> list[str]:
    urls = []
    for key, entry in entries().items():
        rule = RULES.get(key)
        if rule is not None:
            if rule.method != "get" or rule.expect[-1] != OK or key in ("admin:logout", "api:schema"):
                continue
            obj = OBJECTS[rule.obj](cast) if rule.obj else None
            url = url_for(entry, rule, obj)
            if not url.endswith(".csv"):  # downloads, not pages
                urls.append(url)
            continue
        model_action = admin_model_rule(entry.name)
        if model_action and model_action[1] in ADMIN_ACTIONS:
            label, action = model_action
            obj = OBJECTS[label](cast) if action == "change" else None
            urls.append(url_for(entry, None, obj))
    return urls


def test_no_page_breaks_the_content_security_policy(page, cast):
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    login(page, "admin")
    page.wait_for_url("**/")
    visited = pages(cast)
    assert len(visited) > 40
    for url in visited:
        response = page.goto(url)
        assert response is not None
        if "/static/" not in response.url:  # the test server answers static files itself
            assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, url
    assert not violations, "\n".join(violations)


def test_the_api_docs_render_under_the_policy(page, cast):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, "admin")
    page.wait_for_url("**/")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_language_switch_works_without_inline_scripts(page, cast):
    page.goto("/accounts/login/")
    page.select_option("#language", "ru")
    page.wait_for_selector("html[lang=ru]")
    assert "Войти" in page.content()


def test_a_confirmation_is_asked_before_a_dangerous_button_sends(page, cast):
    from corpnet.testing import make_worker

    worker = make_worker()
    login(page, "hr")
    page.wait_for_url("**/")
    page.goto(f"/staff/{worker.pk}/delete/")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.evaluate(
        """() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/nowhere/';
        f.setAttribute('data-confirm', 'Really?'); const b = document.createElement('button'); f.append(b);
        document.body.append(f); b.click(); }"""
    )
    page.wait_for_timeout(200)
    assert asked == ["Really?"]
    assert f"/staff/{worker.pk}/delete/" in page.url  # dismissed: nothing was sent
