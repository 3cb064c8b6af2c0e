import pytest
from django.http import QueryDict

from corpnet.testing import make_order, make_post, make_worker
from staff import selectors

pytestmark = pytest.mark.django_db


def test_the_list_brings_each_workers_post_in_the_same_query(django_assert_num_queries):
    for _ in range(5):
        make_worker(post=make_post())
    _filterset, queryset = selectors.worker_list(data=QueryDict(""))
    with django_assert_num_queries(1):
        assert all(w.post.title for w in queryset)


def test_sorting_always_ends_with_the_primary_key():
    _filterset, queryset = selectors.worker_list(data=QueryDict("order_by=post"))
    assert list(queryset.query.order_by)[-1] == "pk"


def test_a_workers_latest_orders_are_bounded_and_newest_first():
    worker = make_worker()
    made = [make_order(executor=worker) for _ in range(4)]
    latest = selectors.worker_latest_orders(worker=worker, limit=3)
    assert [o.pk for o in latest] == [o.pk for o in reversed(made)][:3]
