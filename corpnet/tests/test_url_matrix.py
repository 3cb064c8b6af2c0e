"""Every URL the project serves, asked by every role: who gets in, who is refused.

The test walks Django's URL resolver (pages, exports, API, admin) and asks each pattern as
an anonymous visitor, a logged-in user with no group ("outsider"), employee, manager, hr and
a superuser. The answer each one must get is written below in RULES (keyed by URL name, or by
the pattern's text when it has no name). A URL without a rule fails the suite: whoever adds a
URL decides who may use it, here, in the same commit.

Answers (what the response means, not its exact status):
  OK    — served: 2xx, or a redirect that is not to a login page, or 400 (a form's errors)
  DENY  — 403 (a logged-in user without the permission)
  LOGIN — sent to a login page (302 to /accounts/login/ or /admin/login/), or 401 from the API
  GONE  — 404 (e.g. a page that only exists with DEBUG on)
  NOPE  — 405 (the method is not allowed for anyone)

Admin model pages are not listed one by one: ADMIN_MODELS says, for every registered model,
whether its admin may write ("rw") or only shows ("ro"); what each role may do there then
follows from the role's model permissions (accounts/roles.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from corpnet.testing import make_client, make_order, make_post, make_worker

pytestmark = pytest.mark.django_db

OK, DENY, LOGIN, GONE, NOPE = "ok", "403", "login", "404", "405"
ROLES = ("anonymous", "outsider", "employee", "manager", "hr", "admin")

# Who may do what, in ROLES order.
EVERYONE = (OK, OK, OK, OK, OK, OK)
LOGGED_IN = (LOGIN, OK, OK, OK, OK, OK)
LOOK = (LOGIN, DENY, OK, OK, OK, OK)  # any role may look
HR = (LOGIN, DENY, DENY, DENY, OK, OK)  # staff management
SENDER = (LOGIN, DENY, DENY, OK, DENY, OK)  # mailings
EXPORT = (LOGIN, DENY, DENY, OK, DENY, OK)  # bulk export of client data
WRITER = (LOGIN, DENY, DENY, OK, DENY, OK)  # registers clients and orders
DEBUG_ONLY = (LOGIN, GONE, GONE, GONE, GONE, GONE)
# The admin: only staff (hr, admin) get past its login.
ADMIN_ANY_STAFF = (LOGIN, LOGIN, LOGIN, LOGIN, OK, OK)


@dataclass(frozen=True)
class Rule:
    expect: tuple[str, ...]
    #: The factory (OBJECTS) whose object fills ``pk`` / ``object_id``.
    obj: str | None = None
    method: str = "get"
    #: Other URL arguments, by name.
    kwargs: dict = field(default_factory=dict)
    #: For a pattern without a name: the path to ask, with ``{obj}`` for the object's pk.
    path: str | None = None


RULES: dict[str, Rule] = {
    "home": Rule(LOGGED_IN),  # a user with no role sees a "no role yet" note and no figures
    "healthz": Rule(EVERYONE),
    "favicon": Rule(EVERYONE),  # a redirect to the static icon
    "login": Rule(EVERYONE),
    "logout": Rule((LOGIN, NOPE, NOPE, NOPE, NOPE, NOPE)),  # POST only
    "set_language": Rule(EVERYONE, method="post"),
    "orders:list": Rule(LOOK),
    "orders:export": Rule(LOOK),
    "orders:detail": Rule(LOOK, obj="order"),
    "orders:new": Rule(WRITER),
    "orders:edit": Rule(WRITER, obj="order"),
    "orders:status": Rule(WRITER, obj="order", method="post"),
    "orders:find_executors": Rule(WRITER),
    "orders:find_clients": Rule(WRITER),
    "staff:list": Rule(LOOK),
    "staff:export": Rule(LOOK),
    "staff:detail": Rule(LOOK, obj="worker"),
    "staff:new": Rule(HR),
    "staff:edit": Rule(HR, obj="worker"),
    "staff:delete": Rule(HR, obj="worker"),
    "staff:reassign": Rule(HR, obj="worker"),
    "staff:dismiss": Rule(HR, obj="worker"),
    "staff:reinstate": Rule(HR, obj="worker", method="post"),
    "staff:restore": Rule(HR, obj="worker", method="post"),
    "staff:posts": Rule(LOOK),
    "staff:post_new": Rule(HR),
    "staff:post_edit": Rule(HR, obj="post"),
    "staff:post_delete": Rule(HR, obj="post"),
    "clients:list": Rule(LOOK),
    "clients:export": Rule(EXPORT),
    "clients:detail": Rule(LOOK, obj="client"),
    "clients:new": Rule(WRITER),
    "clients:edit": Rule(WRITER, obj="client"),
    "reports": Rule(LOOK),
    "mailing:list": Rule(LOOK),
    "mailing:new": Rule(SENDER),
    "mailing:detail": Rule(LOOK, obj="mailing"),
    "mailing:action": Rule(SENDER, obj="mailing", method="post", kwargs={"action": "pause"}),
    "mailing:outbox": Rule(DEBUG_ONLY),
    "prices:list": Rule(LOOK),
    "prices:detail": Rule(LOOK, obj="coin", kwargs={"symbol": "BTC"}),
    # The API: the same permissions as the pages; anonymous gets 401.
    "api:api-root": Rule(LOGGED_IN),
    "api:schema": Rule(LOGGED_IN),
    "api:docs": Rule(LOGGED_IN),
    "api/^v1/": Rule((GONE,) * 6, path="/api/v1/nothing-here/"),  # a JSON 404 for everyone
    "api:post-list": Rule(LOOK),
    "api:post-detail": Rule(LOOK, obj="post"),
    "api:worker-list": Rule(LOOK),
    "api:worker-detail": Rule(LOOK, obj="worker"),
    "api:worker-dismiss": Rule(HR, obj="worker", method="post"),
    "api:worker-reassign-orders": Rule(HR, obj="worker", method="post"),
    "api:worker-reinstate": Rule(HR, obj="worker", method="post"),
    "api:client-list": Rule(LOOK),
    "api:client-detail": Rule(LOOK, obj="client"),
    "api:order-list": Rule(LOOK),
    "api:order-detail": Rule(LOOK, obj="order"),
    "api:mailing-list": Rule(LOOK),
    "api:mailing-detail": Rule(LOOK, obj="mailing"),
    "api:mailing-recipients": Rule(LOOK, obj="mailing"),
    "api:mailing-pause": Rule(SENDER, obj="mailing", method="post"),
    "api:mailing-resume": Rule(SENDER, obj="mailing", method="post"),
    "api:mailing-cancel": Rule(SENDER, obj="mailing", method="post"),
    "api:mailing-retry-failed": Rule(SENDER, obj="mailing", method="post"),
    "api:mailing-retry-unknown": Rule(SENDER, obj="mailing", method="post"),
    "api:coin-list": Rule(LOOK),
    "api:coin-detail": Rule(LOOK, obj="coin"),
    "api:quote-list": Rule(LOOK),
    "api:quote-detail": Rule(LOOK, obj="quote"),
    # The admin's own pages.
    "admin:index": Rule(ADMIN_ANY_STAFF),
    "admin:login": Rule(EVERYONE),
    # POST only; a non-staff user is sent to the admin's index (then to its login).
    "admin:logout": Rule((LOGIN, OK, OK, OK, NOPE, NOPE)),
    "admin:password_change": Rule(ADMIN_ANY_STAFF),
    "admin:password_change_done": Rule(ADMIN_ANY_STAFF),
    "admin:autocomplete": Rule((LOGIN, LOGIN, LOGIN, LOGIN, DENY, DENY)),  # needs a term and a field
    "admin:jsi18n": Rule(ADMIN_ANY_STAFF),
    "admin:view_on_site": Rule(
        (LOGIN, LOGIN, LOGIN, LOGIN, GONE, GONE), kwargs={"content_type_id": "0", "object_id": "0"}
    ),
    "admin:app_list": Rule(ADMIN_ANY_STAFF, kwargs={"app_label": "staff"}),
    "admin:auth_user_password_change": Rule((LOGIN, LOGIN, LOGIN, LOGIN, DENY, OK), obj="auth.user"),
    "admin/(?P<url>.*)$": Rule((LOGIN, LOGIN, LOGIN, LOGIN, GONE, GONE), path="/admin/no-such-page/"),
}

#: Every model registered in the admin: "rw" (the admin writes, with the model's permissions)
#: or "ro" (shown only: nobody adds, changes or deletes there).
ADMIN_MODELS: dict[str, str] = {
    "accounts.apitoken": "ro",
    "accounts.exportrecord": "ro",
    "auth.group": "rw",
    "auth.user": "rw",
    "django_tasks_database.dbtaskresult": "ro",
    "staff.post": "rw",
    "staff.worker": "rw",
    "clients.client": "rw",
    "orders.order": "rw",
    "mailing.mailing": "ro",
    "mailing.recipient": "ro",
    "mailing.mailingevent": "ro",
    "prices.coin": "ro",
    "prices.quote": "ro",
    "prices.sourcestatus": "ro",
}
ADMIN_ACTIONS = ("changelist", "add", "change", "delete", "history", "simple_history", "redirect")

HOW_TO_ADD = (
    "Add a rule for each to RULES in corpnet/tests/test_url_matrix.py (key: the URL name, or the "
    "pattern's text when it has no name; value: Rule(<answers for {roles}>, obj=<factory for pk>)), "
    "or list a new admin model in ADMIN_MODELS."
).format(roles=", ".join(ROLES))


# ---------------------------------------------------------------------------------------------
# The objects URLs point at, made fresh for each URL (a delete must not spoil the next one).


def _mailing(cast):
    from mailing.models import Mailing

    return Mailing.objects.create(
        created_by=cast.manager, audience="clients", subject="S", body_text="B", heartbeat_at=timezone.now()
    )


def _coin(cast):
    from prices.models import Coin

    return Coin.objects.get_or_create(symbol="BTC", defaults={"name": "Bitcoin"})[0]


def _quote(cast):
    from prices.models import Quote, bucket_of

    now = timezone.now()
    if Quote.objects.exists():
        return Quote.objects.first()
    return Quote.objects.create(
        coin=_coin(cast), source="coingecko-api", price_usd=Decimal("60000"), fetched_at=now, bucket=bucket_of(now)
    )


def _sourcestatus(cast):
    from prices.models import SourceStatus

    return SourceStatus.objects.get_or_create(source="coingecko-api")[0]


def _task_result(cast):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        priority=0,
        task_path="mailing.tasks.send_mailing",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() + timedelta(days=1),
    )


def _recipient(cast):
    from mailing.models import Recipient

    mailing = _mailing(cast)
    return Recipient.objects.create(mailing=mailing, email="r@mail.example", email_key="r@mail.example", kind="client")


def _event(cast):
    from mailing.models import MailingEvent

    return MailingEvent.objects.create(mailing=_mailing(cast), actor=cast.manager, action=MailingEvent.Action.CREATED)


def _token(cast):
    from accounts.api_tokens import issue

    return issue(user=cast.employee)[0]


def _export(cast):
    from accounts.models import ExportRecord

    return ExportRecord.objects.create(user=cast.manager, what="clients.csv", row_count=1)


OBJECTS = {
    "accounts.apitoken": _token,
    "accounts.exportrecord": _export,
    "post": lambda cast: make_post(),
    "worker": lambda cast: make_worker(),
    "client": lambda cast: make_client(),
    "order": lambda cast: make_order(),
    "mailing": _mailing,
    "coin": _coin,
    "quote": _quote,
    # The admin's models, by label.
    "auth.group": lambda cast: Group.objects.get(name="employee"),
    "auth.user": lambda cast: cast.employee,
    "django_tasks_database.dbtaskresult": _task_result,
    "staff.post": lambda cast: make_post(),
    "staff.worker": lambda cast: make_worker(),
    "clients.client": lambda cast: make_client(),
    "orders.order": lambda cast: make_order(),
    "mailing.mailing": _mailing,
    "mailing.recipient": _recipient,
    "mailing.mailingevent": _event,
    "prices.coin": _coin,
    "prices.quote": _quote,
    "prices.sourcestatus": _sourcestatus,
}


# ---------------------------------------------------------------------------------------------
# Walking the resolver.


@dataclass
class Entry:
    key: str  # the URL name, or the pattern's text
    name: str | None
    pattern: str
    positional: int  # unnamed groups (simple_history's admin pages)


def walk(resolver=None, prefix: str = "", namespace: str | None = None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            text = prefix + str(p.pattern)
            name = (f"{namespace}:{p.name}" if namespace else p.name) if p.name else None
            regex = p.pattern.regex
            yield Entry(name or text, name, text, regex.groups - len(regex.groupindex))


def entries() -> dict[str, Entry]:
    """One entry per key; format-suffix twins (``posts.json``) share the name and the view."""
    found: dict[str, Entry] = {}
    for entry in walk():
        if "format" in entry.pattern and entry.key in found:
            continue
        if entry.key not in found or "format" in found[entry.key].pattern:
            found[entry.key] = entry
    return found


def admin_model_rule(name: str) -> tuple[str, str] | None:
    """``admin:staff_post_change`` → ("staff.post", "change") for a registered model."""
    if not name or not name.startswith("admin:"):
        return None
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) and name[len(prefix) :] in ADMIN_ACTIONS:
            return model._meta.label_lower, name[len(prefix) :]
    return None


def admin_model_of_pattern(pattern: str) -> str | None:
    """The admin's unnamed ``<app>/<model>/<object_id>/`` redirect → the model's label."""
    for model in admin.site._registry:
        if pattern == f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/":
            return model._meta.label_lower
    return None


def test_every_url_has_a_rule():
    missing = []
    for key, entry in entries().items():
        if key in RULES or admin_model_rule(entry.name) or admin_model_of_pattern(entry.pattern):
            continue
        missing.append(f"{key!r} ({entry.pattern})")
    models = {m._meta.label_lower for m in admin.site._registry}
    missing += [f"admin model {label!r}" for label in sorted(models - set(ADMIN_MODELS))]
    assert not missing, f"URLs without an access rule: {', '.join(missing)}. {HOW_TO_ADD}"
    stale = sorted(set(RULES) - set(entries()))
    assert not stale, f"Rules for URLs that no longer exist (remove them): {stale}"


# ---------------------------------------------------------------------------------------------
# Asking.


def outcome(response) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302) and ("/accounts/login/" in location or "/admin/login/" in location):
        return LOGIN
    if status == 401:
        return LOGIN
    if status in (403, 404, 405):
        return str(status)
    if status >= 500:
        return f"server error {status}"
    if status < 400 or status in (400, 409):
        return OK
    return f"status {status}"


def admin_expected(label: str, action: str, role: str, user) -> str:
    if role == "anonymous" or not user.is_staff:
        return LOGIN
    if action == "redirect":
        return OK  # the old <object_id>/ address redirects to the change page
    app_label, model = label.split(".")
    read_only = ADMIN_MODELS.get(label) == "ro"
    may = {p: user.has_perm(f"{app_label}.{p}_{model}") for p in ("view", "add", "change", "delete")}
    if action in ("changelist", "change", "history", "simple_history"):
        allowed = may["view"] or may["change"]
    elif action == "add":
        allowed = may["add"] and not read_only
    else:
        allowed = may["delete"] and not read_only
    return OK if allowed else DENY


def url_for(entry: Entry, rule: Rule | None, obj) -> str:
    pk = getattr(obj, "pk", None)
    if rule is not None and rule.path:
        return rule.path.format(obj=pk)
    if entry.name is None:  # the admin's old <object_id>/ address
        return "/" + entry.pattern.replace("<path:object_id>", str(pk))
    if entry.positional:  # simple_history: /admin/<app>/<model>/<pk>/history/<history_id>/
        history_id = obj.history.latest().history_id
        return reverse(entry.name, args=[pk, history_id])
    kwargs = dict(rule.kwargs) if rule else {}
    pattern = entry.pattern
    for name in ("pk", "object_id"):
        if f"{name}>" in pattern and pk is not None:
            kwargs[name] = pk
    if "<id>" in pattern:
        kwargs["id"] = pk
    return reverse(entry.name, kwargs=kwargs)


def ask(client, method: str, url: str):
    if method == "post" and url.startswith("/api/"):
        return client.post(url, {}, content_type="application/json")
    if method == "post":
        return client.post(url, {})
    return client.get(url)


def plan(role: str, user):
    """(key, url-maker, method, expected) for every URL."""
    index = ROLES.index(role)
    for key, entry in entries().items():
        rule = RULES.get(key)
        if rule is not None:
            yield key, entry, rule, rule.obj, rule.method, rule.expect[index]
            continue
        model_action = admin_model_rule(entry.name)
        label = model_action[0] if model_action else admin_model_of_pattern(entry.pattern)
        if label is None:
            continue  # test_every_url_has_a_rule reports it
        action = model_action[1] if model_action else "redirect"
        needs_obj = "object_id" in entry.pattern or entry.positional
        yield key, entry, None, label if needs_obj else None, "get", admin_expected(label, action, role, user)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_its_rule_says(client, cast, role, settings):
    settings.DEBUG = False
    user = None if role == "anonymous" else getattr(cast, "outsider" if role == "outsider" else role)
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False  # a 500 is an answer to report, like any other
    wrong = []
    for key, entry, rule, obj_name, method, expected in plan(role, user):
        obj = OBJECTS[obj_name](cast) if obj_name else None
        url = url_for(entry, rule, obj)
        response = ask(client, method, url)
        got = outcome(response)
        if got != expected:
            wrong.append(f"{method.upper()} {url} [{key}]: expected {expected}, got {got}")
        if role != "anonymous" and key in ("logout", "admin:logout") and method == "post":
            client.force_login(user)
    assert not wrong, f"{role}: {len(wrong)} URL(s) answer differently from their rule:\n" + "\n".join(wrong)
