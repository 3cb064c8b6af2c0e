"""``active_order`` follows the orders: never empty while its owner has an active order."""

import pytest

from clients.models import Client
from corpnet.testing import make_client, make_order, make_worker
from orders.models import OrderStatus
from orders.services import order_delete, order_set_status, order_update
from staff.models import Worker
from staff.services import worker_reassign_orders

pytestmark = pytest.mark.django_db


def owners(order):
    return Worker.objects.get(pk=order.executor_id).active_order_id, Client.objects.get(
        pk=order.client_id
    ).active_order_id


def test_opening_an_order_names_it_and_the_first_one_stays_named():
    client, worker = make_client(), make_worker()
    first = make_order(client=client, executor=worker)
    assert owners(first) == (first.pk, first.pk)
    second = make_order(client=client, executor=worker)
    assert owners(second) == (first.pk, first.pk)
    # Finished: the other active order takes its place; all finished: empty.
    order_set_status(order=first, status=OrderStatus.CANCELLED)
    assert owners(second) == (second.pk, second.pk)
    order_set_status(order=second, status=OrderStatus.IN_PROGRESS)
    order_set_status(order=second, status=OrderStatus.DONE)
    assert owners(second) == (None, None)


def test_a_new_executor_takes_the_order_and_the_old_one_lets_it_go():
    old, new = make_worker(), make_worker()
    order = make_order(executor=old)
    order_update(order=order, data={"executor": new})
    assert Worker.objects.get(pk=old.pk).active_order_id is None
    assert Worker.objects.get(pk=new.pk).active_order_id == order.pk


def test_deleting_an_order_names_the_next_active_one():
    client = make_client()
    older, newer = make_order(client=client), make_order(client=client)
    Client.objects.filter(pk=client.pk).update(active_order=newer)
    order_delete(order=newer)
    assert Client.objects.get(pk=client.pk).active_order_id == older.pk


def test_reassigning_hands_the_active_order_over():
    leaving, taking = make_worker(), make_worker()
    order = make_order(executor=leaving)
    worker_reassign_orders(worker=leaving, to=taking)
    assert Worker.objects.get(pk=leaving.pk).active_order_id is None
    assert Worker.objects.get(pk=taking.pk).active_order_id == order.pk


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        (OrderStatus.NEW, OrderStatus.IN_PROGRESS, True),
        (OrderStatus.NEW, OrderStatus.CANCELLED, True),
        (OrderStatus.IN_PROGRESS, OrderStatus.DONE, True),
        (OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED, True),
        (OrderStatus.NEW, OrderStatus.DONE, False),
        (OrderStatus.DONE, OrderStatus.NEW, False),
        (OrderStatus.CANCELLED, OrderStatus.IN_PROGRESS, False),
        (OrderStatus.IN_PROGRESS, OrderStatus.NEW, False),
    ],
)
def test_status_moves_only_forward(old, new, allowed):
    from django.core.exceptions import ValidationError

    order = make_order(status=old)
    if allowed:
        assert order_set_status(order=order, status=new).status == new
    else:
        with pytest.raises(ValidationError) as exc:
            order_set_status(order=order, status=new)
        assert "status" in exc.value.message_dict
