"""Every page, rendered in Russian for every role, shows no English that the catalogue missed.

The test walks every named URL of the intranet (with real objects for the ``<pk>`` and
``<symbol>`` parts) and every admin page of every registered model, as each role, with the
language set to Russian. It collects the visible text (and the titles, placeholders, labels
and button values a user reads or hears) and fails on any Latin word that is neither data
(a value stored in the database: e-mail addresses, SMTP replies) nor in ``ALLOWED``.

When it fails, the message names the string and the URL: translate the string (add it to
locale/ru/LC_MESSAGES/django.po, or wrap it in gettext/{% translate %} first), or, when it
is not meant to be translated (a brand, a unit, a code), add it to ``ALLOWED`` with a reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from corpnet.testing import make_client, make_order, make_post, make_worker

pytestmark = pytest.mark.django_db

ROLES = ("admin", "hr", "manager", "employee")

#: Latin words that stay Latin in Russian, each with its reason.
ALLOWED = {
    "corpnet",  # the product's name
    "EN",  # the language switch shows language codes
    "RU",
    "CSV",  # file formats and standards keep their names
    "XLSX",
    "Excel",
    "HTML",
    "SMTP",
    "API",
    "JSON",
    "UTF",
    "ID",
    "USD",  # currency and coin codes
    "RUB",
    "BTC",
    "ETH",
    "admin",  # the cast's usernames, shown as "who is logged in"
    "hr",
    "manager",
    "employee",
    "md5",  # password hash algorithms, in the user admin's hash summary
    "pbkdf2",
    "sha256",
    "Control",  # key names in Django's own Russian help texts
    "Command",
    "Mac",
    "Single",  # "Single Sign-On" in Django's own Russian help text
    "Sign",
    "Sing",  # (sic: Django's translation misspells it)
    "On",
    "LDAP",
    "Message",  # the e-mail header "Message-ID"
}

#: Whole strings Django's admin templates hard-code in English (alt texts of its icons).
ALLOWED_STRINGS = {"Search", "True", "False", "None", "Unknown"}

#: Only our own models get every admin page checked; for Django's and third-party models
#: (users, groups, tokens, task results) their lists are, not the forms they ship.
OWN_APPS = {"accounts", "staff", "clients", "orders", "mailing", "prices", "reports", "demo"}

#: URL names that are not pages for staff: machine endpoints and developer tools.
SKIPPED_NAMES = {
    "healthz",  # JSON for load balancers
    "favicon",  # a redirect to an image
    "set_language",  # POST only
    "logout",  # POST only
    "login",  # a logged-in user is redirected away
    "orders:find_executors",  # JSON for the order form's finders
    "orders:find_clients",
}
SKIPPED_NAMESPACES = {"api"}  # JSON and the OpenAPI tools (Swagger UI is English upstream)

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")  # two letters or more: "x", "E.164" pass
ENGLISH_NUMBER = re.compile(r"\d(?:[.,]\d+)?[KMBT]\b")  # "39.5M": Russian writes «39,5 млн»
NOISE = re.compile(
    r"\S+@\S+"  # e-mail addresses
    r"|https?://\S+"  # links
    r"|/[\w/.?=&%-]*"  # paths
    r"|\{\{.*?\}\}"  # mailing placeholders, shown as syntax
    r"|\w+\*{6,}"  # the admin's password hash summary
    r"|\(pk=\w+\)"  # django-simple-history's reference to a deleted row
)
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """The text a person sees or a screen reader reads; not scripts, styles or SVG paths."""

    HIDDEN = {"script", "style", "noscript", "template", "textarea", "pre", "code"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES & attrs.keys():
            self.chunks.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            self.chunks.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def stored_strings() -> set[str]:
    """Every text value in the database: data, which is shown as entered, not translated."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    values: set[str] = {settings.TIME_ZONE, *settings.PRICES_SOURCES}
    for model in apps.get_models():
        if model is ContentType:  # "client", "order": these would hide untranslated words
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name != "codename"
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                values.update(v for v in row if isinstance(v, str) and v)
    # Longest first, so that "Can add client" goes whole before "client" could split it.
    return sorted(values, key=len, reverse=True)


