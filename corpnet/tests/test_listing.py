import pytest
from django.http import QueryDict

from clients.models import Client
from corpnet.listing import Column, paginate, safe_cell, sort_columns
from corpnet.testing import make_client


@pytest.mark.parametrize("value", ["=1+2", "+7 916", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_made_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "shown"), [(None, ""), (12, "12"), ("Анна", "Анна"), ("a=b", "a=b")])
def test_other_cells_are_left_alone(value, shown):
    assert safe_cell(value) == shown


def test_a_header_link_sorts_then_reverses_and_forgets_the_page():
    params = QueryDict("name=x&page=3&order_by=sum")
    sum_column, name_column = sort_columns([Column("sum", "Sum"), Column("", "Phone")], params)
    assert sum_column.direction == "asc"
    assert "order_by=-sum" in sum_column.url and "page=" not in sum_column.url and "name=x" in sum_column.url
    assert name_column.url == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "number", "size", "clamped"),
    [("", 1, 25, False), ("page=2&size=2", 1, 25, True), ("page=-1", 1, 25, True), ("page=x&size=7", 1, 25, True)],
)
def test_page_numbers_and_sizes_outside_the_list_fall_back(query, number, size, clamped):
    for _ in range(3):
        make_client()
    params = QueryDict(query)
    page = paginate(Client.objects.order_by("pk"), params)
    # size=2 is not an offered size, so 25 is used and page 2 does not exist.
    assert (page.number, page.size, page.clamped) == (number, size, clamped)
    assert page.count == 3 and page.last == 1
