import csv
import io

import pytest

from conftest import login
from corpnet.testing import make_client, make_order, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def orders(cast):
    anna = make_client("Анна", "Иванова")
    mine = [make_order(client=anna, title=f"Покупка BTC {i}") for i in range(3)]
    make_order(client=make_client("John", "Smith"), title="Someone else's order")
    return mine


def test_an_employee_filters_by_a_cyrillic_client_name_opens_an_order_and_exports_csv(page, orders):
    login(page, "employee")
    page.wait_for_selector("[data-figure=active-orders]")
    page.goto("/orders/")
    page.fill("#id_client_name", "ИВАНОВА")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**client_name=*")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 3
    assert "Someone else's order" not in page.inner_text("table.list")

    with page.expect_download() as download_info:
        page.click("[data-export]")
    body = open(download_info.value.path(), encoding="utf-8-sig").read()
    exported = list(csv.reader(io.StringIO(body)))
    assert exported[0][0] == "ID"
    assert sorted(int(r[0]) for r in exported[1:]) == sorted(o.pk for o in orders)

    page.click("table.list tbody tr >> nth=0 >> a >> nth=0")
    page.wait_for_selector("dl.details")
    assert "/orders/" in page.url and "Иванова" in page.inner_text("dl.details")


def test_switching_the_language_shows_the_page_in_russian(page, orders):
    login(page, "employee")
    page.wait_for_selector("[data-figure=active-orders]")
    page.goto("/orders/")
    assert page.inner_text("h1") == "Orders"
    with page.expect_navigation():
        page.select_option("#language", "ru")
    assert page.inner_text("h1") == "Заказы"
    assert "Фильтровать" in page.inner_text("form.filters")
    assert page.url.endswith("/orders/")


def test_a_name_typed_before_the_finder_script_arrived_still_gets_its_matches(page, cast):
    """On a slow connection the page is usable before its deferred finder.js has run: what was
    typed by then is looked up once the script arrives, not only on the next keystroke."""
    executor = make_worker("Петров Иван")
    held = []

    def hold(route):  # the script is held back until the name is typed
        held.append(route)

    page.route("**/js/finder*.js", hold)
    login(page, "manager")
    page.wait_for_selector(".who")
    client = make_client("Анна", "Иванова")
    page.goto(f"/orders/new/?client={client.pk}", wait_until="commit")
    page.fill("#id_executor", "петров")
    page.wait_for_timeout(100)
    assert held, "the page asked for finder.js"
    assert page.locator("#executor-found option").count() == 0
    held[0].continue_()
    page.wait_for_selector(f"#executor-found option[value$='#{executor.pk}']", state="attached")
