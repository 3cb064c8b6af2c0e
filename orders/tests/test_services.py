from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from corpnet.testing import make_order
from orders.models import Order, OrderStatus
from orders.services import order_delete, order_update

pytestmark = pytest.mark.django_db


def test_a_new_order_is_new_active_and_dated_now():
    before = timezone.now()
    order = make_order()
    assert order.status == OrderStatus.NEW and order.is_active
    assert before <= order.creation_date <= timezone.now()
    assert order.creation_date.tzinfo is not None


def test_it_rejects_an_unknown_status_with_a_message():
    with pytest.raises(ValidationError) as exc:
        make_order(status="lost")
    assert "status" in exc.value.message_dict
    assert not Order.objects.exists()


def test_the_database_refuses_an_unknown_status_too():
    order = make_order()
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(status="lost")


def test_it_rejects_a_negative_sum():
    with pytest.raises(ValidationError) as exc:
        make_order(sum=Decimal("-1"))
    assert "sum" in exc.value.message_dict


def test_active_means_new_or_in_progress():
    new = make_order(status=OrderStatus.NEW)
    doing = make_order(status=OrderStatus.IN_PROGRESS)
    make_order(status=OrderStatus.DONE)
    make_order(status=OrderStatus.CANCELLED)
    assert set(Order.objects.active()) == {new, doing}


def test_an_update_of_a_stale_version_is_refused():
    order = make_order()
    order_update(order=order, data={"title": "A"}, expected_version=order.version)
    with pytest.raises(ValidationError):
        order_update(order=order, data={"title": "B"}, expected_version=order.version)


def test_deleting_an_order_clears_references_to_it():
    order = make_order()
    from staff.services import worker_update

    worker = worker_update(worker=order.executor, data={"active_order": order})
    order_delete(order=order)
    worker.refresh_from_db()
    assert worker.active_order is None


def test_an_active_order_cannot_go_to_a_dismissed_worker():
    from django.utils import timezone

    from corpnet.testing import make_worker
    from staff.models import Worker

    gone = make_worker("Уволенный Работник")
    Worker.objects.filter(pk=gone.pk).update(dismissed_at=timezone.now())
    gone.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        make_order(executor=gone)
    assert "dismissed" in exc.value.message_dict["executor"][0]
    order = make_order()
    with pytest.raises(ValidationError):
        order_update(order=order, data={"executor": gone})
    # A finished order may keep (or record) a dismissed executor: that is history.
    done = make_order(status=OrderStatus.DONE)
    assert order_update(order=done, data={"executor": gone}).executor == gone
