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
    data = {"title": " Покупка  BTC ", "executor": f"#{executor.pk}", "sum": "1500.25", "description": ""}
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
    response = manager.post(f"/orders/new/?client={client.pk}", {"title": "X", "executor": f"#{gone.pk}", "sum": "1"})
    assert "executor" in response.context["form"].errors
    assert not Order.objects.exists()


def test_a_manager_changes_the_executor_and_both_active_orders_follow(cast):
    old, new = make_worker(), make_worker("Новый Исполнитель")
    order = make_order(executor=old)
    data = {
        "title": order.title,
        "client": f"#{order.client_id}",
        "executor": f"#{new.pk}",
        "sum": "500.00",
        "description": "",
        "version": order.version,
    }
    response = as_user(cast.manager).post(f"/orders/{order.pk}/edit/", data)
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).executor == new
    assert Worker.objects.get(pk=old.pk).active_order_id is None
    assert Worker.objects.get(pk=new.pk).active_order_id == order.pk


def test_a_stale_edit_is_refused_and_shows_the_refused_input(cast):
    order = make_order()
    data = {
        "title": "Первое",
        "client": f"#{order.client_id}",
        "executor": f"#{order.executor_id}",
        "sum": "1",
        "version": order.version,
    }
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


# --- The executor and client finders ----------------------------------------------------------


def many_workers(count: int, post) -> None:
    """``count`` current workers at once (the page must not care how many there are)."""
    from corpnet.text import normalize_search

    names = [f"Сотрудник Номер{n}" for n in range(count)]
    Worker.objects.bulk_create(
        Worker(
            name=name, search=normalize_search(name), phone="+79161234567", email=f"many{n}@corpnet.example", post=post
        )
        for n, name in enumerate(names)
    )


def test_a_name_matching_several_workers_offers_them_and_keeps_the_typed_fields(cast):
    client = make_client()
    first, second = make_worker("Петров Иван"), make_worker("Петрова Анна")
    make_worker("Сидоров Олег")
    manager = as_user(cast.manager)
    url = f"/orders/new/?client={client.pk}"
    typed = {"title": "Покупка ETH", "executor": "петров", "sum": "1500,25", "description": "Срочно"}
    response = manager.post(url, typed)
    assert response.status_code == 200 and not Order.objects.exists()
    assert "executor" in response.context["form"].errors
    page = response.text
    assert f"· #{first.pk}" in page and f"· #{second.pk}" in page and "Сидоров" not in page
    assert 'value="Покупка ETH"' in page and "Срочно" in page and 'value="петров"' in page
    # Picking one from the list (its "· #id" ending) opens the order.
    picked = manager.post(url, {**typed, "executor": f"Петрова Анна — whatever · #{second.pk}"})
    assert picked.status_code == 302 and Order.objects.get().executor == second
    # A name with a single current worker is taken as it is.
    assert manager.post(url, {**typed, "executor": "сидоров"}).status_code == 302
    assert Order.objects.filter(executor__name="Сидоров Олег").exists()


def test_the_executor_finder_answers_current_workers_only_and_at_most_twenty(cast):
    gone = make_worker("Петров Ушедший")
    worker_dismiss(worker=gone)
    here = make_worker("Петров Работающий")
    many_workers(30, post=here.post)
    manager = as_user(cast.manager)
    found = manager.get("/orders/find/executors/", {"q": "петров"}).json()["results"]
    assert [item["id"] for item in found] == [here.pk]
    assert found[0]["label"].endswith(f"· #{here.pk}")
    assert len(manager.get("/orders/find/executors/", {"q": "сотрудник"}).json()["results"]) == 20
    assert manager.get("/orders/find/executors/", {"q": ""}).json() == {"results": []}
    # A made-up id of a dismissed worker is refused on save.
    response = manager.post(
        f"/orders/new/?client={make_client().pk}", {"title": "X", "executor": f"#{gone.pk}", "sum": "1"}
    )
    assert response.status_code == 200 and "executor" in response.context["form"].errors


def test_the_client_finder_answers_by_name(cast):
    client = make_client("Валерия", "Иванова")
    make_client("Пётр", "Орлов")
    found = as_user(cast.manager).get("/orders/find/clients/", {"q": "иванова в"}).json()["results"]
    assert [item["id"] for item in found] == [client.pk]


@pytest.mark.parametrize("who", ["employee", "hr", "outsider"])
def test_the_finders_are_refused_to_those_who_only_look(cast, who):
    browser = as_user(getattr(cast, who))
    assert browser.get("/orders/find/executors/", {"q": "и"}).status_code == 403
    assert browser.get("/orders/find/clients/", {"q": "и"}).status_code == 403


def test_the_order_form_costs_the_same_queries_with_ten_thousand_workers(cast, django_assert_max_num_queries):
    order = make_order()
    manager = as_user(cast.manager)

    def costs() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for url in (f"/orders/new/?client={order.client_id}", f"/orders/{order.pk}/edit/"):
            with CaptureQueriesContext(connection) as queries:
                assert manager.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few = costs()
    many_workers(10_000, post=order.executor.post)
    assert costs() == few
    for url in (f"/orders/new/?client={order.client_id}", f"/orders/{order.pk}/edit/", "/orders/find/executors/?q=но"):
        with django_assert_max_num_queries(8):
            response = manager.get(url)
        assert response.status_code == 200 and "Номер9999" not in response.text


def test_a_manager_moves_an_order_to_another_client_and_both_active_orders_follow(cast):
    order = make_order()
    old, new = order.client, make_client("Валерия", "Иванова")
    manager = as_user(cast.manager)
    edit = manager.get(f"/orders/{order.pk}/edit/").text
    assert f'value="Смирнова Анна — {old.email} · #{old.pk}"' in edit
    data = {
        "title": order.title,
        "client": "иванова",
        "executor": f"#{order.executor_id}",
        "sum": "500.00",
        "version": order.version,
    }
    assert manager.post(f"/orders/{order.pk}/edit/", data).status_code == 302
    moved = Order.objects.get(pk=order.pk)
    assert (moved.client, moved.version) == (new, order.version + 1)
    assert moved.history.latest().history_user == cast.manager
    assert Client.objects.get(pk=old.pk).active_order_id is None
    assert Client.objects.get(pk=new.pk).active_order_id == order.pk
    # The same (now stale) form again is refused; an unknown client keeps what was typed.
    assert manager.post(f"/orders/{order.pk}/edit/", data).status_code == 409
    wrong = manager.post(f"/orders/{order.pk}/edit/", {**data, "client": "нет такого", "version": moved.version})
    assert wrong.status_code == 200 and "client" in wrong.context["form"].errors
    assert 'value="нет такого"' in wrong.text and Order.objects.get(pk=order.pk).client == new
