"""The security audit's stored-markup check, repeated against a served instance: every text
field pages show holds hostile markup (written through the ORM, past the forms), and every page
is loaded in Chromium as admin and as manager. No script may run, no dialog open, no element be
built from the data, and the markup must be visible as text — escaped, not stripped.

One pass runs with the browser ignoring the Content-Security-Policy, so escaping alone is proven
(the policy would otherwise block inline script by itself). See docs/security.md, "Audit tests".
"""

from __future__ import annotations

import pytest

from conftest import login
from corpnet.tests.test_csp_browser import ADMIN_ACTIONS
from corpnet.tests.test_url_matrix import OBJECTS, OK, ROLES, RULES, admin_model_rule, entries, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = '"><script>window.__xss=1</script>'
SIGN = "window.__xss=1"  # in the page's text when the markup was escaped

#: What the markup could have built, had it not been escaped.
PROBE = """() => ({
  xss: typeof window.__xss,
  img: document.querySelectorAll('img[src="x"]').length,
  script: [...document.scripts].filter(s => s.text.includes('__xss')).length,
  text: document.body ? document.body.innerText.includes('window.__xss=1') : false,
})"""


def poison() -> int:
    """Every stored text field a page shows gets markup; returns how many rows were changed."""
    from clients.models import Client
    from mailing.models import Mailing, MailingEvent, Recipient
    from orders.models import Order
    from prices.models import Coin, Quote, SourceStatus
    from staff.models import Post, Worker

    fields = {
        Post: {"title": IMG, "description": SCRIPT},
        Worker: {"name": SCRIPT},
        Client: {"name": IMG, "lastname": SCRIPT},
        Order: {"title": SCRIPT, "description": IMG},
        Mailing: {"subject": IMG, "body_text": SCRIPT, "audience_description": IMG},
        Recipient: {"name": SCRIPT, "lastname": IMG},
        MailingEvent: {"detail": SCRIPT},
        Coin: {"name": IMG},
        Quote: {"status_note": SCRIPT},
        SourceStatus: {"last_error": IMG},
    }
    changed = 0
    for model, values in fields.items():
        for pk in model.objects.values_list("pk", flat=True):
            # A number in front keeps unique titles unique; the markup stays whole.
            model.objects.filter(pk=pk).update(**{k: f"{pk}{v}" for k, v in values.items()})
            changed += 1
    return changed


def pages(cast, role: str) -> list[str]:
    """The pages the role may open (GET, answered OK), each one's object made first."""
    index = ROLES.index(role)
    urls = []
    for key, entry in entries().items():
        rule = RULES.get(key)
        if rule is not None:
            if rule.method != "get" or rule.expect[index] != OK or key in ("admin:logout", "api:schema"):
                continue
            url = url_for(entry, rule, OBJECTS[rule.obj](cast) if rule.obj else None)
            if not url.endswith(".csv"):
                urls.append(url)
            continue
        model_action = admin_model_rule(entry.name)
        if role == "admin" and model_action and model_action[1] in ADMIN_ACTIONS:
            label, action = model_action
            urls.append(url_for(entry, None, OBJECTS[label](cast) if action == "change" else None))
    return urls


def visit(page, urls: list[str]) -> tuple[list[str], int]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ran, shown = [], 0
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        probe = page.evaluate(PROBE)
        if probe["xss"] != "undefined" or probe["img"] or probe["script"]:
            ran.append(f"{url}: {probe}")
        shown += probe["text"]
    assert not dialogs, dialogs
    return ran, shown


@pytest.mark.parametrize(
    ("role", "bypass_csp"),
    [("admin", True), ("manager", True), ("admin", False)],
    ids=["admin-nocsp", "manager-nocsp", "admin-csp"],
)
def test_stored_markup_never_runs_and_shows_as_text(browser, live_server, cast, role, bypass_csp):
    from corpnet.testing import make_order

    make_order()
    urls = pages(cast, role)
    assert poison() > 10
    context = browser.new_context(base_url=live_server.url, locale="en-US", bypass_csp=bypass_csp)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        login(page, role)
        page.wait_for_url("**/")
        ran, shown = visit(page, urls)
    finally:
        context.close()
    assert len(urls) > (40 if role == "admin" else 20)
    assert not ran, "markup built elements or ran:\n" + "\n".join(ran)
    # The list and detail pages of posts, workers, clients, orders, mailings and prices show it.
    assert shown >= 10, f"the markup was shown as text on only {shown} of {len(urls)} pages"
