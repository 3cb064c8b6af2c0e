"""Numbers and dates typed as the page shows them; sums with the currency; names last name first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from clients.filters import ClientFilter
from clients.models import Client
from corpnet.display import format_money, person_name
from corpnet.forms import LocalizedDateField, MoneyFormField, parse_localized_number
from corpnet.testing import make_client, make_order
from orders.filters import OrderFilter
from orders.models import Order
from reports.forms import ReportFilterForm

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 000,50", "1000.50"),
        (f"1{NBSP}937{NBSP}124,91", "1937124.91"),
        ("1\u202f000\u202f000", "1000000"),
        ("1 000 000", "1000000"),
        ("1000000,50", "1000000.50"),
        ("1000000.50", "1000000.50"),
        ("1.000.000,50", "1000000.50"),
        ("1,000,000.50", "1000000.50"),
        ("1,000,000", "1000000"),
        (" 12,5 ", "12.5"),
    ],
)
def test_russian_numbers_as_the_page_shows_them(typed, expected):
    with translation.override("ru"):
        assert parse_localized_number(typed) == Decimal(expected)
        assert MoneyFormField().clean(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "expected"), [("1,000,000", "1000000"), ("1,000.50", "1000.50"), ("1000.5", "1000.5"), ("1 000", "1000")]
)
def test_english_numbers(typed, expected):
    with translation.override("en"):
        assert MoneyFormField().clean(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1..5", "--1", "1e5", "nan", "Infinity", "-5", "1" * 70])
def test_what_is_not_an_amount_is_a_field_error_in_the_language(typed):
    field = MoneyFormField()
    with translation.override("ru"), pytest.raises(Exception) as err:
        field.clean(typed)
    assert err.type.__name__ == "ValidationError"


def test_the_error_shows_an_example_in_the_language():
    with translation.override("ru"):
        with pytest.raises(Exception) as err:
            MoneyFormField().clean("десять")
        assert err.value.messages == [f"Введите сумму, например 1{NBSP}000,50."]
        with pytest.raises(Exception) as err:
            LocalizedDateField().clean("31/12/2026")
        assert err.value.messages == ["Введите дату в виде 31.12.2026."]


def test_dates_in_the_language_and_iso():
    with translation.override("ru"):
        field = LocalizedDateField()
        assert field.clean("01.12.2026") == dt.date(2026, 12, 1)
        assert field.clean(" 2026-12-01 ") == dt.date(2026, 12, 1)
        assert 'placeholder="дд.мм.гггг"' in field.widget.render(
            "d", dt.date(2026, 12, 1), field.widget_attrs(field.widget)
        )
        assert 'value="01.12.2026"' in field.widget.render("d", dt.date(2026, 12, 1))
    with translation.override("en"):
        assert LocalizedDateField().clean("2026-12-01") == dt.date(2026, 12, 1)
        assert 'value="2026-12-01"' in LocalizedDateField().widget.render("d", dt.date(2026, 12, 1))


@pytest.mark.django_db
def test_filters_take_russian_sums_and_dates():
    small = make_client(sum=Decimal("999999.99"))
    big = make_client(sum=Decimal("1000000.50"))
    with translation.override("ru"):
        for typed in ("1 000 000", f"1{NBSP}000{NBSP}000,50", "1000000,50", "1000000.50"):
            query = QueryDict(mutable=True)
            query["sum_min"] = typed
            filterset = ClientFilter(query, queryset=Client.objects.all())
            assert filterset.is_valid(), filterset.errors
            assert set(filterset.qs) == {big}, typed
        query = QueryDict("sum_max=999 999,99")
        assert set(ClientFilter(query, queryset=Client.objects.all()).qs) == {small}
        order = make_order(client=big)
        today = order.creation_date.astimezone().date()
        for value in (today.strftime("%d.%m.%Y"), today.isoformat()):
            query = QueryDict(mutable=True)
            query.update({"creation_date_after": value, "creation_date_before": value})
            filterset = OrderFilter(query, queryset=Order.objects.all())
            assert filterset.is_valid(), filterset.errors
            assert set(filterset.qs) == {order}


def test_report_dates_as_shown():
    with translation.override("ru"):
        form = ReportFilterForm(QueryDict("date_from=01.02.2026&date_to=2026-03-31"))
        assert form.is_valid(), form.errors
        assert (form.cleaned_data["date_from"], form.cleaned_data["date_to"]) == (
            dt.date(2026, 2, 1),
            dt.date(2026, 3, 31),
        )


def test_money_with_the_currency_in_each_language(settings):
    with translation.override("ru"):
        assert format_money(Decimal("1937124.91")) == f"1{NBSP}937{NBSP}124,91{NBSP}₽"
        assert Template("{{ v|money }}").render(Context({"v": Decimal("5")})) == f"5,00{NBSP}₽"
    with translation.override("en"):
        assert format_money(Decimal("1937124.91")) == "₽1,937,124.91"
        assert format_money(1937124.91) == "₽1,937,124.91"
        assert format_money(None) == ""
    settings.CURRENCY = "USD"
    with translation.override("en"):
        assert format_money(Decimal("10")) == "$10.00"


def test_one_date_format_per_language():
    when = dt.datetime(2026, 12, 1, 9, 5)
    for language, expected in (("ru", "01.12.2026 09:05"), ("en", "2026-12-01 09:05")):
        with translation.override(language):
            for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
                assert Template(f'{{{{ w|date:"{name}" }}}}').render(Context({"w": when})) == expected
            assert Template("{{ w|date }}").render(Context({"w": when.date()})) == expected.split()[0]


def test_names_last_name_first():
    assert person_name("Валерия", "Иванова") == "Иванова Валерия"
    assert person_name("Иванов Пётр") == "Иванов Пётр"
    assert person_name(" Анна ", "") == "Анна"
    assert Template("{{ n|person_name:l }}").render(Context({"n": "Валерия", "l": "Иванова"})) == "Иванова Валерия"


@pytest.mark.django_db
def test_detail_pages_show_sums_with_currency_and_last_name_first(client, cast):
    valeria = make_client("Валерия", "Иванова", sum=Decimal("1937124.91"))
    order = make_order(client=valeria, sum=Decimal("1000.50"))
    client.force_login(cast.employee)
    client.cookies["django_language"] = "ru"
    text = client.get(reverse("clients:detail", args=[valeria.pk]), HTTP_ACCEPT_LANGUAGE="ru").text
    assert "Иванова Валерия" in text and f"1{NBSP}937{NBSP}124,91{NBSP}₽" in text
    text = client.get(reverse("orders:detail", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="ru").text
    assert "Иванова Валерия" in text and f"1{NBSP}000,50{NBSP}₽" in text


@pytest.mark.django_db
def test_client_order_and_admin_forms_take_sums_as_shown(cast):
    from django.test import Client as Browser

    manager = Browser()
    manager.force_login(cast.manager)
    manager.cookies["django_language"] = "ru"
    data = {"lastname": "Иванова", "name": "Валерия", "email": "v@mail.example", "phone": "8 903 123-45-67"}
    response = manager.post("/clients/new/", {**data, "sum": f"1{NBSP}937{NBSP}124,91"})
    assert response.status_code == 302, response.context["form"].errors
    assert Client.objects.get(email="v@mail.example").sum == Decimal("1937124.91")
    admin = Browser()
    admin.force_login(cast.admin)
    admin.cookies["django_language"] = "ru"
    client = Client.objects.get(email="v@mail.example")
    page = admin.get(reverse("admin:clients_client_change", args=[client.pk]))
    assert page.status_code == 200
    assert 'inputmode="decimal"' in page.text
