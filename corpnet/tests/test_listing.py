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


# --- every way paginate reads a page gives the rows and count the plain query gives ----------

#: (name, settings patched on corpnet.listing): each forces one of paginate's reading paths.
PATHS = {
    # A capped COUNT, then the ids chosen among the matches read first (a short list).
    "count, matches first": {"FILTER_FIRST_ROWS": 5_000},
    # A capped COUNT, then the ids read in the sort order (a long list).
    "count, in order": {"FILTER_FIRST_ROWS": 0},
    # A tiny cap: the count stops early and deep pages are out of reach.
    "capped": {"MAX_ROWS": 30, "FILTER_FIRST_ROWS": 0},
    "capped, matches first": {"MAX_ROWS": 30, "FILTER_FIRST_ROWS": 5_000},
    # PostgreSQL only (elsewhere these are the count paths): the planner's estimate is taken
    # as "far above the cap", so nothing is counted until a page comes back short...
    "estimate trusted": {"ESTIMATE_TRUSTED": 0, "estimate": True},
    # ...or middling: "about N", the pages read in order...
    "estimate middling": {"FILTER_FIRST_ROWS": 0, "estimate": True},
    # ...or small, and one query counts the matches and picks the page.
    "estimate small": {"estimate": True},
    "estimate small, capped": {"MAX_ROWS": 30, "estimate": True},
}


@pytest.fixture
def clustered_clients():
    """Matches in one stretch of the alphabet, with ties on name so that the id decides."""
    for n in range(45):
        make_client(name=f"Имя{n % 4}", lastname=f"Иванов{n % 9}")
    for n in range(20):
        make_client(name="Анна", lastname=f"Петрова{n}")


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("term", "order"),
    [("иванов", None), ("иванов", ["-sum", "-lastname", "pk"]), ("", ["name", "-pk"]), ("нет-такого", None)],
)
def test_every_reading_path_gives_the_rows_and_count_of_the_plain_query(
    clustered_clients, monkeypatch, path, term, order
):
    options = dict(PATHS[path])
    estimate = options.pop("estimate", False)
    for name, value in options.items():
        monkeypatch.setattr(f"corpnet.listing.{name}", value)
    import corpnet.listing as listing

    queryset = Client.objects.filter(search__contains=term)
    if order:
        queryset = queryset.order_by(*order)
    expected = list(queryset.values_list("pk", flat=True))
    last = max(1, -(-min(len(expected), listing.MAX_ROWS) // 25))
    for asked in range(1, last + 3):
        page = paginate(queryset, QueryDict(f"page={asked}"), estimate=estimate)
        number = min(asked, last)
        assert page.number == number, (asked, page.number)
        assert [c.pk for c in page.rows] == expected[(number - 1) * 25 : number * 25]
        assert page.clamped == (asked != number)
        if page.number == last:  # the last page always knows the figure
            assert (page.count, page.capped) == (min(len(expected), listing.MAX_ROWS), len(expected) > listing.MAX_ROWS)
            assert page.last == last and not page.approximate
        else:  # an estimate may stand on a full page, but never closes the way on
            assert page.has_next


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_a_page_costs_the_same_few_queries_on_every_path(
    clustered_clients, monkeypatch, django_assert_max_num_queries, path
):
    options = dict(PATHS[path])
    estimate = options.pop("estimate", False)
    for name, value in options.items():
        monkeypatch.setattr(f"corpnet.listing.{name}", value)
    queryset = Client.objects.filter(search__contains="иванов")
    with django_assert_max_num_queries(3):
        page = paginate(queryset, QueryDict("page=2"), estimate=estimate)
    assert len(page.rows) == 20


@pytest.mark.django_db
@pytest.mark.parametrize("estimate", [False, True])
def test_an_absurd_page_number_shows_the_last_page(clustered_clients, estimate):
    queryset = Client.objects.filter(search__contains="иванов")
    page = paginate(queryset, QueryDict(f"page={10**30}"), estimate=estimate)
    assert (page.number, page.clamped, len(page.rows)) == (2, True, 20)


@pytest.mark.django_db
def test_an_estimated_count_is_shown_as_about(clustered_clients, monkeypatch):
    """On PostgreSQL a middling estimate is labelled; elsewhere there is no estimate to show."""
    from django.db import connection

    monkeypatch.setattr("corpnet.listing.FILTER_FIRST_ROWS", 0)
    page = paginate(Client.objects.all(), QueryDict("size=25"), estimate=True)
    assert page.approximate == (connection.vendor == "postgresql")
    assert len(page.rows) == 25 and page.has_next


@pytest.mark.django_db
def test_where_there_is_no_estimate_a_capped_count_is_remembered_and_a_short_page_forgets_it(
    clustered_clients, monkeypatch, django_assert_num_queries
):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL has the planner's estimate instead (tested above)")
    monkeypatch.setattr("corpnet.listing.MAX_ROWS", 30)
    queryset = Client.objects.all()
    with django_assert_num_queries(2):  # counted: more than 30
        first = paginate(queryset, QueryDict(""), estimate=True)
    with django_assert_num_queries(1):  # remembered: only the rows
        again = paginate(queryset, QueryDict(""), estimate=True)
    assert (first.count, first.capped, again.count, again.capped) == (30, True, 30, True)
    Client.objects.filter(pk__in=[c.pk for c in Client.objects.all()[:50]]).delete()
    shrunk = paginate(queryset, QueryDict(""), estimate=True)  # a short page: the exact figure
    assert (shrunk.count, shrunk.capped) == (15, False)
    with django_assert_num_queries(2):  # and the memo is gone: counted again
        assert paginate(queryset, QueryDict(""), estimate=True).count == 15
