import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from corpnet.charts import bar_chart, compact, line_chart

SVG = "{http://www.w3.org/2000/svg}"

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2, allow_nan=False)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_bar_chart_draws_one_bar_per_label_and_series_scaled_to_the_largest():
    svg = parse(
        bar_chart(ident="t", title="T", labels=["a", "b"], series=[("x", [Decimal("5"), Decimal("10")]), ("y", [0, 1])])
    )
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 4
    widths = [float(r.get("width")) for r in bars]
    assert widths[2] == max(widths) and widths[0] == widths[2] / 2 and widths[1] == 0


def test_a_line_chart_draws_one_line_per_series_with_a_point_per_label():
    svg = parse(line_chart(ident="t", title="T", x_labels=["2024-01", "2024-02", "2024-03"], series=[("a", [1, 2, 3])]))
    [line] = list(svg.iter(f"{SVG}polyline"))
    assert len(line.get("points").split()) == 3
    assert len(list(svg.iter(f"{SVG}circle"))) == 3


def test_no_data_draws_a_message_instead_of_dividing_by_zero():
    for chart in (
        bar_chart(ident="t", title="T", labels=[], series=[], empty="Nothing"),
        line_chart(ident="t", title="T", x_labels=[], series=[], empty="Nothing"),
    ):
        assert "Nothing" in chart and parse(chart).tag == f"{SVG}svg"
    assert parse(bar_chart(ident="t", title="T", labels=["zero"], series=[("s", [0])]))


def test_labels_from_data_are_escaped_everywhere():
    evil = '<script>alert("x")</script>&'
    for chart in (
        bar_chart(ident=evil, title=evil, labels=[evil], series=[(evil, [1])]),
        line_chart(ident=evil, title=evil, x_labels=[evil], series=[(evil, [1])]),
    ):
        assert "<script" not in chart
        texts = "".join(parse(chart).itertext())  # it is still well-formed XML
        assert "<script>" in texts


def test_compact_numbers_for_axis_labels():
    assert [compact(v) for v in (0, Decimal("0.01"), 999, 1234, Decimal("9999999999.99"))] == [
        "0",
        "0.01",
        "999",
        "1.2k",
        "10G",
    ]


@settings(max_examples=25, deadline=None)
@given(
    labels=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=8),
    values=st.lists(amounts, min_size=8, max_size=8),
)
def test_any_labels_and_amounts_give_well_formed_svg_within_its_box(labels, values):
    bars = parse(bar_chart(ident="p", title="P", labels=labels, series=[("s", values[: len(labels)])]))
    lines = parse(line_chart(ident="p", title="P", x_labels=labels, series=[("s", values[: len(labels)])]))
    width = float(bars.get("viewBox").split()[2])
    for rect in bars.iter(f"{SVG}rect"):
        assert 0 <= float(rect.get("x")) + float(rect.get("width")) <= width
    for circle in lines.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cy")) <= float(lines.get("viewBox").split()[3])
    assert all(re.fullmatch(r"[\d.,\s-]+", p.get("points")) for p in lines.iter(f"{SVG}polyline"))
