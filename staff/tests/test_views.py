import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from corpnet.testing import make_order, make_post, make_worker
from staff.services import worker_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee_client(client, cast):
    client.login(username="employee", password=PASSWORD)
    return client


def test_the_staff_list_needs_login(client):
    response = client.get(reverse("staff:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_user_without_a_role_gets_403(client, cast):
    client.login(username="outsider", password=PASSWORD)
    assert client.get(reverse("staff:list")).status_code == 403
    assert client.get(reverse("staff:export")).status_code == 403


def test_the_list_shows_current_workers_with_their_post(employee_client):
    make_worker("Иван Петров", post=make_post("Трейдер"))
    response = employee_client.get(reverse("staff:list"))
    assert response.status_code == 200
    assert "Иван Петров" in response.text and "Трейдер" in response.text


def test_dismissed_workers_are_hidden_unless_asked_for(employee_client):
    gone = make_worker("Уволенный Сотрудник")
    worker_update(worker=gone, data={"dismissed_at": timezone.now()})
    assert "Уволенный Сотрудник" not in employee_client.get(reverse("staff:list")).text
    assert "Уволенный Сотрудник" in employee_client.get(reverse("staff:list"), {"state": "all"}).text


def test_name_search_is_case_insensitive_for_cyrillic(employee_client):
    make_worker("Иван Иванов")
    make_worker("Пётр Сидоров")
    text = employee_client.get(reverse("staff:list"), {"name": "ИВАНОВ"}).text
    assert "Иван Иванов" in text and "Пётр Сидоров" not in text


def test_the_list_costs_a_constant_number_of_queries(employee_client, django_assert_max_num_queries):
    for _ in range(30):
        make_worker()
    # Session, user with permissions, a capped count, the page's rows, the posts for the filter.
    with django_assert_max_num_queries(7):
        assert employee_client.get(reverse("staff:list"), {"size": 100}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"id": "abc"},
        {"page": "-1"},
        {"page": "999999"},
        {"size": "abc"},
        {"order_by": "password"},
        {"post": "abc"},
        {"state": "nonsense"},
        {"name": "x" * 5000},
        {"name": "<script>alert(1)</script>"},
    ],
)
def test_bad_input_is_answered_without_a_500(employee_client, query):
    response = employee_client.get(reverse("staff:list"), query)
    assert response.status_code in (200, 400)
    assert "<script>alert" not in response.text


def test_a_bad_id_is_reported_next_to_the_field(employee_client):
    response = employee_client.get(reverse("staff:list"), {"id": "abc"})
    assert 'id="id_id_errors"' in response.text


def test_a_worker_name_with_markup_renders_as_text(employee_client):
    make_worker("<script>alert(1)</script>")
    response = employee_client.get(reverse("staff:list"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_the_detail_page_shows_the_worker_and_their_orders(employee_client, django_assert_max_num_queries):
    worker = make_worker("Иван Петров")
    for _ in range(25):
        make_order(executor=worker, title="Покупка ETH")
    # Session, user with permissions, the worker, their orders, their active orders and how
    # many, their history records: a constant number whatever the sizes (permission checks
    # are free once the user is loaded).
    with django_assert_max_num_queries(9):
        response = employee_client.get(reverse("staff:detail", args=[worker.pk]))
    assert response.status_code == 200
    # The latest 20 in the table, the newest 5 of the 25 active ones named above it.
    assert response.text.count("Покупка ETH") == 20 + 5
    assert 'data-count="25"' in response.text
    assert f"executor={worker.pk}" in response.text


def test_an_unknown_worker_is_a_404(employee_client):
    assert employee_client.get(reverse("staff:detail", args=[999999])).status_code == 404


def test_the_csv_export_holds_exactly_the_filtered_rows(employee_client):
    make_worker("Иван Иванов")
    make_worker("=HYPERLINK(1)")
    make_worker("Пётр Сидоров")
    response = employee_client.get(reverse("staff:export"), {"name": "иван"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[1] for r in rows[1:]] == ["Иван Иванов"]
    response = employee_client.get(reverse("staff:export"), {"name": "hyperlink"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_staff_list_links_to_the_posts(client, cast):
    client.force_login(cast.employee)
    assert 'href="/staff/posts/"' in client.get("/staff/").text


@pytest.mark.parametrize("query", ["post=99999999999999999999", "post=abc"])
def test_impossible_values_are_field_errors_not_server_errors(client, cast, query):
    client.force_login(cast.employee)
    response = client.get(f"/staff/?{query}")
    assert response.status_code in (200, 400)
    assert "errorlist" in response.text


@pytest.mark.parametrize("query", ["name=%00", "email=a%00b"])
def test_a_nul_in_a_filter_is_refused_before_the_list_reads_it(client, cast, query):
    # corpnet.middleware.RefuseNulInQueryMiddleware: PostgreSQL cannot take NUL in text.
    client.force_login(cast.employee)
    assert client.get(f"/staff/?{query}").status_code == 400
