"""Small inline SVG charts: no JavaScript, no image files, readable without a network."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape


def line_chart(
    points: Sequence[tuple[float, float]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    highlight_x: float | None = None,
    width: int = 640,
    height: int = 320,
) -> str:
    """An SVG line chart with axes, five y ticks and an optional highlighted x value."""
    if len(points) < 2:
        raise ValueError("a line chart needs at least two points")
    left, right, top, bottom = 70, 20, 30, 45
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_min, x_max = min(xs), max(xs)
    step = nice_step(max(ys) / 6)
    y_min, y_max = 0.0, step * math.ceil(max(ys) / step)
    ticks = round(y_max / step)

    def sx(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * (width - left - right)

    def sy(y: float) -> float:
        return height - bottom - (y - y_min) / (y_max - y_min) * (height - top - bottom)

    path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
    base, mid_y = height - bottom, (top + height - bottom) / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" width="100%" style="max-width:{width}px">',
        f'<title id="chart-title">{escape(title)}</title>',
        _line(left, base, width - right, base, "#333"),
        _line(left, top, left, base, "#333"),
    ]
    for i in range(ticks + 1):
        value = y_min + step * i
        parts.append(_line(left - 4, sy(value), width - right, sy(value), "#ddd"))
        parts.append(_text(left - 8, sy(value) + 4, f"{value:,.0f}".replace(",", "."), "end"))
    for x in (x_min, (x_min + x_max) / 2, x_max):
        parts.append(_text(sx(x), base + 16, f"{x:.0f}", "middle"))
    parts.append(f'<polyline fill="none" stroke="#004b87" stroke-width="2.5" points="{path}"/>')
    y_at = dict(points).get(highlight_x) if highlight_x is not None else None
    if highlight_x is not None and y_at is not None:
        parts.append(
            f'<circle cx="{sx(highlight_x):.1f}" cy="{sy(y_at):.1f}" r="5" fill="#c8102e"/>'
        )
    parts.append(_text((left + width - right) / 2, height - 8, x_label, "middle", size=12))
    parts.append(
        _text(
            14, mid_y, y_label, "middle", size=12, extra=f' transform="rotate(-90 14 {mid_y:.0f})"'
        )
    )
    parts.append("</svg>")
    return "\n".join(parts)


def nice_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``rough``."""
    magnitude = 10 ** math.floor(math.log10(rough))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"/>'


def _text(x: float, y: float, content: str, anchor: str, size: int = 11, extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(content)}</text>"
    )


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    value_label: str,
    chart_id: str = "bar-chart",
    width: int = 640,
    bar_height: int = 26,
    axis: tuple[float, float] | None = None,
) -> str:
    """An SVG chart of horizontal bars, one per label, each with its value at the end.

    ``chart_id`` keeps the title's id unique when a page holds more than one chart. The
    values are also in a ``<desc>``, so a screen reader can read them without the table.
    ``axis`` fixes the value axis to a question's scale (1 to 5 runs 1 to 5, whole steps);
    without it the axis runs from 0 to a round number above the highest bar.
    """
    if not bars:
        raise ValueError("a bar chart needs at least one bar")
    left, right, top, bottom = 160, 50, 30, 40
    height = top + bottom + bar_height * len(bars)
    if axis is not None:
        x_min, x_max = axis
        if x_max <= x_min:
            raise ValueError(f"the axis {axis} must run upwards")
        step = 1.0 if x_max - x_min <= 10 else nice_step((x_max - x_min) / 5)
    else:
        highest = max(value for _, value in bars)
        step = nice_step(highest / 5) if highest > 0 else 1.0
        x_min, x_max = 0.0, step * max(1, math.ceil(highest / step))
    ticks = round((x_max - x_min) / step)

    def sx(x: float) -> float:
        clipped = min(max(x, x_min), x_max)
        return left + (clipped - x_min) / (x_max - x_min) * (width - left - right)

    base = height - bottom
    summary = "; ".join(f"{label}: {_dutch(value)}" for label, value in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%" '
        f'style="max-width:{width}px">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for i in range(ticks + 1):
        value = x_min + step * i
        parts.append(_line(sx(value), top, sx(value), base + 4, "#ddd"))
        parts.append(_text(sx(value), base + 16, _dutch(value), "middle"))
    for i, (label, value) in enumerate(bars):
        y = top + i * bar_height
        middle = y + bar_height / 2 + 4
        parts.append(
            f'<rect x="{left}" y="{y + 3:.1f}" width="{sx(value) - left:.1f}" '
            f'height="{bar_height - 6}" fill="#004b87"/>'
        )  # from the axis's start: a 1-5 scale's bar for 1 is empty, as its meaning is
        parts.append(_text(left - 8, middle, label, "end"))
        parts.append(_text(sx(value) + 4, middle, _dutch(value), "start"))
    parts.append(_line(left, top, left, base, "#333"))
    parts.append(_text((left + width - right) / 2, height - 6, value_label, "middle", size=12))
    parts.append("</svg>")
    return "\n".join(parts)


def _dutch(value: float) -> str:
    """A value as a Dutch reader writes it: ``1.250``, ``7,5``."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
