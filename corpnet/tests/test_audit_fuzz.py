"""The security audit's fuzz, repeated: every filter and form field gets hostile values, as each
role, and no answer is a server error (400, 403 or a page with the form's errors are fine).

The fields come from the FilterSets and forms themselves (``base_filters`` / ``form.fields``),
so a new filter is fuzzed without touching this file. See docs/security.md, "Audit tests".
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from corpnet.tests.test_url_matrix import RULES, entries

pytestmark = pytest.mark.django_db

HOSTILE = (
    "x" * 5000,
    "'; DROP TABLE staff_worker; --",
    "%00",
    "\x00",
    "1e309",
    "-1",
    "９９",
    "1 000,50",
    "31.02.2026",
    "\u202eRTL\u202c",
    "NaN",
    "[]",
    "<script>window.__xss=1</script>",
    "  ",  # blank but not empty: a range's two ends clean to nothing
    "99999999999999999999999",
    "inf",
)
ROLES = ("employee", "manager", "hr", "admin")


def keys_of(form) -> list[str]:
    """The query parameters a form reads: a range field's ``sum_min`` / ``sum_max`` included."""
    keys = []
    for name, field in form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        keys += [f"{name}_{s}" if s else name for s in suffixes] if suffixes else [name]
    return keys


def targets() -> list[tuple[str, list[str]]]:
    """(URL, parameters) for every list page, export, API list, the report and the mailing page."""
    from clients.filters import ClientFilter
    from orders.filters import OrderFilter
    from prices.api.filters import CoinFilter, QuoteFilter
    from reports.forms import ReportFilterForm
    from staff.filters import WorkerFilter

    paging = ["page", "page_size", "cursor", "format", "ordering"]
    by_filter = {
        WorkerFilter: ["staff:list", "staff:export", "api:worker-list"],
        ClientFilter: ["clients:list", "clients:export", "api:client-list"],
        OrderFilter: ["orders:list", "orders:export", "api:order-list"],
        CoinFilter: ["api:coin-list"],
        QuoteFilter: ["api:quote-list"],
    }
    found = [(reverse(n), keys_of(fs().form) + paging) for fs, names in by_filter.items() for n in names]
    found.append((reverse("reports"), keys_of(ReportFilterForm()) + paging))
    found += [(reverse(n), paging) for n in ("staff:posts", "mailing:list", "prices:list", "api:post-list")]
    found.append((reverse("api:mailing-list"), paging))
    found.append((reverse("prices:detail", kwargs={"symbol": "BTC"}), ["range", "page"]))
    mailing = ["audience"] + keys_of(WorkerFilter().form) + keys_of(ClientFilter().form)
    found.append((reverse("mailing:new"), mailing))
    return found


def server_errors(client, url: str, params: dict) -> list[str]:
    response = client.get(url, params)
    return [f"GET {url} {str(params)[:200]} → {response.status_code}"] if response.status_code >= 500 else []


def test_every_filter_field_survives_hostile_values(client, cast, settings):
    """Admin: each field alone with each value, and as a repeated parameter (``?x=1&x=2``)."""
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(cast.admin)
    errors, asked = [], 0
    for url, keys in targets():
        for key in keys:
            for value in HOSTILE:
                errors += server_errors(client, url, {key: value})
            errors += server_errors(client, url, {key: ["1", "2", HOSTILE[1]]})
            asked += len(HOSTILE) + 1
    assert asked > 500
    assert not errors, f"{len(errors)} of {asked} requests answered 5xx:\n" + "\n".join(errors)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_survives_every_field_garbled_at_once(client, cast, settings, role):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(getattr(cast, role))
    errors = []
    for url, keys in targets():
        for value in HOSTILE:
            errors += server_errors(client, url, dict.fromkeys(keys, value))
    assert not errors, "\n".join(errors)


def _mailing_post(value: str, audience: str) -> dict:
    from clients.filters import ClientFilter
    from staff.filters import WorkerFilter

    fields = keys_of(WorkerFilter().form) + keys_of(ClientFilter().form)
    data = {f"f-{k}": value for k in fields}
    data.update(audience=audience, shown_audience=audience, subject=value[:150], body_text=value)
    data.update(filter_query=value[:5000], person=value, email=value, confirm_count=value, confirm_key=value)
    return data


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_the_mailing_preview_and_send_survive_hostile_forms(client, cast, settings, role):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(getattr(cast, role))
    errors = []
    for audience in ("workers", "clients", "person", "address", HOSTILE[1]):
        for value in HOSTILE:
            for action in ("preview", "apply", "send", value):
                data = _mailing_post(value, audience) | {"action": action}
                response = client.post(reverse("mailing:new"), data)
                if response.status_code >= 500:
                    errors.append(f"POST mailing:new {audience}/{action}/{value[:30]!r} → {response.status_code}")
    assert not errors, "\n".join(errors)


def nested(depth: int) -> str:
    """``{"a": [{"a": [… 1 …]}]}``, written out (``json.dumps`` itself gives up past ~1000)."""
    return '{"a": [' * depth + "1" + "]}" * depth


def api_post_urls(cast) -> list[str]:
    from corpnet.tests.test_url_matrix import OBJECTS, url_for

    urls = []
    for key, entry in entries().items():
        rule = RULES.get(key)
        if key.startswith("api:") and rule is not None and (rule.method == "post" or key.endswith("-list")):
            urls.append(url_for(entry, rule, OBJECTS[rule.obj](cast) if rule.obj else None))
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_api_posts_survive_deep_and_broken_json(api, cast, role):
    client = api(getattr(cast, role))
    client.raise_request_exception = False
    bodies = [nested(5000), nested(50), "{" * 10000, '{"x": 1e309}', "[]", '"\\u0000"', "null"]
    errors = []
    for url in api_post_urls(cast):
        for body in bodies:
            response = client.generic("POST", url, body, content_type="application/json")
            if response.status_code >= 500:
                errors.append(f"POST {url} {body[:40]!r} → {response.status_code}")
    assert not errors, "\n".join(errors)
