"""Fixtures for the staff tests."""

import pytest

from corpnet.testing import make_order, make_post, make_worker


@pytest.fixture
def world(db):
    """A post, a worker with orders (one active, one done), a free worker and an empty post."""

    class World:
        post = make_post("Аналитик")
        empty_post = make_post("Пустая должность")
        busy = make_worker("Борис Занятой", post=post, email="busy@corpnet.example")
        free = make_worker("Фёдор Свободный", post=post, email="free@corpnet.example")
        active = make_order(executor=busy, title="Покупка BTC")

    from orders.models import OrderStatus

    World.done = make_order(executor=World.busy, title="Продажа ETH", status=OrderStatus.DONE)
    return World
