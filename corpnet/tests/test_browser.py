import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_is_sent_to_login_then_sees_the_home_page(page, cast):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "employee")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-figure=active-orders]")
    assert page.url.endswith("/")
    assert "employee" in page.inner_text(".who")


def test_a_wrong_password_is_answered_with_a_message(page, cast):
    page.goto("/accounts/login/")
    page.fill("#id_username", "employee")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").is_visible()
