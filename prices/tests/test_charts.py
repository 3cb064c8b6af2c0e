"""The SVG charts are pure functions; text in them is escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from prices.charts import MAX_POINTS, line_chart, sparkline


def test_a_sparkline_rises_green_and_falls_red():
    assert "#2a9d3a" in sparkline([Decimal(1), Decimal(2)])
    assert "#c0392b" in sparkline([Decimal(2), Decimal(1)])


def test_a_sparkline_needs_two_points():
    assert sparkline([]) == "" and sparkline([Decimal(1)]) == ""


def test_a_flat_line_does_not_divide_by_zero():
    assert "polyline" in sparkline([Decimal(1)] * 5)


def test_labels_and_source_names_are_escaped():
    at = datetime(2026, 1, 1, tzinfo=UTC)
    svg = line_chart({"<script>x</script>": [(at, Decimal(1)), (at + timedelta(hours=1), Decimal(2))]}, title='"><b>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '"><b>' not in svg
    assert "<b>" not in sparkline([Decimal(1), Decimal(2)], label="<b>")


def test_an_empty_chart_says_so():
    assert "No prices" in line_chart({}, empty_text="No prices")


def test_a_long_history_is_thinned_to_what_a_chart_can_show():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [(start + timedelta(minutes=5 * i), Decimal(i + 1)) for i in range(10_000)]
    svg = line_chart({"s": points})
    coordinates = svg.split('points="')[1].split('"')[0].split()
    assert len(coordinates) == MAX_POINTS
