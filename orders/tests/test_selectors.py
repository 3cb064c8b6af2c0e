import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from corpnet.listing import paginate
from corpnet.testing import make_client, make_order, make_worker
from orders import selectors
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders():
    rng = random.Random(7)
    workers = [make_worker() for _ in range(3)]
    clients = [make_client("Анна", "Иванова"), make_client("John", "Smith")]
    now = timezone.now()
    made = []
    for i in range(60):
        made.append(
            make_order(
                executor=rng.choice(workers),
                client=rng.choice(clients),
                status=rng.choice(list(OrderStatus)),
                sum=Decimal(rng.randrange(1, 500)),
                # Some share a timestamp, so the id tie-break matters.
                creation_date=now - timedelta(hours=rng.randrange(20)),
                title=f"order {i}",
            )
        )
    return made


def expected_ids(query: str) -> list[int]:
    """The same list with the plain ORM: filter, then the documented order."""
    params = QueryDict(query)
    qs = Order.objects.all()
    statuses = params.getlist("status") or ["active"]
    if "all" not in statuses:
        wanted = {s for s in statuses if s != "active"} | ({"new", "in_progress"} if "active" in statuses else set())
        qs = qs.filter(status__in=wanted)
    if params.get("client_name"):
        qs = qs.filter(client__lastname="Иванова")
    order = params.get("order_by")
    if order:
        field = {"sum": "sum", "title": "title", "created": "creation_date"}[order.lstrip("-")]
        sign = "-" if order.startswith("-") else ""
        qs = qs.order_by(sign + field, sign + "pk")
    else:
        qs = qs.order_by("-creation_date", "-pk")
    return list(qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "query",
    ["", "status=new&status=done", "client_name=иванова", "order_by=-sum", "order_by=sum&status=active", "status=all"],
)
def test_every_page_holds_exactly_the_rows_the_plain_query_gives(orders, query):
    expected = expected_ids(query)
    seen, position = [], ""
    for _ in range(10):
        params = QueryDict(f"{query}&size=25{position}")
        _filterset, queryset = selectors.order_list(data=params)
        page = paginate(queryset, params)
        seen += [o.pk for o in page.rows]
        if page.is_last:
            break
        position = f"&after={page.next}"
    assert seen == expected


def test_the_default_view_reads_the_generated_active_column():
    """The database keeps ``active`` in step with the status, whatever writes the row."""
    order = make_order(status=OrderStatus.NEW)
    _filterset, queryset = selectors.order_list(data=QueryDict(""))
    assert '"active"' in str(queryset.query)
    assert order in queryset
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.DONE)  # no save(), no Python
    assert not Order.objects.get(pk=order.pk).active
    assert order not in selectors.order_list(data=QueryDict(""))[1]
