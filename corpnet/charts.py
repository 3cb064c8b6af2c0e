"""Charts as server-rendered SVG, in two halves: this module computes, templates draw.

The functions here are pure: numbers in, plain data out (coordinates, colours and label
text, already localized). The markup lives in ``templates/charts/*.svg.html``, so Django's
autoescaping covers every label: a worker called ``<script>`` is drawn as those characters.
No JavaScript, no CDN. Values may be ``Decimal`` or ``int``; they become floats only to
compute pixel positions, never for the figures shown in the tables.

A page draws a chart with ``{% include chart.template with chart=chart only %}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

Number = int | float | Decimal
Series = tuple[str, Sequence[Number]]

#: The one palette (Okabe–Ito): colours most colour-blind readers still tell apart, one per
#: series, in order. Yellow comes late because it is faint on white.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
#: A sparkline's colour says rising or falling; blue and vermillion differ for every kind of
#: colour blindness, unlike green and red.
RISING, FALLING = PALETTE[0], PALETTE[5]

WIDTH = 720
LABEL_CHARS = 26
#: At most this many points per line: more points than a chart has pixels only cost bytes.
MAX_POINTS = 600

#: Characters XML 1.0 does not allow (C0 controls but tab and newlines, surrogates, U+FFFE/F):
#: a name containing one would make the SVG unparseable as a standalone file, and escaping
#: cannot help, so they are dropped from the label text.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The shapes the templates draw. Coordinates are in the chart's viewBox units.


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"  # SVG text-anchor
    title: str = ""  # the full text, as a tooltip, when ``text`` had to be shortened


@dataclass(frozen=True)
class Swatch:
    """One legend entry: a colour square and the series name beside it."""

    x: float
    y: float
    colour: str
    label: Label


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # the tooltip: row, series and value
    value: Label


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: tuple[tuple[float, float], ...]
    dots: tuple[Dot, ...] = ()

    @property
    def svg_points(self) -> str:
        """The polyline's ``points`` attribute: "x,y x,y …"."""
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass(frozen=True)
class Box:
    """The plot area inside a chart, between the axes."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Chart:
    """What every chart has: an id for pages and tests, a title, a size and an empty message."""

    ident: str
    title: str
    width: int
    height: int
    empty: Label | None = None  # set when there is nothing to draw
    legend: tuple[Swatch, ...] = ()


@dataclass(frozen=True)
class BarChart(Chart):
    template = "charts/bar.svg.html"
    labels: tuple[Label, ...] = ()
    bars: tuple[Bar, ...] = ()


@dataclass(frozen=True)
class LineChart(Chart):
    template = "charts/line.svg.html"
    frame: Box | None = None
    y_ticks: tuple[Label, ...] = ()
    x_ticks: tuple[Label, ...] = ()
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Sparkline:
    template = "charts/sparkline.svg.html"
    width: int
    height: int
    label: str
    colour: str
    line: Line


# Text.


def clean(value: object) -> str:
    """Text from data, with the characters XML cannot hold removed (escaping is the template's job)."""
    return _XML_INVALID.sub("", str(value))


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _localized(value: Decimal) -> str:
    """A number in the active language, without trailing zeros: 39.5, 39,5, 1 000."""
    places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _units() -> tuple[tuple[int, str], ...]:
    # Translated on each call, so that every request gets its own language's suffixes.
    return (
        (3, pgettext("number abbreviation", "%(value)sK")),
        (6, pgettext("number abbreviation", "%(value)sM")),
        (9, pgettext("number abbreviation", "%(value)sB")),
        (12, pgettext("number abbreviation", "%(value)sT")),
    )


def compact(value: Number) -> str:
    """A short axis label in the active language: 39.5M and 1.2K in English, 39,5 млн and 1,2 тыс. in Russian."""
    with localcontext() as context:
        context.prec = 60  # room for any amount the database can hold, at two decimal places
        number = _as_decimal(value)
        plain = number.quantize(Decimal("0.01"), ROUND_HALF_UP)
        if abs(plain) < 1000:
            return _localized(plain)
        units = _units()
        for exponent, template in units:
            # Rounding picks the unit: 999,960 is "1M", not "1,000K".
            scaled = number.scaleb(-exponent).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if abs(scaled) < 1000 or exponent == units[-1][0]:
                return template % {"value": _localized(scaled)}
    raise AssertionError("unreachable: the last unit always returns")


def price(value: Number) -> str:
    """A price axis label: no noise on 67,000, enough digits on 0.0000080 (four significant)."""
    number = _as_decimal(value)
    if abs(number) >= 1000:
        return number_format(
            number.quantize(Decimal(1), ROUND_HALF_UP), decimal_pos=0, use_l10n=True, force_grouping=True
        )
    if abs(number) >= 1 or number == 0:
        return number_format(
            number.quantize(Decimal("0.01"), ROUND_HALF_UP), decimal_pos=2, use_l10n=True, force_grouping=True
        )
    places = max(2, -number.adjusted() + 3)
    return number_format(number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), decimal_pos=places, use_l10n=True)


