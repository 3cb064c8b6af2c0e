import datetime as dt

import pytest
from django.http import QueryDict
from django.test import override_settings

from corpnet.testing import make_post
from reports import selectors as sql
from reports.forms import MAX_TOP, RANK_CHOICES, ReportFilterForm

pytestmark = pytest.mark.django_db


def filters_for(query: str):
    form = ReportFilterForm(QueryDict(query))
    form.is_valid()
    return form, form.report_filters()


def test_no_input_means_every_order_and_the_default_top():
    form, f = filters_for("")
    assert form.is_valid()
    assert f == sql.ReportFilters()


def test_valid_input_becomes_the_filters():
    post = make_post()
    _form, f = filters_for(
        f"date_from=2024-01-01&date_to=2024-03-31&post={post.pk}&status=new&status=done&top=5&rank=deposit"
    )
    assert f.date_from == dt.date(2024, 1, 1) and f.date_to == dt.date(2024, 3, 31)
    assert (f.post_id, f.statuses, f.top, f.rank_clients_by) == (post.pk, ("new", "done"), 5, "deposit")


def test_an_invalid_field_is_left_out_and_the_valid_ones_still_apply():
    form, f = filters_for(f"date_from=yesterday&top={MAX_TOP + 1}&status=done")
    assert set(form.errors) == {"date_from", "top"}
    assert (f.date_from, f.top, f.statuses) == (None, sql.DEFAULT_TOP, ("done",))


def test_an_end_before_the_start_is_refused_with_a_message():
    form, f = filters_for("date_from=2024-05-02&date_to=2024-05-01")
    assert "before the start" in str(form.errors["date_to"])
    assert (f.date_from, f.date_to) == (dt.date(2024, 5, 2), None)


def test_dates_at_the_ends_of_the_calendar_are_refused_rather_than_overflowing():
    form, f = filters_for("date_from=0001-01-01&date_to=9999-12-31")
    assert set(form.errors) == {"date_from", "date_to"}
    assert f.utc_bounds() == (None, None)


def test_every_ranking_the_form_offers_is_one_the_query_knows():
    assert {key for key, _label in RANK_CHOICES} == set(sql.CLIENT_RANKINGS)


@override_settings(TIME_ZONE="Europe/Moscow")
def test_a_local_day_becomes_utc_bounds_in_the_company_time_zone():
    f = sql.ReportFilters(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 2, 1))
    assert f.utc_bounds() == (
        dt.datetime(2024, 1, 31, 21, 0, tzinfo=dt.UTC),
        dt.datetime(2024, 2, 1, 21, 0, tzinfo=dt.UTC),
    )
