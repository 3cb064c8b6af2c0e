from decimal import Decimal

import pytest
from django.conf import settings

from conftest import login
from corpnet.testing import make_client, make_order, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_opens_the_reports_from_the_navigation_and_sees_the_charts(page, cast):
    make_order(executor=make_worker("Ольга Кузнецова"), client=make_client("Борис", "Орлов"), sum=Decimal("750.00"))
    login(page, "employee")
    page.click("nav >> text=Reports")
    page.wait_for_selector("svg[data-chart=workload]")
    assert page.url.endswith("/reports/")
    for chart in ("workload", "clients", "months"):
        box = page.locator(f"svg[data-chart={chart}]").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40
    assert page.locator("svg[data-chart=workload] rect").count() >= 2  # the legend swatch and a bar
    assert "Ольга Кузнецова" in page.inner_text("#workload table")


def test_a_bad_filter_shows_a_message_next_to_the_field(page, cast):
    login(page, "employee")
    page.goto("/reports/?top=0")
    assert page.locator("[data-problem=filters]").is_visible()
    assert page.locator(".report-filters .errorlist").is_visible()


def _overlap(a: dict, b: dict) -> float:
    """The area two bounding boxes share, in square CSS pixels."""
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("ru", 1366), ("en", 1920), ("ru", 1920)])
def test_the_charts_never_cover_the_tables_beside_them(page, cast, live_server, language, width):
    worker = make_worker("Константин Константинопольский")
    client = make_client("Александра", "Преображенская-Оболенская")
    make_order(executor=worker, client=client, sum=Decimal("1234567890.12"))
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    login(page, "employee")
    page.goto("/reports/")
    for report in ("workload", "clients"):
        table = page.locator(f"#{report} table").bounding_box()
        chart = page.locator(f"svg[data-chart={report}]").bounding_box()
        assert _overlap(table, chart) == 0, (report, table, chart)
        # Nothing is drawn over any header cell: the cell itself is what a click at its centre hits.
        for index in range(page.locator(f"#{report} thead th").count()):
            cell = page.locator(f"#{report} thead th").nth(index)
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= width, (report, index, box)
            hit = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.closest('th')?.textContent",
                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - page.evaluate("window.scrollY")],
            )
            assert hit == cell.text_content(), (report, index, hit)