# Geometry.


def _px(value: float) -> float:
    return round(value, 1)


def _peak(series: Sequence[Series]) -> float:
    return max((float(v) for _name, values in series for v in values), default=0.0)


def _legend(names: Sequence[str], *, x: float, y: float, dx: float = 170, dy: float = 0, chars=22) -> tuple:
    return tuple(
        Swatch(
            x=_px(x + i * dx),
            y=_px(y + i * dy - 9),
            colour=PALETTE[i % len(PALETTE)],
            label=Label(_px(x + i * dx + 14), _px(y + i * dy), _short(clean(name), chars), title=clean(name)),
        )
        for i, name in enumerate(names)
    )


def _empty_label(width: float, height: float, message: str | None) -> Label:
    return Label(_px(width / 2), _px(height / 2 + 5), clean(message or _("No data")), anchor="middle")


def bar_chart(
    *,
    ident: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[Number], str] = compact,
    empty: str | None = None,
) -> BarChart:
    """Horizontal grouped bars: one row per label, one bar per series, scaled to the maximum.

    Horizontal so that long names stay readable; each bar carries its value as a label and a
    tooltip with the full name.
    """
    if not labels or not series:
        return BarChart(
            ident=clean(ident), title=clean(title), width=WIDTH, height=60, empty=_empty_label(WIDTH, 60, empty)
        )
    bar, gap, left, right, top = 14, 10, 210, 90, 34
    group = bar * len(series) + gap
    peak = _peak(series)
    scale = (WIDTH - left - right) / peak if peak > 0 else 0.0
    rows, bars = [], []
    for row, text in enumerate(labels):
        text = clean(text)
        y0 = top + row * group
        rows.append(Label(left - 8, _px(y0 + bar * len(series) / 2 + 4), _short(text), anchor="end", title=text))
        for i, (name, values) in enumerate(series):
            value, y = values[row], y0 + i * bar
            length = _px(max(float(value) * scale, 0.0))
            shown = value_label(value)
            bars.append(
                Bar(
                    x=left,
                    y=_px(y),
                    width=length,
                    height=bar - 2,
                    colour=PALETTE[i % len(PALETTE)],
                    title=f"{text} · {clean(name)}: {shown}",
                    value=Label(_px(left + length + 4), _px(y + bar - 4), shown),
                )
            )
    return BarChart(
        ident=clean(ident),
        title=clean(title),
        width=WIDTH,
        height=top + group * len(labels) + 10,
        legend=_legend([name for name, _values in series], x=left, y=18),
        labels=tuple(rows),
        bars=tuple(bars),
    )


