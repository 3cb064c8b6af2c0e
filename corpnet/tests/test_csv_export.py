"""CSV export: written from the column spec, in the user's language, never a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD
from corpnet.csv_export import cell, safe_cell
from corpnet.testing import make_client, make_order


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+7 916", "'+7 916"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t'=x"),
        ("\r=x", "'\r'=x"),
        ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"),
        ("a, +b", "a, '+b"),
        ("a;@b;-c", "a;'@b;'-c"),
        ("Иванова Анна", "Иванова Анна"),
        ("a-b", "a-b"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_text_cell_is_never_a_formula_even_split_on_a_separator(value, shown):
    assert safe_cell(value) == shown


def test_numbers_and_times_follow_the_language():
    moment = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)
    with translation.override("ru"):
        assert cell(Decimal("1234.50"), ",") == "1234,50"
    assert cell(Decimal("1234.50"), ".") == "1234.50"
    assert cell(moment, ".") == "2026-12-01 09:05:00+03:00"  # Europe/Moscow


@pytest.fixture
def manager_client(client, cast):
    client.login(username="admin", password=PASSWORD)
    return client


def rows(response, separator):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=separator))


@pytest.mark.django_db
def test_russian_users_get_semicolons_and_decimal_commas(manager_client):
    order = make_order(title="x;=cmd", sum=Decimal("12.34"), client=make_client("Анна", "Иванова"))
    ru = rows(manager_client.get(reverse("orders:export"), headers={"accept-language": "ru"}), ";")
    assert ru[1][0] == str(order.pk) and ru[1][1] == "x;'=cmd" and ru[1][-1] == "12,34"
    assert ru[1][5] == "Иванова Анна"
    en = rows(manager_client.get(reverse("orders:export"), headers={"accept-language": "en"}), ",")
    assert en[0] == ["ID", "Title", "Status", "Created", "Executor", "Client", "Sum"]
    assert en[1][-1] == "12.34" and en[1][3].endswith("+03:00")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["orders:export", "clients:export", "staff:export"])
def test_every_export_has_the_tables_csv_columns(manager_client, name):
    from clients.tables import ClientTable
    from orders.tables import OrderTable
    from staff.tables import WorkerTable

    table = {"orders:export": OrderTable, "clients:export": ClientTable, "staff:export": WorkerTable}[name]
    make_order()
    header = rows(manager_client.get(reverse(name), headers={"accept-language": "en"}), ",")[0]
    assert header == [str(c.header) for c in table.exported()]
