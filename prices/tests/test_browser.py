"""In a real browser: the price list, then a coin's chart."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import login
from demo.prices import seed_prices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_opens_the_prices_and_a_coins_chart(page, cast):
    seed_prices(now=timezone.now())
    login(page, "employee")
    page.goto("/prices/")
    assert page.locator("table.prices tbody tr").count() == 10
    assert page.locator("svg.sparkline").count() == 10
    page.click("text=Bitcoin")
    page.wait_for_url("**/prices/BTC/")
    assert page.locator("h1").inner_text().startswith("Bitcoin")
    assert page.locator("svg.chart polyline.series").count() == 2
    page.click("text=30 days")
    page.wait_for_url("**/prices/BTC/?range=30d")
    assert page.locator("nav.ranges strong").inner_text() == "30 days"
