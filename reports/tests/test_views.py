from decimal import Decimal

import pytest
from django.urls import reverse

from corpnet.testing import make_client, make_order, make_worker
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db

URL = "/reports/"


def test_the_page_is_named_reports_for_the_navigation():
    assert reverse("reports") == URL


def test_a_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_any_logged_in_employee_sees_all_three_reports_with_charts(client, cast):
    make_order(executor=make_worker("Пётр Сидоров"), client=make_client("Анна", "Котова"), sum=Decimal("1234.56"))
    client.force_login(cast.employee)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for chart in ("workload", "clients", "months"):
        assert f'data-chart="{chart}"' in body
    assert "Пётр Сидоров" in body and "Котова Анна" in body
    assert "1,234.56" in body
    assert 'href="/reports/"' in body  # the navigation link appears once the URL exists


def test_the_number_of_queries_does_not_grow_with_the_data(client, cast, django_assert_max_num_queries):
    client.force_login(cast.employee)
    make_order()
    with django_assert_max_num_queries(9) as small:
        assert client.get(URL).status_code == 200
    for i in range(15):
        make_order(executor=make_worker(f"Worker {i}"), client=make_client(f"Client {i}", "X"), status="done")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL, {"top": 50}).status_code == 200


@pytest.mark.parametrize(
    "query, field",
    [
        ("date_from=2024-13-45", "date_from"),
        ("date_from=2024-05-02&date_to=2024-05-01", "date_to"),
        ("date_to=0001-01-01", "date_to"),
        ("post=abc", "post"),
        ("post=999999", "post"),
        ("status=lost", "status"),
        ("top=0", "top"),
        ("top=1e999", "top"),
        ("rank=name;DROP TABLE", "rank"),
        ("date_from=" + "9" * 10_000, "date_from"),
    ],
)
def test_bad_filter_input_shows_a_message_and_still_answers(client, cast, query, field):
    make_order()
    client.force_login(cast.employee)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'data-problem="filters"' in response.content.decode()
    assert 'data-chart="months"' in response.content.decode()  # the reports still ran, without that filter


def test_the_filters_narrow_the_reports(client, cast):
    kept = make_order(status=OrderStatus.DONE, client=make_client("Kept", "Client"))
    make_order(status=OrderStatus.NEW, client=make_client("Other", "Client"))
    client.force_login(cast.employee)
    response = client.get(URL, {"status": "done", "post": kept.executor.post_id})
    assert not response.context["form"].errors
    assert [r.status for r in response.context["months"]] == ["done"]
    assert [r.worker_id for r in response.context["workload"]] == [kept.executor_id]


def test_a_script_in_a_name_is_shown_as_text_in_the_tables_and_the_charts(client, cast):
    evil = "<script>alert(1)</script>"
    make_order(executor=make_worker(evil), client=make_client(evil, "X"))
    client.force_login(cast.employee)
    body = client.get(URL).content.decode()
    assert evil not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    svg = body[body.index('data-chart="workload"') :]
    assert "&lt;script&gt;" in svg[: svg.index("</svg>")]


def test_the_page_only_answers_get(client, cast):
    client.force_login(cast.employee)
    assert client.post(URL).status_code == 405
