import pytest

from conftest import login
from corpnet.testing import make_order, make_post, make_worker
from orders.models import Order
from staff.models import Worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_adds_edits_and_after_reassigning_deletes_a_worker(page, cast):
    post = make_post("Аналитик")
    busy = make_worker("Борис Занятой", post=post, email="busy@corpnet.example")
    order = make_order(executor=busy, title="Покупка BTC")
    login(page, "hr")
    page.wait_for_selector(".who")

    # Add a worker from the staff list; a bad phone is answered next to the field first.
    page.goto("/staff/")
    page.click("text=Add worker")
    page.fill("#id_name", "Ольга Новикова")
    page.fill("#id_phone", "12")
    page.fill("#id_email", "Olga@Corpnet.Example")
    page.select_option("#id_post", label="Аналитик")
    page.click("main button[type=submit]")
    page.wait_for_selector("#field-phone .errorlist")
    page.fill("#id_phone", "8 916 555-44-33")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages li.success")
    olga = Worker.objects.get(email="olga@corpnet.example")
    assert page.url.endswith(f"/staff/{olga.pk}/")

    # Edit her phone from her page; the change shows in her history.
    page.click("#action-edit")
    assert page.input_value("#id_phone") == "+7 916 555-44-33"
    page.fill("#id_phone", "+7 916 777 66 55")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages li.success")
    assert Worker.objects.get(pk=olga.pk).phone.as_e164 == "+79167776655"
    assert "+7 916 555-44-33 → +7 916 777-66-55" in page.inner_text("#worker-history")
    assert "hr" in page.inner_text("#worker-history")

    # Try to delete the busy worker: refused, the order is named, the ways out are offered.
    page.goto(f"/staff/{busy.pk}/")
    assert page.locator("#action-delete").count() == 0  # offered only when nothing refers to them
    page.goto(f"/staff/{busy.pk}/delete/")
    assert "Покупка BTC" in page.inner_text("#worker-orders")
    assert page.locator("#confirm-delete").count() == 0
    page.click("#offer-reassign")

    # Reassign the active order to Olga, then delete.
    page.select_option("#id_to", label="Ольга Новикова — Аналитик")
    page.click("#confirm-reassign")
    page.wait_for_selector(".messages li.success")
    assert Order.objects.get(pk=order.pk).executor_id == olga.pk

    page.click("#action-delete")
    page.click("#confirm-delete")
    page.wait_for_selector(".messages li.success")
    assert page.url.endswith("/staff/")
    assert not Worker.objects.filter(pk=busy.pk).exists()
    assert Order.objects.get(pk=order.pk).history.count() == 2


def test_an_employee_sees_no_management_buttons(page, cast):
    worker = make_worker("Борис Занятой")
    login(page, "employee")
    page.wait_for_selector(".who")
    page.goto("/staff/")
    assert page.locator("text=Add worker").count() == 0
    page.goto(f"/staff/{worker.pk}/")
    page.wait_for_selector("#worker-history")
    assert page.locator("#worker-actions").count() == 0
