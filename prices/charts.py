"""Server-rendered SVG: a sparkline per coin and a history chart per coin (pure functions).

Every piece of text placed in the SVG is escaped; coordinates are computed from the prices
as floats, which is fine for pixels (the prices shown as text stay Decimal).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

#: Colours for the chart's sources, cycled; chosen to be told apart by most colour-blind readers.
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]
#: At most this many points per line: more pixels than a chart has would only cost bytes.
MAX_POINTS = 600


def _downsample(points: Sequence, limit: int = MAX_POINTS) -> list:
    if len(points) <= limit:
        return list(points)
    step = len(points) / limit
    picked = [points[int(i * step)] for i in range(limit)]
    picked[-1] = points[-1]
    return picked


def sparkline(values: Sequence[Decimal], *, width: int = 120, height: int = 28, label: str = "") -> SafeString:
    """A small line of the values, rising green or falling red; empty when fewer than two."""
    values = _downsample(values, width)
    if len(values) < 2:
        return mark_safe("")
    low, high = min(values), max(values)
    spread = float(high - low) or 1.0
    step = width / (len(values) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (float(v - low) / spread) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    colour = "#2a9d3a" if values[-1] >= values[0] else "#c0392b"
    return format_html(
        '<svg class="sparkline" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{coords}"/></svg>',
        w=width,
        h=height,
        label=label,
        colour=colour,
        coords=coords,
    )


def _price_label(value: Decimal) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:,.2f}"
    return f"{value:.6g}"


def line_chart(
    series: dict[str, Sequence[tuple[datetime, Decimal]]],
    *,
    width: int = 800,
    height: int = 320,
    title: str = "",
    empty_text: str = "",
) -> SafeString:
    """A history chart: one line per source, time on x, price in USD on y, with a legend."""
    series = {name: _downsample(points) for name, points in series.items() if points}
    left, right, top, bottom = 80, 150, 16, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    parts: list[str] = [
        format_html(
            '<svg class="chart" width="100%" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg">',
            width,
            height,
            title,
        )
    ]
    if not series:
        parts.append(
            format_html('<text x="{}" y="{}" text-anchor="middle">{}</text>', width / 2, height / 2, empty_text)
        )
        parts.append("</svg>")
        return mark_safe("".join(parts))
    all_points = [p for points in series.values() for p in points]
    t0 = min(p[0] for p in all_points).timestamp()
    t1 = max(p[0] for p in all_points).timestamp()
    low = min(p[1] for p in all_points)
    high = max(p[1] for p in all_points)
    t_span = (t1 - t0) or 1.0
    v_span = float(high - low) or 1.0

    def x(at: datetime) -> float:
        return left + (at.timestamp() - t0) / t_span * plot_w

    def y(value: Decimal) -> float:
        return top + plot_h - float(value - low) / v_span * plot_h

    parts.append(
        format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#ccc"/>', left, top, plot_w, plot_h)
    )
    for value in (low, low + (high - low) / 2, high):
        parts.append(
            format_html(
                '<text class="axis" x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                left - 6,
                f"{y(value) + 4:.1f}",
                _price_label(value),
            )
        )
    first, last = min(p[0] for p in all_points), max(p[0] for p in all_points)
    for at, anchor in ((first, "start"), (last, "end")):
        parts.append(
            format_html(
                '<text class="axis" x="{}" y="{}" text-anchor="{}" font-size="11">{}</text>',
                f"{x(at):.1f}",
                height - 10,
                anchor,
                timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    for index, (name, points) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        coords = " ".join(f"{x(at):.1f},{y(v):.1f}" for at, v in points)
        parts.append(
            format_html(
                '<polyline class="series" data-source="{}" fill="none" stroke="{}" stroke-width="1.5" points="{}"/>',
                name,
                colour,
                coords,
            )
        )
        ly = top + 14 + index * 18
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="3" fill="{}"/><text x="{}" y="{}" font-size="12">{}</text>',
                width - right + 12,
                ly - 4,
                colour,
                width - right + 30,
                ly,
                name,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