def line_chart(
    *,
    ident: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[Number], str] = compact,
    empty: str | None = None,
) -> LineChart:
    """Lines over shared categories on x (e.g. months), for running totals; the y axis starts at 0."""
    if not x_labels or not series:
        return LineChart(
            ident=clean(ident), title=clean(title), width=WIDTH, height=60, empty=_empty_label(WIDTH, 60, empty)
        )
    height, left, right, top, bottom = 300, 70, 20, 34, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = _peak(series)
    y_scale = plot_h / peak if peak > 0 else 0.0
    step = plot_w / (len(x_labels) - 1) if len(x_labels) > 1 else 0.0
    names = [clean(label) for label in x_labels]

    def x_at(i: int) -> float:
        return _px(left + (i * step if len(x_labels) > 1 else plot_w / 2))

    def y_at(value: Number) -> float:
        return _px(top + plot_h - float(value) * y_scale)

    base = top + plot_h
    y_ticks = tuple(
        Label(left - 6, _px(base - plot_h * f + 4), value_label(peak * f), anchor="end") for f in (0, 0.5, 1)
    )
    every = max(1, len(x_labels) // 8)  # at most ~8 category labels, so they never overlap
    x_ticks = tuple(
        Label(x_at(i), base + 18, _short(name, 10), anchor="middle", title=name)
        for i, name in enumerate(names)
        if i % every == 0 or i == len(names) - 1
    )
    lines = []
    for s, (name, values) in enumerate(series):
        name = clean(name)
        points = tuple((x_at(i), y_at(v)) for i, v in enumerate(values))
        dots = tuple(Dot(x, y, f"{names[i]} · {name}: {value_label(values[i])}") for i, (x, y) in enumerate(points))
        lines.append(Line(name=name, colour=PALETTE[s % len(PALETTE)], points=points, dots=dots))
    return LineChart(
        ident=clean(ident),
        title=clean(title),
        width=WIDTH,
        height=height,
        legend=_legend([name for name, _values in series], x=left, y=18),
        frame=Box(left, top, plot_w, plot_h),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        lines=tuple(lines),
    )


def _downsample(points: Sequence, limit: int = MAX_POINTS) -> list:
    if len(points) <= limit:
        return list(points)
    step = len(points) / limit
    picked = [points[int(i * step)] for i in range(limit)]
    picked[-1] = points[-1]
    return picked


def history_chart(
    series: Mapping[str, Sequence[tuple[datetime, Number]]],
    *,
    ident: str = "history",
    title: str = "",
    empty_text: str | None = None,
    width: int = 800,
    height: int = 320,
) -> LineChart:
    """A time series chart: one line per named series (e.g. a price source), time on x, the
    value on y between its lowest and highest, with the legend on the right."""
    series = {clean(name): _downsample(points) for name, points in series.items() if points}
    if not series:
        return LineChart(
            ident=clean(ident),
            title=clean(title),
            width=width,
            height=height,
            empty=_empty_label(width, height, empty_text),
        )
    left, right, top, bottom = 80, 150, 16, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    every = [p for points in series.values() for p in points]
    first, last = min(p[0] for p in every), max(p[0] for p in every)
    low, high = min(p[1] for p in every), max(p[1] for p in every)
    t_span = (last - first).total_seconds() or 1.0
    v_span = float(high - low) or 1.0

    def x_at(at: datetime) -> float:
        return _px(left + (at - first).total_seconds() / t_span * plot_w)

    def y_at(value: Number) -> float:
        return _px(top + plot_h - float(value - low) / v_span * plot_h)

    y_ticks = tuple(
        Label(left - 6, _px(y_at(v) + 4), price(v), anchor="end") for v in (low, low + (high - low) / 2, high)
    )
    x_ticks = tuple(
        Label(x_at(at), height - 10, date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"), anchor=anchor)
        for at, anchor in ((first, "start"), (last, "end"))
    )
    lines = tuple(
        Line(name=name, colour=PALETTE[i % len(PALETTE)], points=tuple((x_at(at), y_at(v)) for at, v in points))
        for i, (name, points) in enumerate(series.items())
    )
    return LineChart(
        ident=clean(ident),
        title=clean(title),
        width=width,
        height=height,
        legend=_legend(list(series), x=width - right + 12, y=top + 14, dx=0, dy=18, chars=18),
        frame=Box(left, top, plot_w, plot_h),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        lines=lines,
    )


def sparkline(values: Sequence[Number], *, width: int = 120, height: int = 28, label: str = "") -> Sparkline | None:
    """A small line of the values, blue when it ends higher than it started, vermillion when
    lower; ``None`` (nothing to draw) for fewer than two values."""
    values = _downsample(values, width)
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    spread = float(high - low) or 1.0
    step = width / (len(values) - 1)
    points = tuple(
        (_px(i * step), _px(height - 2 - float(v - low) / spread * (height - 4))) for i, v in enumerate(values)
    )
    colour = RISING if values[-1] >= values[0] else FALLING
    return Sparkline(width=width, height=height, label=clean(label), colour=colour, line=Line("", colour, points))
