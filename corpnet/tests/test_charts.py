"""The charts: geometry from numbers, SVG from the templates, labels in the page's language."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from corpnet.charts import (
    FALLING,
    MAX_POINTS,
    PALETTE,
    RISING,
    bar_chart,
    compact,
    history_chart,
    line_chart,
    price,
    sparkline,
)

SVG = "{http://www.w3.org/2000/svg}"

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2, allow_nan=False)


def render(chart) -> str:
    return render_to_string(chart.template, {"chart": chart}) if chart else ""


def parse(chart) -> ET.Element:
    return ET.fromstring(render(chart))


def texts(svg: ET.Element) -> str:
    return "".join(svg.itertext())


def test_a_bar_chart_draws_one_bar_per_label_and_series_scaled_to_the_largest():
    chart = bar_chart(
        ident="t", title="T", labels=["a", "b"], series=[("x", [Decimal("5"), Decimal("10")]), ("y", [0, 1])]
    )
    bars = [r for r in parse(chart).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 4
    widths = [float(r.get("width")) for r in bars]
    assert widths[2] == max(widths) and widths[0] == widths[2] / 2 and widths[1] == 0
    assert [r.get("fill") for r in bars] == [PALETTE[0], PALETTE[1], PALETTE[0], PALETTE[1]]


def test_a_line_chart_draws_one_line_per_series_with_a_point_per_label():
    svg = parse(line_chart(ident="t", title="T", x_labels=["2024-01", "2024-02", "2024-03"], series=[("a", [1, 2, 3])]))
    [line] = list(svg.iter(f"{SVG}polyline"))
    assert len(line.get("points").split()) == 3
    assert len(list(svg.iter(f"{SVG}circle"))) == 3


def test_no_data_draws_a_message_instead_of_dividing_by_zero():
    for chart in (
        bar_chart(ident="t", title="T", labels=[], series=[], empty="Nothing"),
        line_chart(ident="t", title="T", x_labels=[], series=[], empty="Nothing"),
        history_chart({}, empty_text="Nothing"),
    ):
        svg = parse(chart)
        assert svg.tag == f"{SVG}svg" and "Nothing" in texts(svg)
    assert parse(bar_chart(ident="t", title="T", labels=["zero"], series=[("s", [0])]))


def test_labels_from_data_are_escaped_everywhere():
    evil = '<script>alert("x")</script>&"\'>'
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for chart in (
        bar_chart(ident=evil, title=evil, labels=[evil], series=[(evil, [1])]),
        line_chart(ident=evil, title=evil, x_labels=[evil], series=[(evil, [1])]),
        history_chart({evil: [(at, Decimal(1)), (at + timedelta(hours=1), Decimal(2))]}, ident=evil, title=evil),
    ):
        markup = render(chart)
        assert "<script" not in markup
        svg = ET.fromstring(markup)  # still well-formed XML
        assert svg.get("aria-label") == svg.get("data-chart") == evil
        assert "<script>" in texts(svg)
    markup = render(sparkline([Decimal(1), Decimal(2)], label=evil))
    assert "<script" not in markup and ET.fromstring(markup).get("aria-label") == evil


def test_characters_xml_cannot_hold_are_dropped_from_labels():
    svg = parse(bar_chart(ident="t", title="T\x00", labels=["a\x07b"], series=[("s\ufffe", [1])]))
    assert "ab" in texts(svg)


def test_the_coordinates_keep_a_decimal_point_in_russian():
    with translation.override("ru"):
        markup = render(bar_chart(ident="t", title="T", labels=["a", "b", "c"], series=[("s", [1, 2, 3])]))
    assert re.search(r'width="\d+\.\d+"', markup)
    assert not re.search(r'(x|y|width)="\d+,\d', markup)


def test_compact_axis_labels_in_english():
    with translation.override("en"):
        shown = [compact(v) for v in (0, Decimal("0.01"), 999, 1234, Decimal("39512345.67"), 999_960)]
        assert shown == ["0", "0.01", "999", "1.2K", "39.5M", "1M"]
        assert compact(Decimal("9999999999.99")) == "10B"
        assert compact(Decimal("1234567890123456")) == "1,234.6T"


def test_compact_axis_labels_in_russian_use_a_decimal_comma_and_words():
    with translation.override("ru"):
        assert compact(Decimal("39512345.67")) == "39,5 млн"
        assert compact(1234) == "1,2 тыс."
        assert compact(Decimal("12.5")) == "12,5"
        assert compact(Decimal("2500000000")) == "2,5 млрд"


def test_the_axis_labels_are_in_the_language_of_the_page_that_draws_them():
    def axis(language: str) -> str:
        with translation.override(language):
            chart = line_chart(ident="m", title="T", x_labels=["2024-01"], series=[("s", [Decimal("39512345.67")])])
            return texts(parse(chart))

    assert "39,5 млн" in axis("ru") and "39.5M" in axis("en")


def test_price_labels_keep_the_digits_a_price_needs():
    with translation.override("en"):
        assert [price(Decimal(v)) for v in ("67123.4", "12.345", "0.0000080123", "0")] == [
            "67,123",
            "12.35",
            "0.000008012",
            "0.00",
        ]
    with translation.override("ru"):
        assert price(Decimal("12.345")) == "12,35"


def test_a_sparkline_rises_blue_and_falls_vermillion():
    assert parse(sparkline([Decimal(1), Decimal(2)])).find(f"{SVG}polyline").get("stroke") == RISING
    assert parse(sparkline([Decimal(2), Decimal(1)])).find(f"{SVG}polyline").get("stroke") == FALLING


def test_a_sparkline_needs_two_points():
    assert sparkline([]) is None and sparkline([Decimal(1)]) is None
    assert render_to_string("charts/sparkline.svg.html", {"chart": None}).strip() == ""


def test_a_flat_line_does_not_divide_by_zero():
    assert len(parse(sparkline([Decimal(1)] * 5)).find(f"{SVG}polyline").get("points").split()) == 5


def test_a_history_chart_draws_a_line_per_source_with_a_legend():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    series = {name: [(start + timedelta(hours=h), Decimal(100 + h)) for h in range(5)] for name in ("a", "b")}
    svg = parse(history_chart(series, title="T"))
    assert [p.get("data-series") for p in svg.iter(f"{SVG}polyline")] == ["a", "b"]
    assert {"a", "b", "100.00", "104.00"} <= {t.text for t in svg.iter(f"{SVG}text")}


def test_a_long_history_is_thinned_to_what_a_chart_can_show():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [(start + timedelta(minutes=5 * i), Decimal(i + 1)) for i in range(10_000)]
    [line] = parse(history_chart({"s": points})).iter(f"{SVG}polyline")
    assert len(line.get("points").split()) == MAX_POINTS


def inside(svg: ET.Element) -> None:
    """Every shape of a rendered chart lies within its viewBox."""
    _x, _y, width, height = map(float, svg.get("viewBox").split())
    for rect in svg.iter(f"{SVG}rect"):
        assert 0 <= float(rect.get("x")) + float(rect.get("width")) <= width
    for circle in svg.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cy")) <= height
    for line in svg.iter(f"{SVG}polyline"):
        assert re.fullmatch(r"[\d.,\s-]+", line.get("points"))
        for pair in line.get("points").split():
            x, y = map(float, pair.split(","))
            assert 0 <= x <= width and 0 <= y <= height


@pytest.mark.parametrize("language", ["en", "ru"])
@settings(max_examples=25, deadline=None)
@given(
    labels=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=8),
    values=st.lists(amounts, min_size=8, max_size=8),
)
def test_any_labels_and_amounts_give_well_formed_svg_within_its_box(language, labels, values):
    with translation.override(language):
        inside(parse(bar_chart(ident="p", title="P", labels=labels, series=[("s", values[: len(labels)])])))
        inside(parse(line_chart(ident="p", title="P", x_labels=labels, series=[("s", values[: len(labels)])])))


@settings(max_examples=25, deadline=None)
@given(
    names=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4, unique=True),
    prices=st.lists(st.decimals(min_value=Decimal("0.00000001"), max_value=10**9, places=8), min_size=1, max_size=30),
)
def test_any_source_names_and_prices_give_well_formed_history_and_sparklines(names, prices):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    series = {name: [(start + timedelta(minutes=i), p) for i, p in enumerate(prices)] for name in names}
    with translation.override("ru"):
        inside(parse(history_chart(series, title=names[0])))
        if len(prices) > 1:
            inside(parse(sparkline(prices, label=names[0])))
