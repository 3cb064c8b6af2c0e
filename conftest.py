"""Fixtures the whole suite shares: the cast of users, and a real browser."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHARED = Path(__file__).resolve().parent.parent / "shared"
PASSWORD = "correct-horse-battery-staple"


def missing(reason: str) -> None:
    """Skip loudly on a developer machine; fail in CI, where everything must be present."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must be available in CI)", pytrace=False)
    pytest.skip(f"{reason} — install it to run this test")


@dataclass
class Cast:
    admin: object
    hr: object
    manager: object
    employee: object
    outsider: object


@pytest.fixture
def cast(db) -> Cast:
    """The fixed cast: a superuser, one user per role, and a logged-in outsider with no role."""
    from accounts.roles import ensure_roles

    ensure_roles()
    User = get_user_model()

    def make(username: str, group: str | None = None, **extra):
        user = User.objects.create_user(username, f"{username}@corpnet.example", PASSWORD, **extra)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return Cast(
        admin=make("admin", is_superuser=True, is_staff=True),
        hr=make("hr", "hr", is_staff=True),
        manager=make("manager", "manager"),
        employee=make("employee", "employee"),
        outsider=make("outsider"),
    )


@pytest.fixture
def shared_fixtures() -> Path:
    """../shared/fixtures: read in place; skipped locally when absent, required in CI."""
    path = SHARED / "fixtures"
    if not path.is_dir():
        missing(f"{path} is not present")
    return path


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -r requirements-dev.txt)")
    # Playwright's sync API keeps an event loop on this thread; Django's ORM calls made by the
    # test itself between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab whose relative URLs go to the app under test."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (home figures, throttles; filter forms in the
    per-process "local" one) and leaves the default language active (a request in Russian
    leaves Russian active)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.utils import translation

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api(db):
    """``api(user)`` → a DRF test client authenticated with that user's token (or anonymous).

    The throttling counters live in the cache, so it is emptied first: each test starts
    with a fresh allowance.
    """
    from django.core.cache import cache
    from rest_framework.test import APIClient

    from accounts.api_tokens import issue

    cache.clear()

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            _, secret = issue(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return make
