"""Two people saving the same worker at the same moment: one wins, the other is told.

Real threads, each with its own database connection, both starting from the same version.
On PostgreSQL the row lock makes the second wait and then see the new version. The SQLite
test database is in memory with a shared cache, where a second writer fails at once with
"table is locked" instead of waiting, so these run on PostgreSQL (scripts/run_tests.py).
"""

import threading

import pytest
from django.db import connection

from corpnet.services import ConcurrentUpdateError
from corpnet.testing import make_order, make_worker
from orders.models import Order
from staff.models import Worker
from staff.services import worker_reassign_orders, worker_update

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def real_row_locks():
    if connection.vendor != "postgresql":
        pytest.skip("needs real row locks: runs on PostgreSQL (scripts/run_tests.py)")


def race(*jobs):
    """Run ``jobs`` at once; return what each returned or raised."""
    results = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(index, job):
        try:
            start.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_of_two_simultaneous_edits_from_the_same_version_exactly_one_is_saved():
    worker = make_worker("Исходное Имя")
    seen = worker.version
    results = race(
        lambda: worker_update(worker=worker, data={"name": "Первый Кадровик"}, expected_version=seen),
        lambda: worker_update(worker=worker, data={"name": "Второй Кадровик"}, expected_version=seen),
    )
    refused = [r for r in results if isinstance(r, ConcurrentUpdateError)]
    saved = [r for r in results if isinstance(r, Worker)]
    assert (len(saved), len(refused)) == (1, 1), results
    worker.refresh_from_db()
    assert worker.name == saved[0].name
    assert worker.version == seen + 1


def test_two_opposite_hand_overs_at_once_neither_deadlock_nor_lose_an_order():
    a, b = make_worker(), make_worker()
    orders = [make_order(executor=a), make_order(executor=b)]
    results = race(
        lambda: worker_reassign_orders(worker=a, to=b),
        lambda: worker_reassign_orders(worker=b, to=a),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    executors = set(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("executor_id", flat=True))
    assert len(executors) == 1  # whichever ran second collected both
