"""Names found the way people type them, by every name filter, on SQLite and PostgreSQL.

The same FilterSets serve the list pages, CSV, the API, mailing audiences and the mailing
person finder, so these cases run through the FilterSets and through the pages.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from clients.filters import ClientFilter
from clients.models import Client
from conftest import PASSWORD
from corpnet.filters import search_words
from corpnet.testing import make_client, make_order, make_worker
from orders.filters import OrderFilter
from orders.models import Order
from staff.filters import WorkerFilter
from staff.models import Worker

pytestmark = pytest.mark.django_db

#: How people type "Иванова Валерия" (the list shows "Фамилия Имя").
FINDS_VALERIA = [
    "Иванова Валерия",
    "валерия иванова",
    "Иванова В.",
    "Иванова В",
    "иванова в.",
    "В. Иванова",
    "ИВАНОВА ВАЛ",
    "иван вал",
    "  Иванова   Валерия  ",
    "ванова лери",
    "Иванова",
    "валерия",
    "«Иванова» Валерия",
    '"Иванова В."',
    "(Иванова) В.",
    "Иванова – Валерия",
    "Иванова- В",
]
#: Near misses: another first name, an initial that only occurs inside a word, a word too many.
MISSES_VALERIA = ["Иванова Анна", "Иванова А.", "Иванова Н", "Иванова Валерия Петровна", "Петрова В"]


def clients(query: str) -> set:
    return set(ClientFilter(QueryDict(query), queryset=Client.objects.all()).qs)


def workers(query: str) -> set:
    return set(WorkerFilter(QueryDict(query), queryset=Worker.objects.all()).qs)


def orders(query: str) -> set:
    return set(OrderFilter(QueryDict(query), queryset=Order.objects.all()).qs)


@pytest.fixture
def people():
    valeria = make_client("Валерия", "Иванова")
    anna = make_client("Анна", "Иванова")
    fedor = make_client("Фёдор", "Петров-Водкин")
    return valeria, anna, fedor


def test_the_words_of_a_query():
    assert search_words("Иванова В.В.") == [("иванова", False), ("в", True), ("в", True)]
    assert search_words(" Иванова,  Вал. ") == [("иванова", False), ("вал", True)]
    assert search_words("СЁМИН") == [("семин", False)]
    assert search_words(" . , ") == []
    assert search_words("«Петров-Водкин» (Ф.)") == [("петров-водкин", False), ("ф", True)]
    assert search_words("д'Артаньян - ") == [("д'артаньян", False)]
    assert search_words('"" — ! ?') == []


@pytest.mark.parametrize("typed", FINDS_VALERIA)
def test_a_client_is_found_however_her_name_is_typed(people, typed):
    valeria, _anna, _fedor = people
    assert valeria in clients(_encode("name", typed))


@pytest.mark.parametrize("typed", MISSES_VALERIA)
def test_near_misses_are_not_found(people, typed):
    valeria, _anna, _fedor = people
    assert valeria not in clients(_encode("name", typed))


def test_initials_must_begin_a_word_but_may_follow_a_hyphen(people):
    valeria, anna, fedor = people
    assert clients(_encode("name", "Иванова В")) == {valeria}
    assert clients(_encode("name", "Иванова А.")) == {anna}
    assert clients(_encode("name", "Водкин Ф.")) == {fedor}
    assert clients(_encode("name", "В. Ф.")) == {fedor}
    assert clients(_encode("name", "федор петров")) == {fedor}  # ё = е


def test_workers_any_order_and_initials():
    petrov = make_worker("Петров Иван Сергеевич")
    ivanov = make_worker("Иванов Пётр")
    assert workers(_encode("name", "Иван Петров")) == {petrov}
    assert workers(_encode("name", "петров и. с.")) == {petrov}
    assert workers(_encode("name", "Иванов П")) == {ivanov}
    assert workers(_encode("name", "иван")) == {petrov, ivanov}
    assert workers(_encode("name", "Пётр иванов")) == {ivanov}


def test_orders_by_client_executor_or_either(people):
    valeria, anna, _fedor = people
    petrov = make_worker("Петров Иван")
    ivanov = make_worker("Иванов Пётр")
    hers = make_order(client=valeria, executor=petrov)
    annas = make_order(client=anna, executor=ivanov)
    assert orders(_encode("client_name", "Иванова В.")) == {hers}
    assert orders(_encode("client_name", "валерия иванова")) == {hers}
    assert orders(_encode("executor_name", "Петров И")) == {hers}
    assert orders(_encode("executor_name", "иван петров")) == {hers}
    assert orders(_encode("name", "Иванов П.")) == {annas}
    assert orders(_encode("name", "иванов")) == {hers, annas}
    # Every word must match one person: her name and the other order's executor do not mix.
    assert orders(_encode("name", "Валерия Пётр")) == set()


def test_order_titles_match_words_in_any_order():
    order = make_order(title="Покупка BTC для клиента")
    assert orders(_encode("title", "btc покупка")) == {order}
    assert orders(_encode("title", "покупка eth")) == set()


def _encode(key: str, value: str) -> str:
    qd = QueryDict(mutable=True)
    qd[key] = value
    return qd.urlencode()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.parametrize("typed", ["Иванова Валерия", "Иванова В.", "Иванова В", "валерия иванова"])
def test_every_page_and_the_mailing_finder_find_her(client, cast, people, typed):
    valeria, anna, _fedor = people
    worker = make_worker("Иванова Валерия")
    make_worker("Иванова Анна")
    order = make_order(client=valeria, executor=make_worker("Сидоров Олег"))
    make_order(client=anna, executor=make_worker("Смирнов Олег"))
    login(client, cast.manager)

    page = client.get(reverse("clients:list"), {"name": typed})
    assert [c.pk for c in page.context["filter"].qs] == [valeria.pk]
    page = client.get(reverse("staff:list"), {"name": typed})
    assert [w.pk for w in page.context["filter"].qs] == [worker.pk]
    for key in ("name", "client_name"):
        page = client.get(reverse("orders:list"), {key: typed})
        assert [o.pk for o in page.context["filter"].qs] == [order.pk]
    for audience, person in (("client", valeria), ("worker", worker)):
        page = client.get(reverse("mailing:new"), {"audience": audience, "find": typed})
        assert list(page.context["found"]) == [person]


def test_many_matching_people_are_passed_as_a_subquery(people, monkeypatch):
    from orders import filters as order_filters

    valeria, anna, _fedor = people
    hers, annas = make_order(client=valeria), make_order(client=anna)
    inline = orders(_encode("client_name", "иванова"))
    monkeypatch.setattr(order_filters, "MAX_INLINE_IDS", 1)
    assert orders(_encode("client_name", "иванова")) == inline == {hers, annas}
    assert orders(_encode("name", "Иванова В.")) == {hers}
