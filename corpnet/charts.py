"""Charts as server-rendered SVG: pure functions of the numbers, no JavaScript, no CDN.

Each function returns safe markup to drop into a template. Every piece of text that comes
from data (names, months, series labels) is escaped, so a worker called ``<script>`` is
drawn as those characters, never run. Values may be ``Decimal`` or ``int``; they are turned
into floats only to compute pixel positions, never for the figures shown in the tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal
Series = tuple[str, Sequence[Number]]

#: Colour-blind-friendly (Okabe–Ito) colours, one per series, in order.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")

WIDTH = 720
LABEL_CHARS = 28


#: Characters XML 1.0 does not allow (C0 controls but tab and newlines, surrogates, U+FFFE/F):
#: a name containing one would make the SVG unparseable as a standalone file.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    """Text from data, safe inside an SVG element or attribute."""
    return escape(_XML_INVALID.sub("", str(value)))


def compact(value: Number) -> str:
    """A short axis label: 1234 → "1.2k", 9_999_999_999.99 → "10G"."""
    number = float(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(number) >= threshold:
            return f"{number / threshold:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{number:.2f}".rstrip("0").rstrip(".") or "0"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(*, ident: str, title: str, width: int, height: int, body: list[str]) -> SafeString:
    t = _text(title)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{_text(ident)}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}">'
        f"<title>{t}</title>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every piece of text above is escaped


def _legend(series: Sequence[Series], *, x: float, y: float) -> list[str]:
    parts = []
    for i, (name, _values) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        left = x + i * 170
        parts.append(f'<rect x="{left:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + 14:.1f}" y="{y:.1f}" class="legend">{_text(_short(name, 22))}</text>')
    return parts


def _empty(ident: str, title: str, message: str) -> SafeString:
    return _svg(
        ident=ident,
        title=title,
        width=WIDTH,
        height=60,
        body=[f'<text x="{WIDTH / 2}" y="35" text-anchor="middle" class="empty">{_text(message)}</text>'],
    )


def bar_chart(
    *,
    ident: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[Number], str] = compact,
    empty: str = "No data",
) -> SafeString:
    """Horizontal grouped bars: one row per label, one bar per series, scaled to the maximum.

    Horizontal so that long names stay readable; each bar carries its value as a label and a
    ``<title>`` tooltip with the full name.
    """
    if not labels or not series:
        return _empty(ident, title, empty)
    bar, gap, left, right, top = 14, 10, 200, 90, 34
    group = bar * len(series) + gap
    height = top + group * len(labels) + 10
    peak = max((float(v) for _name, values in series for v in values), default=0.0)
    scale = (WIDTH - left - right) / peak if peak > 0 else 0.0
    body = _legend(series, x=left, y=18)
    for row, label in enumerate(labels):
        y0 = top + row * group
        body.append(
            f'<text x="{left - 8}" y="{y0 + bar * len(series) / 2 + 4:.1f}" text-anchor="end" class="label">'
            f"<title>{_text(label)}</title>{_text(_short(label))}</text>"
        )
        for i, (name, values) in enumerate(series):
            value = values[row]
            y = y0 + i * bar
            length = max(float(value) * scale, 0.0)
            colour = PALETTE[i % len(PALETTE)]
            body.append(
                f'<rect x="{left}" y="{y:.1f}" width="{length:.1f}" height="{bar - 2}" fill="{colour}">'
                f"<title>{_text(label)} · {_text(name)}: {_text(value_label(value))}</title></rect>"
                f'<text x="{left + length + 4:.1f}" y="{y + bar - 4:.1f}" class="value">'
                f"{_text(value_label(value))}</text>"
            )
    return _svg(ident=ident, title=title, width=WIDTH, height=height, body=body)


def line_chart(
    *,
    ident: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[Number], str] = compact,
    empty: str = "No data",
) -> SafeString:
    """Lines over a shared x axis (e.g. months), for running totals; the y axis starts at 0."""
    if not x_labels or not series:
        return _empty(ident, title, empty)
    height, left, right, top, bottom = 300, 70, 20, 34, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max((float(v) for _name, values in series for v in values), default=0.0)
    y_scale = plot_h / peak if peak > 0 else 0.0
    step = plot_w / (len(x_labels) - 1) if len(x_labels) > 1 else 0.0

    def x_at(i: int) -> float:
        return left + (i * step if len(x_labels) > 1 else plot_w / 2)

    def y_at(value: Number) -> float:
        return top + plot_h - float(value) * y_scale

    body = _legend(series, x=left, y=18)
    base = top + plot_h
    body.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" class="axis"/>')
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" class="axis"/>')
    for fraction in (0, 0.5, 1):
        y = base - plot_h * fraction
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{_text(value_label(peak * fraction))}</text>"
        )
    every = max(1, len(x_labels) // 8)  # at most ~8 month labels, so they never overlap
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == len(x_labels) - 1:
            body.append(
                f'<text x="{x_at(i):.1f}" y="{base + 18}" text-anchor="middle" class="tick">'
                f"{_text(_short(label, 10))}</text>"
            )
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(values))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            body.append(
                f'<circle cx="{x_at(i):.1f}" cy="{y_at(v):.1f}" r="3" fill="{colour}">'
                f"<title>{_text(x_labels[i])} · {_text(name)}: {_text(value_label(v))}</title></circle>"
            )
    return _svg(ident=ident, title=title, width=WIDTH, height=height, body=body)