def english_in(html: str, data: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        if chunk in ALLOWED_STRINGS:
            continue
        text = chunk
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        text = NOISE.sub(" ", text)
        if ENGLISH_NUMBER.search(text) or any(word not in ALLOWED for word in LATIN_WORD.findall(text)):
            found.append(" ".join(chunk.split())[:160])
    return found


@pytest.fixture
def world(cast):
    """One of everything, named in Russian, so that every page has something to show."""
    from mailing.services import mailing_create
    from prices.models import Coin, Quote, SourceStatus, bucket_of
    from staff.services import worker_dismiss

    post = make_post("Бухгалтер")
    worker = make_worker("Мария Кузнецова", post=post)
    idle = make_worker("Олег Сидоров", post=post)
    client = make_client("Валерия", "Иванова", sum=Decimal("1937124.91"))
    order = make_order(executor=worker, client=client, title="Покупка эфира", sum=Decimal("39500000.00"))
    make_order(executor=idle, client=make_client("Пётр", "Орлов"), title="Продажа монет")
    dismissed = make_worker("Семён Ёлкин", post=post)
    try:
        worker_dismiss(worker=dismissed)
    except TypeError:  # the service's signature changed; the page is still rendered without it
        pass
    mailing = mailing_create(
        created_by=cast.manager,
        audience="clients",
        filter_params={},
        subject="Новости недели",
        body_text="Здравствуйте!",
    )
    coin = Coin.objects.create(symbol="BTC", name="Биткоин")
    now = timezone.now()
    for hours in (0, 1, 2):
        at = now - timedelta(hours=hours)
        Quote.objects.create(
            coin=coin, source="coingecko-api", price_usd=Decimal("13000"), fetched_at=at, bucket=bucket_of(at)
        )
    SourceStatus.objects.create(source="coingecko-api", last_run_at=now, last_success_at=now, last_stored=1)
    return {
        "orders": [order],
        "staff": [worker, dismissed, post],
        "clients": [client],
        "mailing": [mailing],
        "prices": [coin],
        "symbol": coin.symbol,
        "action": "cancel",
    }


def site_patterns(patterns=None, prefix="", namespace=None):
    """(name, converter names) of every named URL outside the admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = (
                namespace
                if not entry.namespace
                else (f"{namespace}:{entry.namespace}" if namespace else entry.namespace)
            )
            yield from site_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in SKIPPED_NAMES:
                yield name, list(entry.pattern.converters)


def candidate_urls(name: str, params: list[str], world: dict) -> list[str]:
    """Each way to fill the URL's parts with the world's objects, in order of likelihood."""
    if not params:
        return [reverse(name)]
    objects = world.get(name.split(":")[0], [])
    options = []
    for obj in objects:
        kwargs = {}
        for param in params:
            if param in {"pk", "id"} or param.endswith("_pk") or param.endswith("_id"):
                kwargs[param] = obj.pk
            elif param in world:  # "symbol", "action"
                kwargs[param] = world[param]
        if len(kwargs) == len(params):
            try:
                options.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                pass
    return options


def admin_urls(world: dict) -> list[str]:
    urls = [reverse("admin:index")]
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        urls.append(reverse("admin:app_list", kwargs={"app_label": app_label}))
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls += [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None and model._meta.app_label in OWN_APPS:
            for view in ("change", "history", "delete"):
                urls.append(reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk]))
    return urls


def check(client, url: str, who: str, data: list[str], found: dict[str, set[str]]) -> int:
    """GET url and record its English strings (and a server error) under "url (who)"."""
    response = client.get(url)
    if response.status_code >= 500:
        found["<server error>"].add(f"{url} ({who})")
    if "text/html" in response.get("Content-Type", ""):
        for text in english_in(response.text, data):
            found[text].add(f"{url} ({who})")
    return response.status_code


def as_user(client, user) -> None:
    client.force_login(user)
    client.cookies["django_language"] = "ru"


def render_site(client, cast, world, data, found) -> list[str]:
    """Every named URL as every role; returns the names no role could open."""
    never_shown = []
    for name, params in sorted(site_patterns()):
        urls = candidate_urls(name, params, world)
        shown = False
        for role in ROLES:
            as_user(client, getattr(cast, role))
            status = 0
            for url in urls:
                status = check(client, url, role, data, found)
                if status != 404 or url == urls[-1]:
                    break  # a 404 with more candidates left: the wrong kind of object, try the next
            shown |= status in {200, 403, 404, 405}  # 405: a POST-only action
        if not shown:
            never_shown.append(name)
    return never_shown


def render_all(client, cast, world) -> tuple[dict[str, set[str]], list[str]]:
    """{untranslated string: {"url (role)", ...}} over every page and role; and pages never shown."""
    client.raise_request_exception = False  # a server error is reported with its URL
    data = stored_strings()
    found: dict[str, set[str]] = defaultdict(set)
    never_shown = render_site(client, cast, world, data, found)
    as_user(client, cast.admin)
    for url in admin_urls(world):
        check(client, url, "admin", data, found)
    # The pages nobody reaches by a link: no role, an unknown address.
    as_user(client, cast.outsider)
    for url in ("/orders/", "/no-such-page/"):
        check(client, url, "outsider", data, found)
    client.logout()
    client.cookies["django_language"] = "ru"
    check(client, reverse("login"), "visitor", data, found)
    return found, never_shown


def test_every_page_in_russian_has_no_untranslated_english(client, cast, world):
    found, never_shown = render_all(client, cast, world)
    report = "\n".join(
        f"  {text!r} on {', '.join(sorted(where)[:4])}{' …' if len(where) > 4 else ''}"
        for text, where in sorted(found.items())
    )
    assert not found, (
        f"{len(found)} English strings on Russian pages (translate them in locale/ru/LC_MESSAGES/django.po, "
        f"or add a word that must stay Latin to ALLOWED in {__name__}):\n{report}"
    )
    assert not never_shown, f"no role could open these URL names with the test's objects: {never_shown}"


def test_the_checker_catches_english_and_lets_data_through():
    html = (
        '<p>Заказы <b>Orders</b></p><input type="submit" value="Save"><span title="Сохранить">x</span>'
        "<script>var ok = 1;</script><p>ivan@mail.example · BTC · Мария Smith</p>"
        "<svg><text>39.5M</text><text>39,5 млн</text></svg>"
    )
    assert english_in(html, ["Smith"]) == ["Orders", "Save", "39.5M"]
