import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpnet.testing import make_order, make_post, make_worker
from orders.models import Order
from staff.models import Worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["staff/post", "staff/worker", "clients/client", "orders/order"])
def test_every_model_has_a_working_changelist_and_add_form(client, cast, path):
    make_order()
    client.force_login(cast.admin)
    assert client.get(f"/admin/{path}/").status_code == 200
    assert client.get(f"/admin/{path}/add/").status_code == 200
    assert client.get(f"/admin/{path}/?q=иванов").status_code == 200


def test_the_orders_changelist_never_counts_the_whole_table(client, cast):
    for _ in range(3):
        make_order()
    client.force_login(cast.admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/orders/order/?status__exact=new").status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "expected the capped count"
    assert all("LIMIT" in sql.upper() for sql in counts), counts


def test_admin_search_finds_cyrillic_names_whatever_the_case(client, cast):
    make_worker("Фёдор Иванов")
    make_worker("John Smith")
    client.force_login(cast.admin)
    body = client.get("/admin/staff/worker/?q=ИВАНОВ").content.decode()
    assert "Фёдор Иванов" in body and "John Smith" not in body


def test_admin_writes_go_through_the_services_rules(client, cast):
    post = make_post()
    client.force_login(cast.admin)
    response = client.post(
        "/admin/staff/worker/add/",
        {"name": "Новый Сотрудник", "phone": "12", "email": "new@corpnet.example", "post": post.pk},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "phone" in response.context["adminform"].form.errors
    assert not Worker.objects.exists()

    response = client.post(
        "/admin/staff/worker/add/",
        {"name": "Новый  Сотрудник", "phone": "8 916 111 22 33", "email": "New@Corpnet.Example", "post": post.pk},
    )
    assert response.status_code == 302
    worker = Worker.objects.get()
    assert (worker.name, worker.email, worker.phone.as_e164) == (
        "Новый Сотрудник",
        "new@corpnet.example",
        "+79161112233",
    )
    assert worker.history.get().history_user == cast.admin


def test_admin_refuses_a_stale_edit(client, cast):
    worker = make_worker()
    client.force_login(cast.admin)
    form = {
        "name": "X",
        "phone": "+79161234567",
        "email": worker.email,
        "post": worker.post_id,
        "active_order": "",
        "dismissed_at_0": "",
        "dismissed_at_1": "",
        "expected_version": worker.version,
    }
    assert client.post(f"/admin/staff/worker/{worker.pk}/change/", form).status_code == 302
    form["name"] = "Y"
    response = client.post(f"/admin/staff/worker/{worker.pk}/change/", form, follow=True)
    assert "changed by someone else" in response.content.decode()
    worker.refresh_from_db()
    assert worker.name == "X"


def test_admin_delete_of_a_worker_with_orders_is_refused(client, cast):
    order = make_order()
    client.force_login(cast.admin)
    response = client.post(f"/admin/staff/worker/{order.executor_id}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Worker.objects.filter(pk=order.executor_id).exists()
    assert Order.objects.count() == 1


def test_admin_is_forbidden_to_non_staff_users(client, cast):
    client.force_login(cast.employee)
    response = client.get("/admin/staff/worker/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_post_opens_in_the_admin_although_posts_have_no_version(client, cast):
    post = make_post()
    client.force_login(cast.admin)
    assert client.get(f"/admin/staff/post/{post.pk}/change/").status_code == 200
    response = client.post(f"/admin/staff/post/{post.pk}/change/", {"title": "Renamed", "description": ""})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Renamed"
