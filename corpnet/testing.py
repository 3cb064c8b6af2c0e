"""Small builders for tests: real rows, written through the real services."""

from __future__ import annotations

import itertools
from decimal import Decimal

from clients.services import client_create
from orders.services import order_create
from staff.services import post_create, worker_create

_seq = itertools.count(1)


def make_post(title: str | None = None, **kwargs):
    return post_create(title=title or f"Post {next(_seq)}", **kwargs)


def make_worker(
    name: str = "Иван Петров", *, post=None, email: str | None = None, phone: str = "+79161234567", **kwargs
):
    n = next(_seq)
    return worker_create(
        name=name, phone=phone, email=email or f"worker{n}@corpnet.example", post=post or make_post(), **kwargs
    )


def make_client(
    name: str = "Анна", lastname: str = "Смирнова", *, email: str | None = None, sum=Decimal("1000.00"), **kwargs
):
    n = next(_seq)
    return client_create(
        name=name, lastname=lastname, email=email or f"client{n}@mail.example", phone="+79031234567", sum=sum, **kwargs
    )


def make_order(*, executor=None, client=None, title: str = "Покупка BTC", sum=Decimal("500.00"), **kwargs):
    return order_create(
        title=title, executor=executor or make_worker(), client=client or make_client(), sum=sum, **kwargs
    )
