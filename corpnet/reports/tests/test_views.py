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
    assert "Пётр Сидоров" in body and "Анна Котова" in body
    assert "1,234.56" in body
    assert 'href="/reports/"' in body  # the navigation link appears once the URL exists
