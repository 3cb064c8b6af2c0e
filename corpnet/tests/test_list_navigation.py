"""Filters people expect: status checkboxes, "Any" for unset yes/no, back links that keep the
filters, and a hint when a search matches only dismissed workers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from corpnet.testing import make_client, make_order, make_worker
from staff.services import worker_dismiss

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee(client, cast):
    client.force_login(cast.employee)
    return client


def test_the_status_filter_is_checkboxes(employee):
    text = employee.get(reverse("orders:list")).text
    assert 'type="checkbox" name="status" value="new"' in text
    assert '<select name="status"' not in text


@pytest.mark.parametrize(("language", "word"), [("en", "Any"), ("ru", "Не важно")])
def test_unset_yes_no_filters_read_any(employee, language, word):
    employee.cookies["django_language"] = language
    for url in (reverse("clients:list"), reverse("staff:list")):
        text = employee.get(url).text
        assert f'<option value="" selected>{word}</option>' in text
        assert "Unknown" not in text and "Неизвестно" not in text
    # And the values still filter.
    anna = make_client("Анна", "Котова", mailing_opt_out=True)
    make_client("Борис", "Котов")
    page = employee.get(reverse("clients:list"), {"mailing_opt_out": "true"})
    assert list(page.context["filter"].qs) == [anna]


def test_back_links_return_to_the_list_as_it_was_left(employee):
    client = make_client("Валерия", "Иванова")
    order = make_order(client=client)
    employee.get(reverse("clients:list"), {"name": "иванова в", "order_by": "-sum"})
    text = employee.get(reverse("clients:detail", args=[client.pk])).text
    assert 'href="/clients/?name=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0+%D0%B2&amp;order_by=-sum">←' in text
    employee.get(reverse("orders:list"), {"status": ["new", "done"]})
    text = employee.get(reverse("orders:detail", args=[order.pk])).text
    assert 'href="/orders/?status=new&amp;status=done">←' in text
    # An unfiltered visit resets it.
    employee.get(reverse("orders:list"))
    assert 'href="/orders/">←' in employee.get(reverse("orders:detail", args=[order.pk])).text


def test_a_back_link_cannot_lead_elsewhere(employee):
    client = make_client()
    employee.get(reverse("clients:list"), {"next": "https://evil.example/", "name": '"><script>'})
    text = employee.get(reverse("clients:detail", args=[client.pk])).text
    assert 'href="/clients/?next=https%3A%2F%2Fevil.example%2F&amp;name=%22%3E%3Cscript%3E">←' in text


def test_a_search_matching_only_dismissed_workers_says_so(employee, cast):
    gone = make_worker("Иванова Валерия")
    worker_dismiss(worker=gone)
    page = employee.get(reverse("staff:list"), {"name": "Иванова В."})
    assert list(page.context["filter"].qs) == []
    assert page.context["filter"].hidden_dismissed["count"] == 1
    assert "1 dismissed worker also matches." in page.text
    link = page.context["filter"].hidden_dismissed["query"]
    assert "state=all" in link
    page = employee.get(reverse("staff:list") + "?" + link)
    assert list(page.context["filter"].qs) == [gone]
    assert page.context["filter"].hidden_dismissed is None
    # Nothing to hint without a search, or when nothing dismissed matches.
    assert employee.get(reverse("staff:list")).context["filter"].hidden_dismissed is None
    assert employee.get(reverse("staff:list"), {"name": "Петров"}).context["filter"].hidden_dismissed is None


def test_an_empty_list_does_not_say_page_1_of_1(employee):
    text = employee.get(reverse("clients:list"), {"name": "нет-такого"}).text
    assert "page 1 of 1" not in text and "of 0" not in text


def test_a_forged_cookie_still_leads_only_to_the_list(employee):
    client = make_client()
    employee.cookies["back_clients_list"] = "//evil.example/x"
    text = employee.get(reverse("clients:detail", args=[client.pk])).text
    assert 'href="/clients/?%2F%2Fevil.example%2Fx=">←' in text
