import pytest
from django.http import QueryDict
from django.utils import timezone

from corpnet.testing import make_order, make_post, make_worker
from staff.filters import WorkerFilter
from staff.models import Worker
from staff.services import worker_update
from staff.tables import WorkerTable

pytestmark = pytest.mark.django_db

#: Each column of the staff list and the filter that narrows it.
LISTED_FIELD_FILTERS = {
    "ID": "id",
    "Name": "name",
    "Post": "post",
    "Email": "email",
    "Phone": "phone",
    "Active orders": "has_active_order",
}


def run(query: str) -> set:
    return set(WorkerFilter(QueryDict(query), queryset=Worker.objects.all()).qs)


def test_every_listed_field_has_a_filter():
    labels = [str(c.header) for c in WorkerTable.columns if c.on_page]
    assert labels == list(LISTED_FIELD_FILTERS)
    assert set(LISTED_FIELD_FILTERS.values()) <= set(WorkerFilter.base_filters)


def test_every_sortable_column_is_a_sort_key_of_the_filterset():
    keys = {c.sort for c in WorkerTable.columns if c.sort}
    choices = {value for value, _label in WorkerFilter.base_filters["order_by"].extra["choices"]}
    assert keys <= choices


def test_id_accepts_one_or_several():
    a, b, _c = make_worker(), make_worker(), make_worker()
    assert run(f"id={a.pk}") == {a}
    assert run(f"id={a.pk},{b.pk}") == {a, b}
    assert run(f"id={a.pk}&id={b.pk}") == {a, b}


def test_name_is_a_case_insensitive_cyrillic_substring():
    ivanov = make_worker("Иван Иванов")
    make_worker("Пётр Сидоров")
    assert run("name=ИВАНОВ") == {ivanov}
    assert run("name=петр") == {w for w in Worker.objects.filter(name="Пётр Сидоров")}


def test_post_email_and_phone():
    trader = make_post("Трейдер")
    a = make_worker(post=trader, email="anna@corp.example", phone="+79161112233")
    make_worker(email="bob@corp.example", phone="+79035556677")
    assert run(f"post={trader.pk}") == {a}
    assert run("email=ANNA@") == {a}
    assert run("phone=916 111-22") == {a}


def test_has_active_order():
    busy = make_worker()
    order = make_order(executor=busy)
    worker_update(worker=busy, data={"active_order": order})
    idle = make_worker()
    assert busy in run("has_active_order=true") and idle not in run("has_active_order=true")
    assert idle in run("has_active_order=false") and busy not in run("has_active_order=false")


def test_dismissed_workers_only_when_asked_for():
    here = make_worker()
    gone = make_worker()
    worker_update(worker=gone, data={"dismissed_at": timezone.now()})
    assert run("") == {here}
    assert run("state=dismissed") == {gone}
    assert run("state=all") == {here, gone}


def test_bad_values_are_form_errors_and_the_filter_is_skipped():
    a = make_worker()
    f = WorkerFilter(QueryDict("id=abc&post=xyz&order_by=password"), queryset=Worker.objects.all())
    assert set(f.qs) == {a}
    assert {"id", "post", "order_by"} <= set(f.form.errors)


def test_has_active_order_reads_the_orders_not_the_single_field():
    from orders.models import OrderStatus
    from orders.services import order_set_status

    busy, finished = make_worker(), make_worker()
    make_order(executor=busy)
    Worker.objects.filter(pk=busy.pk).update(active_order=None)
    order_set_status(order=make_order(executor=finished), status=OrderStatus.CANCELLED)
    assert busy in run("has_active_order=true") and finished not in run("has_active_order=true")
    assert finished in run("has_active_order=false") and busy not in run("has_active_order=false")
