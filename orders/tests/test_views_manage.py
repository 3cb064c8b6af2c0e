"""Opening, changing and moving orders on the intranet pages."""

import pytest
from django.test import Client as Browser

from clients.models import Client
from corpnet.testing import make_client, make_order, make_worker
from orders.models import Order, OrderStatus
from staff.models import Worker
from staff.services import worker_dismiss

pytestmark = pytest.mark.django_db


def as_user(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_a_manager_finds_the_client_then_opens_an_order_for_them(cast):
    client, executor = make_client("Валерия", "Иванова"), make_worker("Борис Занятой")
    manager = as_user(cast.manager)
    found = manager.get("/orders/new/", {"q": "иванова"})
    assert f'href="?client={client.pk}"' in found.text
    assert manager.get("/orders/new/", {"q": "нет такого"}).context["found"] == []
    data = {"title": " Покупка  BTC ", "executor": executor.pk, "sum": "1500.25", "description": ""}
    response = manager.post(f"/orders/new/?client={client.pk}", data)
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == f"/orders/{order.pk}/"
    assert (order.title, order.client, order.executor, order.status) == ("Покупка BTC", client, executor, "new")
    assert order.history.get().history_user == cast.manager
    # The new order is the client's and the executor's active order at once.
    assert Client.objects.get(pk=client.pk).active_order == order
    assert Worker.objects.get(pk=executor.pk).active_order == order


def test_a_dismissed_worker_is_not_offered_and_not_accepted_as_executor(cast):
    client, gone = make_client(), make_worker("Ушедший Сотрудник")
    worker_dismiss(worker=gone)
    manager = as_user(cast.manager)
    assert "Ушедший" not in manager.get(f"/orders/new/?client={client.pk}").text
    response = manager.post(f"/orders/new/?client={client.pk}", {"title": "X", "executor": gone.pk, "sum": "1"})
    assert "executor" in response.context["form"].errors
    assert not Order.objects.exists()


def test_a_manager_changes_the_executor_and_both_active_orders_follow(cast):
    old, new = make_worker(), make_worker("Новый Исполнитель")
    order = make_order(executor=old)
    data = {"title": order.title, "executor": new.pk, "sum": "500.00", "description": "", "version": order.version}
    response = as_user(cast.manager).post(f"/orders/{order.pk}/edit/", data)
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).executor == new
    assert Worker.objects.get(pk=old.pk).active_order_id is None
    assert Worker.objects.get(pk=new.pk).active_order_id == order.pk


def test_a_stale_edit_is_refused_and_shows_the_refused_input(cast):
    order = make_order()
    data = {"title": "Первое", "executor": order.executor_id, "sum": "1", "version": order.version}
    manager = as_user(cast.manager)
    assert manager.post(f"/orders/{order.pk}/edit/", data).status_code == 302
    stale = manager.post(f"/orders/{order.pk}/edit/", {**data, "title": "Второе"})
    assert stale.status_code == 409 and "Второе" in stale.text
    assert Order.objects.get(pk=order.pk).title == "Первое"


def test_changing_the_status_asks_to_confirm_then_does_it(cast):
    order = make_order()
    manager = as_user(cast.manager)
    page = manager.get(f"/orders/{order.pk}/").text
    assert 'id="move-in_progress"' in page and 'id="move-cancelled"' in page and 'id="move-done"' not in page
    asked = manager.post(f"/orders/{order.pk}/status/", {"status": "in_progress", "version": order.version})
    assert asked.status_code == 200 and 'id="confirm-status"' in asked.text
    assert Order.objects.get(pk=order.pk).status == OrderStatus.NEW
    done = manager.post(f"/orders/{order.pk}/status/", {"status": "in_progress", "version": 1, "confirm": "1"})
    assert done.status_code == 302
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_PROGRESS
    # The same confirmed form again: the order has moved on, refused with a message.
    again = manager.post(
        f"/orders/{order.pk}/status/", {"status": "in_progress", "version": 1, "confirm": "1"}, follow=True
    )
    assert "cannot be moved that way" in again.text
    stale = manager.post(f"/orders/{order.pk}/status/", {"status": "done", "version": 1, "confirm": "1"}, follow=True)
    assert "changed by someone else" in stale.text
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_PROGRESS


def test_the_status_url_takes_only_post(cast):
    order = make_order()
    assert as_user(cast.manager).get(f"/orders/{order.pk}/status/").status_code == 405


@pytest.mark.parametrize("who", ["employee", "hr", "outsider"])
def test_those_who_only_look_get_a_403(cast, who):
    order = make_order()
    browser = as_user(getattr(cast, who))
    assert browser.get("/orders/new/").status_code == 403
    assert browser.get(f"/orders/{order.pk}/edit/").status_code == 403
    confirm = {"status": "cancelled", "version": 1, "confirm": "1"}
    assert browser.post(f"/orders/{order.pk}/status/", confirm).status_code == 403
    assert Order.objects.get(pk=order.pk).status == OrderStatus.NEW
    assert 'id="order-actions"' not in browser.get(f"/orders/{order.pk}/").text
