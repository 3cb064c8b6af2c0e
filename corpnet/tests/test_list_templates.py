"""The list pages' shared templates: the filter form (cached per list, language and query)."""

import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee_client(client, cast):
    client.login(username="employee", password=PASSWORD)
    return client


def test_the_cached_filter_form_still_shows_each_querys_values_and_errors(employee_client):
    url = reverse("orders:list")
    assert 'value="btc"' in employee_client.get(url, {"title": "btc"}).text
    assert 'value="eth"' in employee_client.get(url, {"title": "eth"}).text
    bad = employee_client.get(url, {"id": "abc"}).text
    assert 'id="id_id_errors"' in bad
    assert 'id="id_id_errors"' not in employee_client.get(url).text


def test_the_cached_filter_form_follows_the_language(employee_client):
    url = reverse("clients:list")
    assert "Deposit between" in employee_client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    russian = employee_client.get(url, HTTP_ACCEPT_LANGUAGE="ru").text
    assert "Deposit between" not in russian and 'lang="ru"' in russian


def test_the_staff_filter_form_is_never_cached_so_a_new_post_shows_at_once(employee_client):
    from staff.models import Post

    url = reverse("staff:list")
    assert "Quant" not in employee_client.get(url).text
    Post.objects.create(title="Quant")
    assert '">Quant</option>' in employee_client.get(url).text


def test_the_filter_form_keeps_the_page_size_and_sort(employee_client):
    text = employee_client.get(reverse("orders:list"), {"size": 50, "order_by": "-sum"}).text
    assert '<option value="50" selected>' in text
    assert '<input type="hidden" name="order_by" value="-sum">' in text
