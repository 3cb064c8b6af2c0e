"""Who may do what, on the pages and in the admin: everyone × every action.

A forbidden action answers 403 to GET and POST alike and changes nothing; the cast's
``hr`` and ``admin`` may do everything, ``manager``, ``employee`` and ``outsider`` only look.
"""

import pytest

from staff.models import Post, Worker

pytestmark = pytest.mark.django_db

WRITERS = {"admin", "hr"}
LOOKERS = {"manager", "employee", "outsider"}
EVERYONE = sorted(WRITERS | LOOKERS)


def snapshot():
    return (
        list(Worker.objects.order_by("pk").values_list("pk", "name", "email", "post_id", "dismissed_at", "version")),
        list(Post.objects.order_by("pk").values_list("pk", "title", "description")),
        list(Worker.objects.get(email="busy@corpnet.example").orders.order_by("pk").values_list("pk", "executor_id")),
    )


def actions(world):
    """(name, url, POST data) for every write the staff pages offer."""
    busy, free, post = world.busy, world.free, world.empty_post
    valid_worker = {"name": "Новый Человек", "phone": "+79160000000", "email": "new@corpnet.example"}
    return [
        ("new worker", "/staff/new/", {**valid_worker, "post": post.pk}),
        (
            "edit worker",
            f"/staff/{free.pk}/edit/",
            {**valid_worker, "post": post.pk, "version": free.version},
        ),
        ("delete worker", f"/staff/{free.pk}/delete/", {}),
        ("reassign", f"/staff/{busy.pk}/reassign/", {"to": free.pk, "version": busy.version}),
        ("dismiss", f"/staff/{busy.pk}/dismiss/", {"to": free.pk, "version": busy.version}),
        ("reinstate", f"/staff/{busy.pk}/reinstate/", {}),
        ("restore", f"/staff/{free.pk}/restore/", {"history_id": free.history.get().history_id, "confirm": "1"}),
        ("new post", "/staff/posts/new/", {"title": "Новая", "description": ""}),
        ("edit post", f"/staff/posts/{post.pk}/edit/", {"title": "Другая", "description": "x"}),
        ("delete post", f"/staff/posts/{post.pk}/delete/", {}),
    ]


ACTION_NAMES = [
    "new worker",
    "edit worker",
    "delete worker",
    "reassign",
    "dismiss",
    "reinstate",
    "restore",
    "new post",
    "edit post",
    "delete post",
]


@pytest.mark.parametrize("who", sorted(LOOKERS))
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_a_looker_is_refused_every_write_by_url_and_nothing_changes(client, cast, world, who, action):
    _, url, data = next(a for a in actions(world) if a[0] == action)
    client.force_login(getattr(cast, who))
    before = snapshot()
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", sorted(WRITERS))
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_hr_and_the_superuser_may_use_every_write(client, cast, world, who, action):
    _, url, data = next(a for a in actions(world) if a[0] == action)
    client.force_login(getattr(cast, who))
    if action not in {"reinstate", "restore"}:  # POST-only
        assert client.get(url).status_code == 200
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    if action != "reinstate":  # busy is not dismissed: refused with a message, nothing to change
        assert snapshot() != before


def test_the_posts_are_not_shown_to_a_user_without_a_role(client, cast, world):
    # Like the staff list and a worker's page: looking needs staff.view_*, which every role has.
    client.force_login(cast.outsider)
    assert client.get("/staff/posts/").status_code == 403


@pytest.mark.parametrize("who", ["admin", "hr", "manager", "employee"])
def test_every_role_may_look_at_the_posts(client, cast, world, who):
    client.force_login(getattr(cast, who))
    body = client.get("/staff/posts/").content.decode()
    assert "Аналитик" in body
    assert ("/staff/posts/new/" in body) == (who in WRITERS)
    assert (f"/staff/posts/{world.post.pk}/delete/" in body) == (who in WRITERS)


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(client, world):
    before = snapshot()
    for _, url, data in actions(world):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert snapshot() == before


ADMIN_PAGES = [
    ("view", "get", "/admin/staff/worker/"),
    ("add", "get", "/admin/staff/worker/add/"),
    ("change", "get", "/admin/staff/worker/{free}/change/"),
    ("delete", "get", "/admin/staff/worker/{free}/delete/"),
    ("history", "get", "/admin/staff/worker/{free}/history/"),
    ("posts", "get", "/admin/staff/post/"),
    ("post delete", "get", "/admin/staff/post/{post}/delete/"),
]


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("page", [p[0] for p in ADMIN_PAGES])
def test_the_admin_lets_in_only_hr_and_the_superuser(client, cast, world, who, page):
    _, _method, template = next(p for p in ADMIN_PAGES if p[0] == page)
    url = template.format(free=world.free.pk, post=world.empty_post.pk)
    client.force_login(getattr(cast, who))
    response = client.get(url)
    if who in WRITERS:
        assert response.status_code == 200
    else:
        # Not staff: the admin sends them to its login page, and shows nothing.
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_staff_user_without_hr_permissions_gets_403_in_the_admin_and_changes_nothing(client, cast, world):
    cast.manager.is_staff = True
    cast.manager.save()
    client.force_login(cast.manager)
    before = snapshot()
    assert client.get(f"/admin/staff/worker/{world.free.pk}/delete/").status_code == 403
    assert client.post(f"/admin/staff/worker/{world.free.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/staff/post/add/", {"title": "Взлом"}).status_code == 403
    # May look at the list (view permission), but the dismiss action is neither offered nor run.
    assert 'value="dismiss"' not in client.get("/admin/staff/worker/").content.decode()
    client.post("/admin/staff/worker/", {"action": "dismiss", "_selected_action": [world.free.pk]})
    assert snapshot() == before


def test_hr_deletes_a_worker_without_orders_in_the_admin(client, cast, world):
    client.force_login(cast.hr)
    response = client.post(f"/admin/staff/worker/{world.free.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Worker.objects.filter(pk=world.free.pk).exists()
