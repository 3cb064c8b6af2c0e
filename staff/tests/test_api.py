"""The posts and workers endpoints: hr writes, everyone with a role reads, rules as on the pages."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from corpnet.testing import make_order, make_post, make_worker
from staff.filters import WorkerFilter
from staff.models import Post, Worker

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
WORKERS = "/api/v1/workers/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("who", ["admin", "hr", "manager", "employee"])
def test_every_role_reads_posts_and_workers(api, cast, who):
    worker = make_worker()
    client = api(getattr(cast, who))
    assert client.get(POSTS).status_code == 200
    assert ids(client.get(WORKERS)) == [worker.pk]


def test_an_outsider_without_a_role_is_refused_with_403(api, cast):
    make_worker()
    assert api(cast.outsider).get(WORKERS).status_code == 403
    assert api(cast.outsider).get(POSTS).status_code == 403


def test_an_anonymous_request_gets_401_with_a_token_challenge(api, db):
    response = api().get(WORKERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/json"


def test_phones_come_out_in_e164_whatever_the_input_notation(api, cast):
    post = make_post()
    response = api(cast.hr).post(
        WORKERS,
        {"name": " Анна   Ким ", "phone": "8 (916) 765-43-21", "email": "Anna.Kim@Corpnet.Example", "post": post.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "+79167654321"
    assert body["email"] == "anna.kim@corpnet.example"
    assert body["name"] == "Анна Ким"
    assert body["version"] == 1


def test_hr_creates_a_worker_and_history_records_the_token_user(api, cast):
    post = make_post()
    response = api(cast.hr).post(
        WORKERS, {"name": "Анна Ким", "phone": "+79167654321", "email": "kim@corpnet.example", "post": post.pk}
    )
    assert response.status_code == 201, response.json()
    worker = Worker.objects.get(pk=response.json()["id"])
    assert worker.history.get().history_user == cast.hr


@pytest.mark.parametrize("who", ["manager", "employee", "outsider"])
def test_roles_other_than_hr_cannot_write_staff(api, cast, who):
    worker = make_worker()
    client = api(getattr(cast, who))
    assert client.post(POSTS, {"title": "CEO"}, format="json").status_code == 403
    assert client.patch(f"{WORKERS}{worker.pk}/", {"name": "X", "version": 1}, format="json").status_code == 403
    assert client.delete(f"{WORKERS}{worker.pk}/").status_code == 403
    assert Worker.objects.get().name == worker.name
    assert not Post.objects.filter(title="CEO").exists()


def test_a_duplicate_email_answers_400_with_the_models_message(api, cast):
    worker = make_worker(email="same@corpnet.example")
    response = api(cast.hr).post(
        WORKERS, {"name": "Другой", "phone": "+79160000000", "email": "SAME@corpnet.example", "post": worker.post_id}
    )
    assert response.status_code == 400
    assert "already exists" in str(response.json())
    assert Worker.objects.count() == 1


def test_an_invalid_phone_answers_400_on_the_phone_field(api, cast):
    response = api(cast.hr).post(
        WORKERS, {"name": "Анна", "phone": "12", "email": "a@corpnet.example", "post": make_post().pk}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]


def test_an_active_order_of_someone_else_is_refused_on_update(api, cast):
    worker, other_order = make_worker(), make_order()
    response = api(cast.hr).patch(
        f"{WORKERS}{worker.pk}/", {"active_order": other_order.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "active_order" in response.json()


def test_put_replaces_and_bumps_the_version_and_a_stale_put_answers_409(api, cast):
    worker = make_worker()
    hr = api(cast.hr)
    body = {"name": "Новое Имя", "phone": "+79160000001", "email": "new@corpnet.example", "post": worker.post_id}
    ok = hr.put(f"{WORKERS}{worker.pk}/", {**body, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = hr.put(f"{WORKERS}{worker.pk}/", {**body, "name": "Старое", "version": 1}, format="json")
    assert stale.status_code == 409
    assert Worker.objects.get().name == "Новое Имя"


def test_a_post_still_held_by_workers_cannot_be_deleted_and_says_by_whom(api, cast):
    worker = make_worker("Пётр Иванов")
    response = api(cast.hr).delete(f"{POSTS}{worker.post_id}/")
    assert response.status_code == 409
    assert response.json()["code"] == "protected"
    assert "Пётр Иванов" in response.json()["detail"]
    assert Post.objects.filter(pk=worker.post_id).exists()


def test_a_worker_with_orders_cannot_be_deleted(api, cast):
    order = make_order()
    response = api(cast.hr).delete(f"{WORKERS}{order.executor_id}/")
    assert response.status_code == 409
    assert Worker.objects.filter(pk=order.executor_id).exists()


def test_hr_renames_a_post_with_a_patch_and_deletes_an_unused_one(api, cast):
    post = make_post("Кассир")
    hr = api(cast.hr)
    response = hr.patch(f"{POSTS}{post.pk}/", {"description": "Принимает наличные"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": post.pk, "title": "Кассир", "description": "Принимает наличные"}
    assert hr.delete(f"{POSTS}{post.pk}/").status_code == 204


def test_dismissed_workers_are_hidden_unless_asked_for_as_on_the_page(api, cast):
    current, gone = make_worker("Текущий"), make_worker("Уволенный")
    Worker.objects.filter(pk=gone.pk).update(dismissed_at="2026-01-01T00:00:00Z")
    client = api(cast.employee)
    for query in ({}, {"state": "dismissed"}, {"state": "all", "order_by": "-name"}, {"name": "ТЕКУЩ"}):
        expected = [w.pk for w in WorkerFilter(_qd(query), queryset=Worker.objects.all()).qs]
        response = client.get(WORKERS, query)
        assert ids(response) == expected, query
    assert ids(client.get(WORKERS)) == [current.pk]
    assert client.get(f"{WORKERS}{gone.pk}/").status_code == 200


def test_pages_are_bounded_by_the_maximum_page_size(api, cast):
    for _ in range(3):
        make_worker()
    body = api(cast.employee).get(WORKERS, {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"] and body["previous"] is None
    rest = api(cast.employee).get(body["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None and rest["previous"]
    assert api(cast.employee).get(WORKERS, {"cursor": "n.bm90LWEtY3Vyc29y"}).status_code == 404


def test_the_workers_list_costs_a_constant_number_of_queries(api, cast, django_assert_max_num_queries):
    for _ in range(25):
        make_worker()
    reader = api(cast.employee)
    with django_assert_max_num_queries(7):
        assert len(ids(reader.get(WORKERS, {"page_size": 100}))) == 25


def _qd(data) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q[key] = value
    return q


def test_hr_dismisses_a_worker_handing_their_active_orders_to_a_colleague(api, cast):
    order = make_order()
    worker, colleague = order.executor, make_worker("Коллега")
    hr = api(cast.hr)
    refused = hr.post(f"{WORKERS}{worker.pk}/dismiss/", {"version": worker.version}, format="json")
    assert refused.status_code == 400
    assert "to" in refused.json()
    response = hr.post(
        f"{WORKERS}{worker.pk}/dismiss/", {"version": worker.version, "reassign_to": colleague.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_dismissed"] is True
    order.refresh_from_db()
    assert order.executor_id == colleague.pk
    stale = hr.post(f"{WORKERS}{worker.pk}/reinstate/", {"version": worker.version}, format="json")
    assert stale.status_code == 409
    back = hr.post(f"{WORKERS}{worker.pk}/reinstate/", {"version": response.json()["version"]}, format="json")
    assert back.status_code == 200 and back.json()["is_dismissed"] is False


def test_hr_reassigns_active_orders_and_gets_their_ids(api, cast):
    order = make_order()
    colleague = make_worker("Коллега")
    response = api(cast.hr).post(
        f"{WORKERS}{order.executor_id}/reassign-orders/",
        {"version": order.executor.version, "to": colleague.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"moved": [order.pk]}


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_only_hr_may_dismiss(api, cast, who):
    worker = make_worker()
    response = api(getattr(cast, who)).post(f"{WORKERS}{worker.pk}/dismiss/", {"version": 1}, format="json")
    assert response.status_code == 403
    worker.refresh_from_db()
    assert not worker.is_dismissed
