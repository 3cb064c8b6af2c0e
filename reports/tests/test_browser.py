from decimal import Decimal

import pytest

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
