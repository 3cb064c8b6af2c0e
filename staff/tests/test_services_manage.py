import pytest
from django.core.exceptions import ValidationError

from corpnet.services import ConcurrentUpdateError
from corpnet.testing import make_order, make_post, make_worker
from orders.models import Order, OrderStatus
from staff.filters import WorkerFilter
from staff.models import Worker
from staff.services import (
    post_delete,
    worker_delete,
    worker_dismiss,
    worker_reassign_orders,
    worker_reinstate,
    worker_restore_version,
    worker_update,
)

pytestmark = pytest.mark.django_db


def test_reassign_moves_only_the_active_orders_and_keeps_finished_ones_as_history():
    leaving, taking = make_worker(), make_worker()
    new = make_order(executor=leaving)
    in_progress = make_order(executor=leaving, status=OrderStatus.IN_PROGRESS)
    done = make_order(executor=leaving, status=OrderStatus.DONE)

    moved = worker_reassign_orders(worker=leaving, to=taking)

    assert {o.pk for o in moved} == {new.pk, in_progress.pk}
    assert set(Order.objects.filter(executor=taking).values_list("pk", flat=True)) == {new.pk, in_progress.pk}
    assert Order.objects.get(pk=done.pk).executor_id == leaving.pk


def test_reassign_records_the_new_executor_in_each_orders_history():
    leaving, taking = make_worker(), make_worker()
    order = make_order(executor=leaving)
    worker_reassign_orders(worker=leaving, to=taking)
    latest, first = order.history.order_by("-history_id")[:2]
    assert (first.executor_id, latest.executor_id) == (leaving.pk, taking.pk)
    assert latest.history_type == "~"
    assert Order.objects.get(pk=order.pk).version == order.version + 1


def test_reassign_hands_the_active_order_reference_over_to_the_new_executor():
    leaving, taking = make_worker(), make_worker()
    order = make_order(executor=leaving)
    leaving = worker_update(worker=leaving, data={"active_order": order})

    worker_reassign_orders(worker=leaving, to=taking)

    leaving.refresh_from_db()
    taking.refresh_from_db()
    assert leaving.active_order is None
    assert taking.active_order == order


def test_reassign_keeps_the_new_executors_own_active_order():
    leaving, taking = make_worker(), make_worker()
    theirs = make_order(executor=taking)
    taking = worker_update(worker=taking, data={"active_order": theirs})
    order = make_order(executor=leaving)
    worker_update(worker=leaving, data={"active_order": order})

    worker_reassign_orders(worker=leaving, to=taking)

    taking.refresh_from_db()
    assert taking.active_order == theirs


def test_reassign_refuses_a_dismissed_or_the_same_worker_and_moves_nothing():
    leaving, gone = make_worker(), make_worker()
    worker_dismiss(worker=gone)
    order = make_order(executor=leaving)
    for target in (gone, leaving, None):
        with pytest.raises(ValidationError) as exc:
            worker_reassign_orders(worker=leaving, to=target)
        assert "to" in exc.value.message_dict
    assert Order.objects.get(pk=order.pk).executor_id == leaving.pk


def test_reassign_refuses_a_stale_version():
    leaving, taking = make_worker(), make_worker()
    order = make_order(executor=leaving)
    seen = leaving.version
    worker_update(worker=leaving, data={"name": "Кто-то Другой"})
    with pytest.raises(ConcurrentUpdateError):
        worker_reassign_orders(worker=leaving, to=taking, expected_version=seen)
    assert Order.objects.get(pk=order.pk).executor_id == leaving.pk


def test_reassign_takes_a_constant_number_of_queries(django_assert_max_num_queries):
    leaving, taking = make_worker(), make_worker()
    for _ in range(12):
        make_order(executor=leaving)
    # Locks, one batched UPDATE and history INSERT, then both workers' active_order kept true
    # (a query, an UPDATE and a history row each) and read back: 15 whatever the order count.
    with django_assert_max_num_queries(15):
        assert len(worker_reassign_orders(worker=leaving, to=taking)) == 12


def test_a_worker_whose_orders_were_all_reassigned_can_be_deleted():
    leaving, taking = make_worker(), make_worker()
    make_order(executor=leaving)
    with pytest.raises(ValidationError):
        worker_delete(worker=leaving)
    worker_reassign_orders(worker=leaving, to=taking)
    worker_delete(worker=leaving)
    assert not Worker.objects.filter(pk=leaving.pk).exists()


