import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from corpnet.testing import make_order, make_post, make_worker
from orders.models import Order, OrderStatus
from staff.models import Post, Worker
from staff.services import worker_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(client, cast):
    client.force_login(cast.hr)
    return client


def worker_form(worker=None, **changes):
    data = {"name": "Ольга Новикова", "phone": "8 (916) 555-44-33", "email": "olga@corpnet.example", "post": ""}
    if worker is not None:
        data = {
            "name": worker.name,
            "phone": worker.phone.as_e164,
            "email": worker.email,
            "post": worker.post_id,
            "version": worker.version,
        }
    data.update(changes)
    return data


def test_hr_adds_a_worker_with_a_normalised_phone_and_email(hr, world):
    response = hr.post("/staff/new/", worker_form(post=world.post.pk, email="Olga@Corpnet.Example"))
    assert response.status_code == 302
    worker = Worker.objects.get(email="olga@corpnet.example")
    assert worker.phone.as_e164 == "+79165554433"
    assert worker.history.get().history_user.username == "hr"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "This field is required"),
        ({"email": "olga-at-corpnet"}, "email", "valid email"),
        ({"email": "BUSY@corpnet.example"}, "email", "already exists"),
        ({"phone": "12345"}, "phone", "phone number"),
        ({"post": "999999"}, "post", "Select a valid choice"),
    ],
)
def test_a_bad_field_is_answered_next_to_it_and_nothing_is_saved(hr, world, changes, field, message):
    before = Worker.objects.count()
    response = hr.post("/staff/new/", worker_form(**{"post": world.post.pk, **changes}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert Worker.objects.count() == before


def test_an_email_taken_by_someone_else_is_refused_on_edit_too(hr, world):
    response = hr.post(f"/staff/{world.free.pk}/edit/", worker_form(world.free, email="Busy@Corpnet.Example"))
    assert "already exists" in " ".join(response.context["form"].errors["email"])
    world.free.refresh_from_db()
    assert world.free.email == "free@corpnet.example"


def test_the_edit_form_starts_from_the_saved_values_and_version(hr, world):
    form = hr.get(f"/staff/{world.free.pk}/edit/").context["form"]
    assert form.initial["name"] == "Фёдор Свободный"
    assert form.initial["version"] == world.free.version


def test_hr_edits_the_phone_and_the_change_is_in_the_history_on_the_workers_page(hr, world):
    response = hr.post(f"/staff/{world.free.pk}/edit/", worker_form(world.free, phone="+7 916 777 66 55"))
    assert response.status_code == 302
    worker = Worker.objects.get(pk=world.free.pk)
    assert worker.phone.as_e164 == "+79167776655"
    latest = worker.history.order_by("-history_id").first()
    assert latest.history_user.username == "hr"
    assert latest.prev_record.phone.as_e164 == "+79161234567"


def test_a_stale_edit_is_refused_and_the_form_shows_the_current_values(hr, world):
    seen = worker_form(world.free)
    worker_update(worker=world.free, data={"name": "Фёдор Переименованный"})  # someone else, meanwhile

    response = hr.post(f"/staff/{world.free.pk}/edit/", {**seen, "name": "Фёдор Мой"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else meanwhile" in body
    assert response.context["form"].initial["name"] == "Фёдор Переименованный"
    assert response.context["form"].initial["version"] == world.free.version + 1
    assert "Фёдор Мой" in body  # the refused input is shown to copy from
    assert Worker.objects.get(pk=world.free.pk).name == "Фёдор Переименованный"


def test_the_delete_page_of_a_worker_with_orders_refuses_and_offers_the_ways_out(hr, world):
    body = hr.get(f"/staff/{world.busy.pk}/delete/").content.decode()
    assert "cannot be deleted" in body
    assert "Покупка BTC" in body and "Продажа ETH" in body
    # A finished order stays theirs after a reassignment, so dismissing is the way offered.
    assert f"/staff/{world.busy.pk}/reassign/" not in body
    assert f"/staff/{world.busy.pk}/dismiss/" in body
    assert 'id="confirm-delete"' not in body


def test_posting_a_delete_of_a_worker_with_orders_changes_nothing_and_says_why(hr, world):
    response = hr.post(f"/staff/{world.busy.pk}/delete/", follow=True)
    assert Worker.objects.filter(pk=world.busy.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("Покупка BTC" in m and "cannot be deleted" in m for m in messages)


def test_a_worker_without_orders_is_deleted_after_confirmation_and_only_by_post(hr, world):
    assert 'id="confirm-delete"' in hr.get(f"/staff/{world.free.pk}/delete/").content.decode()
    assert Worker.objects.filter(pk=world.free.pk).exists()  # GET deletes nothing
    assert hr.post(f"/staff/{world.free.pk}/delete/").status_code == 302
    assert not Worker.objects.filter(pk=world.free.pk).exists()


def test_reassign_then_delete_keeps_the_finished_order_and_refuses_the_delete(hr, world):
    response = hr.post(f"/staff/{world.busy.pk}/reassign/", {"to": world.free.pk, "version": world.busy.version})
    assert response.status_code == 302
    assert Order.objects.get(pk=world.active.pk).executor_id == world.free.pk
    assert Order.objects.get(pk=world.done.pk).executor_id == world.busy.pk
    # The finished order still names them, so deleting is still refused; dismissing is the way.
    hr.post(f"/staff/{world.busy.pk}/delete/")
    assert Worker.objects.filter(pk=world.busy.pk).exists()


def test_the_reassign_form_offers_only_current_colleagues(hr, world):
    gone = make_worker("Уволенный Работник", post=world.post)
    hr.post(f"/staff/{gone.pk}/dismiss/", {"version": gone.version})
    choices = hr.get(f"/staff/{world.busy.pk}/reassign/").context["form"].fields["to"].queryset
    assert set(choices) == {world.free}
    response = hr.post(f"/staff/{world.busy.pk}/reassign/", {"to": gone.pk, "version": world.busy.version})
    assert "to" in response.context["form"].errors
    assert Order.objects.get(pk=world.active.pk).executor_id == world.busy.pk


def test_dismissing_with_active_orders_asks_for_a_successor_then_hands_them_over(hr, world):
    response = hr.post(f"/staff/{world.busy.pk}/dismiss/", {"version": world.busy.version})
    assert response.status_code == 200
    assert "choose who takes" in " ".join(response.context["form"].errors["to"])
    assert not Worker.objects.get(pk=world.busy.pk).is_dismissed

    response = hr.post(f"/staff/{world.busy.pk}/dismiss/", {"to": world.free.pk, "version": world.busy.version})
    assert response.status_code == 302
    busy = Worker.objects.get(pk=world.busy.pk)
    assert busy.is_dismissed
    assert Order.objects.get(pk=world.active.pk).executor_id == world.free.pk
    assert Order.objects.get(pk=world.done.pk).executor_id == busy.pk
    # The order history still shows who had it before.
    assert world.active.history.order_by("history_id").first().executor_id == busy.pk


def test_reinstating_a_dismissed_worker(hr, world):
    hr.post(f"/staff/{world.free.pk}/dismiss/", {"version": world.free.version})
    assert Worker.objects.get(pk=world.free.pk).is_dismissed
    hr.post(f"/staff/{world.free.pk}/reinstate/")
    assert not Worker.objects.get(pk=world.free.pk).is_dismissed


def test_hr_restores_an_earlier_version_from_the_history(hr, world):
    original = world.free.history.get()
    worker = worker_update(worker=world.free, data={"name": "Ошибка Кадровика"})
    asked = hr.post(f"/staff/{worker.pk}/restore/", {"history_id": original.history_id, "version": worker.version})
    # First a confirmation naming what changes back; nothing is changed yet.
    assert asked.status_code == 200 and 'id="confirm-restore"' in asked.text
    assert "Ошибка Кадровика" in asked.text and "Фёдор Свободный" in asked.text
    assert Worker.objects.get(pk=worker.pk).name == "Ошибка Кадровика"
    confirmed = {"history_id": original.history_id, "version": worker.version, "confirm": "1"}
    response = hr.post(f"/staff/{worker.pk}/restore/", confirmed)
    assert response.status_code == 302
    assert Worker.objects.get(pk=worker.pk).name == "Фёдор Свободный"


def test_restoring_with_a_stale_page_is_refused(hr, world):
    original = world.free.history.get()
    stale_version = world.free.version
    worker_update(worker=world.free, data={"name": "Кто-то Поменял"})
    response = hr.post(
        f"/staff/{world.free.pk}/restore/",
        {"history_id": original.history_id, "version": stale_version, "confirm": "1"},
        follow=True,
    )
    assert any("changed by someone else" in str(m) for m in response.context["messages"])
    assert Worker.objects.get(pk=world.free.pk).name == "Кто-то Поменял"


def test_hr_adds_edits_and_deletes_a_post(hr, world):
    assert hr.post("/staff/posts/new/", {"title": "  Риск  менеджер ", "description": ""}).status_code == 302
    post = Post.objects.get(title="Риск менеджер")
    assert hr.post(f"/staff/posts/{post.pk}/edit/", {"title": "Риск-менеджер", "description": "d"}).status_code == 302
    assert Post.objects.get(pk=post.pk).title == "Риск-менеджер"
    assert hr.post(f"/staff/posts/{post.pk}/delete/").status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()


def test_a_duplicate_post_title_is_refused_next_to_the_field(hr, world):
    response = hr.post("/staff/posts/new/", {"title": "Аналитик", "description": ""})
    assert "title" in response.context["form"].errors


def test_a_post_that_workers_hold_is_not_deleted_and_the_page_says_who_holds_it(hr, world):
    body = hr.get(f"/staff/posts/{world.post.pk}/delete/").content.decode()
    assert "Борис Занятой" in body and "Фёдор Свободный" in body
    response = hr.post(f"/staff/posts/{world.post.pk}/delete/", follow=True)
    assert Post.objects.filter(pk=world.post.pk).exists()
    assert any("Борис Занятой" in str(m) for m in response.context["messages"])


def test_the_post_list_takes_a_constant_number_of_queries(hr, world, django_assert_max_num_queries):
    for _ in range(5):
        make_worker(post=make_post())
    with django_assert_max_num_queries(8):
        assert hr.get("/staff/posts/").status_code == 200


def test_the_delete_page_takes_a_constant_number_of_queries(hr, world, django_assert_max_num_queries):
    for _ in range(10):
        make_order(executor=world.busy, status=OrderStatus.DONE)
    with django_assert_max_num_queries(10):
        assert hr.get(f"/staff/{world.busy.pk}/delete/").status_code == 200


def render_partial(name, user, worker, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(f"staff/{name}", {"worker": worker, **context}, request=request)


def test_the_history_shows_who_changed_which_field_from_what_to_what(cast, world):
    other = make_post("Трейдер")
    worker = worker_update(worker=world.free, data={"post": other, "phone": "+79160000009"})
    worker.history.filter(history_id=worker.history.latest().history_id).update(history_user=cast.hr)
    html = render_partial("_worker_history.html", cast.hr, worker)
    assert "hr" in html
    assert "Аналитик → Трейдер" in html
    assert "+7 916 123-45-67 → +7 916 000-00-09" in html
    assert "Restore this version" in html


def test_the_history_takes_a_constant_number_of_queries(cast, world, django_assert_max_num_queries):
    worker = world.free
    for n in range(15):
        worker = worker_update(worker=worker, data={"name": f"Имя {n}", "post": make_post()})
    # History with users, the posts it mentions, and the user's permissions (two).
    with django_assert_max_num_queries(4):
        render_partial("_worker_history.html", cast.employee, worker)


def test_the_history_offers_restoring_only_to_those_who_may_change_workers(cast, world):
    worker = worker_update(worker=world.free, data={"name": "Новое Имя"})
    assert "Restore this version" not in render_partial("_worker_history.html", cast.employee, worker)


@pytest.mark.parametrize("who", ["admin", "hr", "manager", "employee", "outsider"])
def test_the_action_buttons_appear_only_for_those_allowed(cast, world, who):
    html = render_partial("_worker_actions.html", getattr(cast, who), world.free, orders=[])
    allowed = who in {"admin", "hr"}
    for button in ("action-edit", "action-delete", "action-dismiss", "action-reassign"):
        assert (button in html) == allowed


def test_delete_is_offered_only_when_nothing_refers_to_the_worker(hr, world):
    assert 'id="action-delete"' not in hr.get(f"/staff/{world.busy.pk}/").text
    assert 'id="action-delete"' in hr.get(f"/staff/{world.free.pk}/").text


def test_a_refused_delete_puts_the_ways_out_above_the_orders(hr, world):
    html = hr.get(f"/staff/{world.busy.pk}/delete/").text
    assert html.index('id="delete-refused"') < html.index('id="ways-out"') < html.index('id="worker-orders"')
    assert 'id="offer-dismiss"' in html
    # One order is finished: reassigning would not make the worker deletable, so it is not offered.
    assert 'id="offer-reassign"' not in html
    hr.post(f"/staff/{world.busy.pk}/dismiss/", {"to": world.free.pk, "version": world.busy.version})
    html = hr.get(f"/staff/{world.busy.pk}/delete/").text
    assert 'id="already-dismissed"' in html and 'id="offer-dismiss"' not in html


def test_the_reassign_page_names_the_worker_and_the_message_counts_in_words(hr, world):
    assert "stay with Борис Занятой." in hr.get(f"/staff/{world.busy.pk}/reassign/").text
    response = hr.post(
        f"/staff/{world.busy.pk}/reassign/", {"to": world.free.pk, "version": world.busy.version}, follow=True
    )
    assert "1 active order moved from Борис Занятой to Фёдор Свободный." in response.text


def test_every_page_write_is_in_the_history_with_the_user_who_made_it(hr, cast, world):
    hr.post("/staff/posts/new/", {"title": "Кассир", "description": ""})
    post = Post.objects.get(title="Кассир")
    hr.post(f"/staff/posts/{post.pk}/edit/", {"title": "Старший кассир", "description": ""})
    hr.post(f"/staff/{world.free.pk}/delete/")
    hr.post(f"/staff/posts/{post.pk}/delete/")

    post_records = Post.history.filter(id=post.pk).order_by("history_id")
    assert [(r.history_type, r.title, r.history_user) for r in post_records] == [
        ("+", "Кассир", cast.hr),
        ("~", "Старший кассир", cast.hr),
        ("-", "Старший кассир", cast.hr),
    ]
    deleted = Worker.history.filter(id=world.free.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", cast.hr)


def test_a_bad_phone_is_shown_together_with_the_other_fields_errors(hr, world):
    response = hr.post("/staff/new/", worker_form(post=world.post.pk, phone="12", email="olga-at-corpnet"))
    errors = response.context["form"].errors
    assert {"phone", "email"} <= set(errors), errors
    assert "phone number" in " ".join(errors["phone"])
