"""The admin obeys the same rules as the staff pages: it is not a back door."""

import pytest

from orders.models import Order
from staff.models import Post, Worker
from staff.services import worker_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(client, cast):
    client.force_login(cast.hr)
    return client


def run_action(client, action, *workers, **extra):
    data = {"action": action, "_selected_action": [w.pk for w in workers], **extra}
    if action == "dismiss":
        data.setdefault("apply", "1")  # the action's page was answered
    return client.post("/admin/staff/worker/", data, follow=True)


def test_the_admin_dismiss_action_asks_who_takes_over_then_hands_the_orders_over(hr, world):
    asked = hr.post("/admin/staff/worker/", {"action": "dismiss", "_selected_action": [world.busy.pk]})
    assert asked.status_code == 200 and 'id="confirm-dismiss"' in asked.text
    assert set(asked.context["form"].fields["to"].queryset) == {world.free}
    # Without a successor the page comes back with the error; nothing is dismissed.
    again = hr.post("/admin/staff/worker/", {"action": "dismiss", "_selected_action": [world.busy.pk], "apply": "1"})
    assert again.status_code == 200 and "to" in again.context["form"].errors
    assert not Worker.objects.get(pk=world.busy.pk).is_dismissed
    response = run_action(hr, "dismiss", world.busy, to=world.free.pk)
    assert any("1 worker dismissed" in str(m) for m in response.context["messages"])
    assert Worker.objects.get(pk=world.busy.pk).is_dismissed
    assert Order.objects.get(pk=world.active.pk).executor_id == world.free.pk


def test_hr_dismisses_from_the_admin_a_worker_without_active_orders_with_no_successor(hr, world):
    response = run_action(hr, "dismiss", world.free)
    assert any("1 worker dismissed" in str(m) for m in response.context["messages"])
    assert Worker.objects.get(pk=world.free.pk).is_dismissed
    assert Order.objects.get(pk=world.active.pk).executor_id == world.busy.pk


def test_hr_reinstates_from_the_admin_and_the_history_names_hr(hr, cast, world):
    run_action(hr, "dismiss", world.free)
    run_action(hr, "reinstate", world.free)
    records = list(world.free.history.order_by("history_id"))
    assert [r.dismissed_at is not None for r in records] == [False, True, False]
    assert [r.history_user for r in records[1:]] == [cast.hr, cast.hr]


def test_the_dismissal_date_cannot_be_typed_into_the_admin_form(hr, world):
    form = hr.get(f"/admin/staff/worker/{world.busy.pk}/change/").context["adminform"].form
    assert "dismissed_at" not in form.fields
    assert "dismissed_at" not in hr.get("/admin/staff/worker/add/").context["adminform"].form.fields


def test_deleting_a_worker_with_orders_in_the_admin_is_refused(hr, world):
    hr.post(f"/admin/staff/worker/{world.busy.pk}/delete/", {"post": "yes"})
    hr.post(
        "/admin/staff/worker/",
        {"action": "delete_selected", "_selected_action": [world.busy.pk, world.free.pk], "post": "yes"},
    )
    assert Worker.objects.filter(pk__in=[world.busy.pk, world.free.pk]).count() == 2


def test_deleting_a_held_post_in_the_admin_is_refused(hr, world):
    hr.post(f"/admin/staff/post/{world.post.pk}/delete/", {"post": "yes"})
    assert Post.objects.filter(pk=world.post.pk).exists()


def test_reverting_to_a_recorded_version_in_the_admin_goes_through_the_service(hr, cast, world):
    original = world.free.history.get()
    worker = worker_update(worker=world.free, data={"name": "Ошибка Кадровика", "phone": "+79160000009"})
    url = f"/admin/staff/worker/{worker.pk}/history/{original.history_id}/"
    form = hr.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["phone"] = str(form.initial["phone"])
    data["active_order"] = ""
    response = hr.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    worker = Worker.objects.get(pk=worker.pk)
    assert (worker.name, worker.phone.as_e164) == ("Фёдор Свободный", "+79161234567")
    assert worker.version == original.version + 2
    latest = worker.history.latest()
    assert latest.history_user == cast.hr


def test_the_history_admin_page_shows_the_changes(hr, world):
    worker_update(worker=world.free, data={"name": "Новое Имя"})
    body = hr.get(f"/admin/staff/worker/{world.free.pk}/history/").content.decode()
    assert "Новое Имя" in body and "Фёдор Свободный" in body


def test_hr_is_offered_the_dismiss_and_reinstate_actions(hr, world):
    body = hr.get("/admin/staff/worker/").content.decode()
    assert 'value="dismiss"' in body and 'value="reinstate"' in body
