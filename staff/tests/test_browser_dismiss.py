"""HR dismisses a worker who still has orders, choosing a successor (no dead ends)."""

import pytest

from conftest import login
from corpnet.testing import make_order, make_post, make_worker
from orders.models import Order, OrderStatus
from staff.models import Worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_is_led_from_a_refused_delete_to_dismissing_with_a_successor(page, cast):
    post = make_post("Аналитик")
    leaving = make_worker("Занятой Борис", post=post, email="busy@corpnet.example")
    make_worker("Свободный Фёдор", post=post, email="free@corpnet.example")
    active = make_order(executor=leaving, title="Покупка BTC")
    done = make_order(executor=leaving, title="Продажа ETH", status=OrderStatus.DONE)
    login(page, "hr")
    page.wait_for_selector(".who")

    # With history there is no Delete button; typed by hand, the refusal starts with the ways out.
    page.goto(f"/staff/{leaving.pk}/")
    assert page.locator("#action-delete").count() == 0
    page.goto(f"/staff/{leaving.pk}/delete/")
    refusal = page.locator("#delete-refused").bounding_box()
    ways_out = page.locator("#ways-out").bounding_box()
    orders = page.locator("#worker-orders").bounding_box()
    assert refusal["y"] < ways_out["y"] < orders["y"]
    assert ways_out["y"] < 768  # visible without scrolling

    # Dismiss, choosing who takes the active order over.
    page.click("#offer-dismiss")
    page.select_option("#id_to", label="Свободный Фёдор — Аналитик")
    page.click("#confirm-dismiss")
    page.wait_for_selector(".messages li.success")
    assert Worker.objects.get(pk=leaving.pk).is_dismissed
    successor = Worker.objects.get(email="free@corpnet.example")
    assert Order.objects.get(pk=active.pk).executor == successor
    assert Order.objects.get(pk=done.pk).executor_id == leaving.pk  # history stays
    assert Worker.objects.get(pk=successor.pk).active_order_id == active.pk
