import pytest
from django.http import QueryDict

from clients import selectors
from corpnet.testing import make_client, make_order

pytestmark = pytest.mark.django_db


def test_sorting_by_deposit_ends_with_the_primary_key():
    _filterset, queryset = selectors.client_list(data=QueryDict("order_by=-sum"))
    assert list(queryset.query.order_by) == ["-sum", "-pk"]


def test_a_clients_latest_orders_are_bounded_and_bring_their_executor(django_assert_num_queries):
    client = make_client()
    for _ in range(4):
        make_order(client=client)
    with django_assert_num_queries(1):
        latest = selectors.client_latest_orders(client=client, limit=2)
        assert len(latest) == 2 and all(o.executor.name for o in latest)
