"""Adding and changing clients on the intranet pages: managers and the admin."""

import pytest
from django.test import Client as Browser

from clients.models import Client
from corpnet.testing import make_client

pytestmark = pytest.mark.django_db


def as_user(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def client_form(client=None, **changes):
    data = {
        "lastname": "Иванова",
        "name": "Валерия",
        "email": "Valeria@Mail.Example",
        "phone": "8 903 123-45-67",
        "sum": "1000.50",
    }
    if client is not None:
        data = {
            "lastname": client.lastname,
            "name": client.name,
            "email": client.email,
            "phone": client.phone.as_e164,
            "sum": str(client.sum),
            "version": client.version,
        }
    data.update(changes)
    return data


def test_a_manager_adds_a_client_with_normalised_email_and_phone(cast):
    response = as_user(cast.manager).post("/clients/new/", client_form())
    client = Client.objects.get()
    assert response.status_code == 302 and response.url == f"/clients/{client.pk}/"
    assert (client.email, client.phone.as_e164, str(client.sum)) == ("valeria@mail.example", "+79031234567", "1000.50")
    assert client.history.get().history_user == cast.manager


def test_every_bad_field_is_answered_at_once_and_nothing_is_saved(cast):
    response = as_user(cast.manager).post("/clients/new/", client_form(phone="12", email="x", sum="-1", name=""))
    assert response.status_code == 200
    assert {"phone", "email", "sum", "name"} <= set(response.context["form"].errors)
    assert not Client.objects.exists()


def test_a_manager_edits_a_client_and_a_stale_form_is_refused_with_the_input_kept(cast):
    client = make_client()
    manager = as_user(cast.manager)
    seen = client_form(client, name="Анна-Мария")
    assert manager.post(f"/clients/{client.pk}/edit/", seen).status_code == 302
    assert Client.objects.get(pk=client.pk).name == "Анна-Мария"
    stale = manager.post(f"/clients/{client.pk}/edit/", {**seen, "name": "Другая"})
    assert stale.status_code == 409
    assert "Другая" in stale.text
    assert Client.objects.get(pk=client.pk).name == "Анна-Мария"


@pytest.mark.parametrize("who", ["employee", "hr", "outsider"])
def test_those_who_only_look_get_a_403(cast, who):
    client = make_client()
    browser = as_user(getattr(cast, who))
    assert browser.get("/clients/new/").status_code == 403
    assert browser.post("/clients/new/", client_form()).status_code == 403
    assert browser.post(f"/clients/{client.pk}/edit/", client_form(client, name="X")).status_code == 403
    assert Client.objects.count() == 1


def test_the_buttons_show_only_to_those_allowed(cast):
    client = make_client()
    assert "action-edit" in as_user(cast.manager).get(f"/clients/{client.pk}/").text
    assert "action-open-order" in as_user(cast.manager).get(f"/clients/{client.pk}/").text
    page = as_user(cast.employee).get(f"/clients/{client.pk}/").text
    assert "action-edit" not in page and "action-open-order" not in page


def test_the_lists_show_how_many_active_orders_and_link_to_them(cast):
    from corpnet.testing import make_order, make_worker
    from orders.models import OrderStatus

    client, worker = make_client(), make_worker()
    for _ in range(3):
        make_order(client=client, executor=worker)
    make_order(client=client, executor=worker, status=OrderStatus.DONE)
    Client.objects.filter(pk=client.pk).update(active_order=None)  # the count reads the orders
    looker = as_user(cast.employee)
    assert f'href="/orders/?client={client.pk}">3<' in looker.get("/clients/").text
    assert f'href="/orders/?executor={worker.pk}">3<' in looker.get("/staff/").text


def test_a_russian_manager_types_the_deposit_as_the_page_shows_it(cast):
    browser = as_user(cast.manager)
    browser.cookies.load({"django_language": "ru"})
    response = browser.post("/clients/new/", client_form(sum="1 000 000,50"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302, response.context["form"].errors
    assert str(Client.objects.get().sum) == "1000000.50"
