"""The shared frame in a real Chromium, at a laptop's 1366×768 and a phone's 390×844, in
English and Russian: no page scrolls sideways, the skip link works, lists and filters fit a
phone, error pages are styled, and the reports' charts never cover their tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import login
from corpnet.testing import make_client, make_order, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PAGES = ["/", "/orders/", "/clients/", "/staff/", "/staff/posts/", "/reports/", "/mailing/", "/prices/"]


@pytest.fixture
def tab(browser, live_server):
    """tab(size, language) → a logged-out tab of that size whose pages come in that language."""
    contexts = []

    def make(size: dict, language: str = "en"):
        context = browser.new_context(base_url=live_server.url, viewport=size, locale="en-US")
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def data(cast):
    """A few long names and big sums: what widens a table most."""
    worker = make_worker(
        "Констанция Владиславовна Долгорукова-Преображенская", email="konstantsiya.dolgorukova@corpnet.example"
    )
    client = make_client(
        "Валерия",
        "Иванова-Голенищева-Кутузова",
        email="valeriya.ivanova.golenishcheva@mail.example",
        sum=Decimal("1937124.91"),
    )
    for i in range(3):
        make_order(
            executor=worker,
            client=client,
            title=f"Покупка эфира и биткоина на долгий срок {i}",
            sum=Decimal("39500000.50"),
        )
    return cast


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''))
  .slice(0, 8)"""


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
def test_no_page_scrolls_sideways(tab, data, size, language):
    page = tab(size, language)
    login(page, "manager")
    page.wait_for_url("**/")
    wide = {}
    for path in PAGES:
        page.goto(path)
        if overflow(page) > 0:
            wide[path] = (overflow(page), page.evaluate(WIDEST))
    assert wide == {}, (
        f"pages wider than {size['width']} px ({language}), by px, with the elements that stick out: {wide}"
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_skip_link_is_the_first_tab_stop_and_lands_on_the_content(tab, data, language):
    page = tab(LAPTOP, language)
    login(page, "employee")
    page.wait_for_url("**/")
    page.goto("/clients/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")


def test_on_a_phone_the_filters_wait_behind_a_button_and_the_first_row_is_near(tab, data):
    page = tab(PHONE, "ru")
    login(page, "employee")
    page.wait_for_url("**/")
    page.goto("/clients/")
    box = page.locator("details.filter-box")
    assert box.get_attribute("open") is None
    summary = page.locator("details.filter-box > summary")
    assert summary.is_visible() and summary.inner_text() == "Фильтры"
    first_row = page.locator("table[data-cards] tbody tr").first
    assert first_row.bounding_box()["y"] < PHONE["height"], "the first result is on the first screen"
    # Every column of the card, the deposit included, is within the screen's width.
    for cell in first_row.locator("td").all():
        if cell.is_visible():
            cell_box = cell.bounding_box()
            assert cell_box["x"] >= 0 and cell_box["x"] + cell_box["width"] <= PHONE["width"]
    # Keyboard: skip link, then the Filters button and the column sort links, then the first
    # result (it took 32 stops through the header and an open filter form before).
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    stops = 0
    while stops < 10:
        page.keyboard.press("Tab")
        stops += 1
        if page.evaluate("!!document.activeElement.closest('tbody')"):
            break
    sort_links = page.locator("table[data-cards] thead a").count()
    assert stops <= 1 + sort_links + 1, f"{stops} Tab stops from the content to the first result"
    summary.click()
    assert box.get_attribute("open") is not None
    assert page.locator("details.filter-box form").is_visible()


def test_a_closed_filter_button_says_how_many_filters_are_set(tab, data):
    page = tab(PHONE, "en")
    login(page, "employee")
    page.wait_for_url("**/")
    page.goto("/clients/?name=Вал&size=25")
    assert page.locator("details.filter-box > summary").get_attribute("data-count") == "1"
    page.goto("/clients/")
    assert page.locator("details.filter-box > summary").get_attribute("data-count") is None


def test_on_a_laptop_the_filters_are_open(tab, data):
    page = tab(LAPTOP, "en")
    login(page, "employee")
    page.wait_for_url("**/")
    page.goto("/orders/")
    assert page.locator("details.filter-box form").is_visible()
    assert not page.locator("details.filter-box > summary").is_visible()


@pytest.mark.parametrize(("language", "heading"), [("en", "Page not found"), ("ru", "Страница не найдена")])
@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
def test_error_pages_are_styled_and_keep_the_navigation(tab, data, size, language, heading):
    page = tab(size, language)
    login(page, "employee")
    page.wait_for_url("**/")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == heading
    assert page.locator("nav.mainnav a").count() >= 5
    # The stylesheet applied: the message sits on a white card, not on a bare page.
    assert page.locator(".error-page").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert overflow(page) <= 0
    # And the favicon is found, here and on pages that name none.
    assert page.request.get("/favicon.ico").ok


@pytest.mark.parametrize("width", [1280, 1366, 1600, 1920])
def test_the_reports_charts_never_cover_their_tables(tab, data, width):
    page = tab({"width": width, "height": 900}, "ru")
    login(page, "employee")
    page.wait_for_url("**/")
    page.goto("/reports/")
    for section in ("#workload", "#clients"):
        table = page.locator(f"{section} .table-box").bounding_box()
        chart = page.locator(f"{section} .chart-box").bounding_box()
        side_by_side = chart["x"] >= table["x"] + table["width"] - 0.5
        below = chart["y"] >= table["y"] + table["height"] - 0.5
        assert side_by_side or below, f"{section} at {width} px: chart {chart} overlaps table {table}"
    assert overflow(page) <= 0