def test_deleting_a_worker_with_orders_is_refused_naming_the_orders():
    worker = make_worker()
    order = make_order(executor=worker, title="Продажа ETH", status=OrderStatus.DONE)
    with pytest.raises(ValidationError) as exc:
        worker_delete(worker=worker)
    assert f"#{order.pk} Продажа ETH" in exc.value.messages[0]
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_dismissing_keeps_the_worker_and_their_orders_but_hides_them_from_the_staff_list():
    worker, other = make_worker(), make_worker()
    done = make_order(executor=worker, status=OrderStatus.DONE)

    worker_dismiss(worker=worker)

    worker.refresh_from_db()
    assert worker.is_dismissed
    assert Order.objects.get(pk=done.pk).executor_id == worker.pk
    assert list(WorkerFilter({}, queryset=Worker.objects.all()).qs) == [other]
    assert worker not in Worker.objects.current()


def test_dismissing_a_worker_with_active_orders_needs_someone_to_take_them():
    worker, taking = make_worker(), make_worker()
    order = make_order(executor=worker)
    with pytest.raises(ValidationError) as exc:
        worker_dismiss(worker=worker)
    assert f"#{order.pk}" in exc.value.message_dict["to"][0]
    worker.refresh_from_db()
    assert not worker.is_dismissed

    worker_dismiss(worker=worker, reassign_to=taking)

    worker.refresh_from_db()
    assert worker.is_dismissed
    assert Order.objects.get(pk=order.pk).executor_id == taking.pk


def test_dismissing_twice_is_refused_and_reinstating_brings_the_worker_back():
    worker = make_worker()
    worker_dismiss(worker=worker)
    with pytest.raises(ValidationError):
        worker_dismiss(worker=worker)
    worker_reinstate(worker=worker)
    worker.refresh_from_db()
    assert not worker.is_dismissed
    with pytest.raises(ValidationError):
        worker_reinstate(worker=worker)


def test_dismissal_and_reinstatement_are_recorded_in_the_history():
    worker = make_worker()
    worker_dismiss(worker=worker)
    worker_reinstate(worker=worker)
    states = [r.dismissed_at is not None for r in worker.history.order_by("history_id")]
    assert states == [False, True, False]


def test_restoring_a_version_undoes_a_mistaken_edit_as_one_more_change():
    old_post, new_post = make_post(), make_post()
    worker = make_worker("Мария Иванова", post=old_post, phone="+79160000001")
    original = worker.history.get()
    worker = worker_update(worker=worker, data={"name": "Опечатка", "post": new_post, "phone": "+79169999999"})

    worker = worker_restore_version(worker=worker, history_id=original.history_id, expected_version=worker.version)

    assert (worker.name, worker.post, worker.phone.as_e164) == ("Мария Иванова", old_post, "+79160000001")
    assert worker.history.count() == 3


def test_restoring_refuses_an_unknown_version_or_a_post_that_is_gone():
    worker = make_worker()
    with pytest.raises(ValidationError):
        worker_restore_version(worker=worker, history_id=999999)
    with pytest.raises(ValidationError):
        worker_restore_version(worker=worker, history_id="nonsense")
    gone = make_post()
    original = worker.history.get()
    worker = worker_update(worker=worker, data={"post": gone})
    worker = worker_update(worker=worker, data={"post": make_post()})
    post_delete(post=gone)
    between = worker.history.order_by("history_id")[1]
    with pytest.raises(ValidationError) as exc:
        worker_restore_version(worker=worker, history_id=between.history_id)
    assert "post" in exc.value.message_dict
    worker_restore_version(worker=worker, history_id=original.history_id)


def test_a_post_that_workers_hold_cannot_be_deleted_and_the_message_names_them():
    post = make_post("Трейдер")
    make_worker("Пётр Сидоров", post=post)
    with pytest.raises(ValidationError) as exc:
        post_delete(post=post)
    assert "Пётр Сидоров" in exc.value.messages[0]


def test_a_post_title_is_taken_whatever_its_case():
    from staff.services import post_create, post_update

    post_create(title="Аналитик")
    with pytest.raises(ValidationError) as exc:
        post_create(title="  аналитик ")
    assert exc.value.message_dict == {"title": ["A post with this title already exists."]}
    other = post_create(title="Трейдер")
    with pytest.raises(ValidationError):
        post_update(post=other, data={"title": "АНАЛИТИК"})
    assert post_update(post=other, data={"title": "трейдер"}).title == "трейдер"  # its own title, new case
