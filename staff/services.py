"""Every write to posts and workers goes through here: pages, admin, API and commands alike."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from corpnet.services import delete_unless_referenced, update_versioned
from staff.models import Post, Worker


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if isinstance(data.get("email"), str):
        data["email"] = data["email"].strip().lower()
    if isinstance(data.get("name"), str):
        data["name"] = " ".join(data["name"].split())
    return data


@transaction.atomic
def post_create(*, title: str, description: str = "") -> Post:
    post = Post(title=" ".join(title.split()), description=description)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_update(*, post: Post, data: dict[str, Any]) -> Post:
    for field, value in data.items():
        setattr(post, field, value)
    post.full_clean()
    post.save()
    return post


def post_delete(*, post: Post) -> None:
    delete_unless_referenced(post, what=_("Post “%(title)s”") % {"title": post.title})


@transaction.atomic
def worker_create(*, name: str, phone: Any, email: str, post: Post, active_order=None) -> Worker:
    data = _normalise({"name": name, "phone": phone, "email": email})
    worker = Worker(post=post, **data)
    worker.full_clean()
    worker.save()
    if active_order is not None:
        worker = worker_update(worker=worker, data={"active_order": active_order}, expected_version=None)
    return worker


def worker_update(*, worker: Worker, data: dict[str, Any], expected_version: int | None = None) -> Worker:
    return update_versioned(worker, data=_normalise(data), expected_version=expected_version)


def worker_delete(*, worker: Worker) -> None:
    delete_unless_referenced(worker, what=_("Worker “%(name)s”") % {"name": worker.name})
