from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from corpnet.services import ConcurrentUpdateError
from corpnet.testing import make_order, make_post, make_worker
from orders.models import OrderStatus
from orders.services import order_set_status
from staff.models import Worker
from staff.services import post_delete, worker_create, worker_delete, worker_update

pytestmark = pytest.mark.django_db


def test_it_normalises_the_phone_to_e164():
    worker = make_worker(phone="8 (916) 123-45-67")
    worker.refresh_from_db()
    assert worker.phone.as_e164 == "+79161234567"


def test_it_rejects_an_invalid_phone_with_a_message():
    with pytest.raises(ValidationError) as exc:
        make_worker(phone="12345")
    assert "phone" in exc.value.message_dict
    assert not Worker.objects.exists()


def test_it_rejects_an_invalid_email():
    with pytest.raises(ValidationError) as exc:
        make_worker(email="not-an-email")
    assert "email" in exc.value.message_dict


def test_it_rejects_a_duplicate_email_whatever_its_case():
    post = make_post()
    make_worker(email="ivan@corpnet.example", post=post)
    with pytest.raises(ValidationError) as exc:
        worker_create(name="Другой Иван", phone="+79161234568", email="IVAN@Corpnet.Example", post=post)
    assert "already exists" in str(exc.value)
    assert Worker.objects.count() == 1


def test_it_stores_emails_in_lower_case():
    assert make_worker(email="Ivan.Petrov@Corpnet.Example").email == "ivan.petrov@corpnet.example"


def test_it_refuses_an_active_order_of_another_worker():
    mine, theirs = make_worker(), make_worker()
    order = make_order(executor=theirs)
    with pytest.raises(ValidationError) as exc:
        worker_update(worker=mine, data={"active_order": order})
    assert "belongs to someone else" in exc.value.message_dict["active_order"][0]


def test_it_refuses_an_active_order_that_is_not_active():
    worker = make_worker()
    order = make_order(executor=worker, status=OrderStatus.DONE)
    with pytest.raises(ValidationError) as exc:
        worker_update(worker=worker, data={"active_order": order})
    assert "not active" in exc.value.message_dict["active_order"][0]


def test_it_accepts_an_own_active_order_and_clears_it_when_the_order_is_done():
    worker = make_worker()
    order = make_order(executor=worker)
    worker = worker_update(worker=worker, data={"active_order": order})
    assert worker.active_order == order
    order_set_status(order=order, status=OrderStatus.IN_PROGRESS)
    order_set_status(order=order, status=OrderStatus.DONE)
    worker.refresh_from_db()
    assert worker.active_order is None


def test_it_refuses_a_stale_update():
    worker = make_worker()
    seen = worker.version
    worker_update(worker=worker, data={"name": "Первое Изменение"}, expected_version=seen)
    with pytest.raises(ConcurrentUpdateError):
        worker_update(worker=worker, data={"name": "Второе Изменение"}, expected_version=seen)
    worker.refresh_from_db()
    assert worker.name == "Первое Изменение"


def test_it_refuses_to_delete_a_worker_with_orders_and_names_them():
    worker = make_worker()
    order = make_order(executor=worker, sum=Decimal("1"))
    with pytest.raises(ValidationError) as exc:
        worker_delete(worker=worker)
    assert f"#{order.pk}" in str(exc.value)
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_it_deletes_a_worker_without_orders():
    worker = make_worker()
    worker_delete(worker=worker)
    assert not Worker.objects.filter(pk=worker.pk).exists()


def test_it_refuses_to_delete_a_post_that_workers_hold():
    post = make_post("Trader")
    make_worker("Пётр Иванов", post=post)
    with pytest.raises(ValidationError) as exc:
        post_delete(post=post)
    assert "Пётр Иванов" in str(exc.value)


def test_it_records_history_of_changes():
    worker = make_worker(name="Иван Петров")
    worker_update(worker=worker, data={"name": "Иван Сидоров"})
    names = list(worker.history.order_by("history_id").values_list("name", flat=True))
    assert names == ["Иван Петров", "Иван Сидоров"]


def test_it_keeps_a_casefolded_search_column():
    assert make_worker(name="Фёдор ИВАНОВ").search == "федор иванов"
