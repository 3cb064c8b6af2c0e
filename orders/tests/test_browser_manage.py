"""A manager's day in a real browser: add a client, open an order, move it along.

Run in English at a desktop width and in Russian at a phone's (390×844), with sums typed the
way the page shows them in that language.
"""

import pytest

from clients.models import Client
from conftest import login
from corpnet.testing import make_post, make_worker
from orders.models import Order, OrderStatus
from staff.models import Worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETUPS = {
    "en-desktop": {"locale": "en-US", "viewport": {"width": 1366, "height": 768}, "sum": "1,000,000.50"},
    "ru-phone": {"locale": "ru-RU", "viewport": {"width": 390, "height": 844}, "sum": "1 000 000,50"},
}


@pytest.fixture(params=sorted(SETUPS))
def setup(request, browser, live_server):
    options = SETUPS[request.param]
    context = browser.new_context(base_url=live_server.url, locale=options["locale"], viewport=options["viewport"])
    context.set_default_timeout(30_000)  # a loaded 2-core CI machine, finder.js round trips
    tab = context.new_page()
    yield tab, options
    context.close()


def test_a_manager_adds_a_client_opens_an_order_and_moves_it_to_done(setup, cast):
    page, options = setup
    executor = make_worker("Петров Иван", post=make_post("Трейдер"))
    login(page, "manager")
    page.wait_for_selector(".who")

    # Add a client from the clients list; a bad phone and a bad email are both answered at once.
    page.goto("/clients/")
    page.click("#action-add-client")
    page.fill("#id_lastname", "Иванова")
    page.fill("#id_name", "Валерия")
    page.fill("#id_email", "valeria-at-mail")
    page.fill("#id_phone", "12")
    page.fill("#id_sum", options["sum"])
    page.click("main button[type=submit]")
    page.wait_for_selector("#field-phone .errorlist")
    assert page.locator("#field-email .errorlist").count() == 1
    page.fill("#id_email", "Valeria@Mail.Example")
    page.fill("#id_phone", "8 903 123-45-67")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages li.success")
    client = Client.objects.get()
    assert page.url.endswith(f"/clients/{client.pk}/")
    assert str(client.sum) == "1000000.50"
    assert page.get_attribute("#active-orders", "data-count") == "0"

    # Open an order for her from her page, with an executor.
    page.click("#action-open-order")
    page.fill("#id_title", "Покупка BTC")
    page.fill("#id_executor", "петров")  # one current worker has that name: taken on save
    # static/js/finder.js offers the matches as one types (the CSP lets it fetch its own site).
    page.wait_for_selector(f"#executor-found option[value$='#{executor.pk}']", state="attached")
    page.fill("#id_sum", options["sum"])
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages li.success")
    order = Order.objects.get()
    assert page.url.endswith(f"/orders/{order.pk}/")
    assert (order.client, order.executor, order.status) == (client, executor, OrderStatus.NEW)

    # Her page now shows the active order, linked; so does the executor's.
    page.goto(f"/clients/{client.pk}/")
    assert page.get_attribute("#active-orders", "data-count") == "1"
    page.click(f"#active-orders a[href='/orders/{order.pk}/']")
    page.wait_for_url(f"**/orders/{order.pk}/")

    # new → in progress → done, each after a confirmation.
    for status in ("in_progress", "done"):
        page.click(f"#move-{status}")
        page.wait_for_selector("#confirm-status")
        assert Order.objects.get(pk=order.pk).status != status  # asked, not done yet
        page.click("#confirm-status")
        page.wait_for_selector(".messages li.success")
        assert Order.objects.get(pk=order.pk).status == status
    assert page.locator("#order-actions button").count() == 0  # done is final
    assert Worker.objects.get(pk=executor.pk).active_order_id is None
    page.goto(f"/clients/{client.pk}/")
    assert page.get_attribute("#active-orders", "data-count") == "0"


def test_an_employee_sees_no_way_to_change_clients_or_orders(page, cast):
    from corpnet.testing import make_order

    order = make_order()
    login(page, "employee")
    page.wait_for_selector(".who")
    page.goto("/clients/")
    assert page.locator("#action-add-client").count() == 0
    page.goto(f"/orders/{order.pk}/")
    assert page.locator("#order-actions").count() == 0
    response = page.goto("/orders/new/")
    assert response.status == 403
