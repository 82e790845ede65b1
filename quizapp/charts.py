"""Server-side SVG charts: a string of SVG markup for a template to embed as is.

Pure: markupsafe (which ships with Flask) and the standard library; no Flask, no JavaScript.
Every label and title is escaped. The SVG carries no ``style=`` attribute, so a strict
Content-Security-Policy is fine with it: colours come from ``static/css/app.css`` through the
classes ``chart__svg``, ``chart__axis``, ``chart__grid``, ``chart__line``, ``chart__point``,
``chart__label``, ``chart__value`` and ``chart__bar`` (a few presentation attributes such as
``fill="none"`` keep it legible without the stylesheet; CSS overrides them).

The SVG has ``role="img"`` and ``aria-labelledby`` naming its ``<title>`` and ``<desc>``; the
desc summarises the data in words, so no hidden table is needed. Ids come from a process-wide
counter, so two charts on one page never share one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["bar_chart", "line_chart"]

_SVG_NS = "http://www.w3.org/2000/svg"

# Plot margins in viewBox units: room for the y labels on the left, x labels below.
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 24, 16, 40
# Inset of the first and last point from the plot edges, so their labels are not clipped.
_INSET = 16
# Roughly how much horizontal room one x label needs before labels are thinned out.
_LABEL_ROOM = 84
# Visible x labels are cut to this many characters (the full label stays in the tooltip).
_LABEL_CHARS = 12
# About how wide one character of a label is, in viewBox units.
_CHAR_WIDTH = 6.5
# Bar charts print each bar's value above it while there are at most this many bars.
_MAX_VALUE_LABELS = 12
# The desc of a bar chart lists every bar while there are at most this many.
_MAX_DESC_BARS = 10
# Bars are 70 % of their slot, but never wider than this.
_MAX_BAR_WIDTH = 56.0
_GRID_FRACTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)

_ids = itertools.count(1)


def line_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    y_max: float = 100.0,
    y_label: str = "%",
    width: int = 640,
    height: int = 240,
    noun: str = "point",
) -> Markup:
    """A line chart of ``(label, value)`` points; ``Markup("")`` when there are none.

    Values are drawn clamped to ``[0, y_max]`` (tooltips keep the true value); gridlines sit at
    0, 25, 50, 75 and 100 % of ``y_max``. ``noun`` names the points in the description
    ("5 attempts, from 40% to 85%" with ``noun="attempt"``).
    """
    if not points:
        return Markup("")
    _check_size(width, height)
    if not (math.isfinite(y_max) and y_max > 0):
        raise ValueError(f"y_max must be a positive finite number, not {y_max!r}")
    labels, values = _split(points)

    chart_id = _new_id()
    plot = _Plot(width, height)
    parts = _open(chart_id, "line", width, height, title, _line_desc(values, y_label, noun))
    parts += _grid(plot, y_max, y_label)

    xs = _spread(plot, len(values))
    ys = [plot.y(_clamp(value, y_max), y_max) for value in values]
    if len(values) > 1:
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in zip(xs, ys, strict=True))
        parts.append(
            f'<polyline class="chart__line" points="{coords}" fill="none" '
            'stroke="currentColor" stroke-width="2"/>'
        )
    radius = 4 if len(values) <= 60 else 2.5
    for x, y, label, value in zip(xs, ys, labels, values, strict=True):
        parts.append(
            f'<circle class="chart__point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" '
            f'fill="currentColor"><title>{_e(label)}: {_e(_fmt(value, y_label))}</title></circle>'
        )
    return _close(parts, plot, xs, labels)


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    y_label: str = "",
    width: int = 640,
    height: int = 240,
    noun: str | None = None,
) -> Markup:
    """A bar chart of ``(label, value)`` bars; ``Markup("")`` when there are none.

    The scale runs from 0 to a round number at or above the largest value, so bar heights are
    proportional to the values; negative values are drawn as empty bars. With ``noun`` the
    values are counts ("1 attempt", "3 attempts" in the description and tooltips): the scale's
    gridlines then fall on whole numbers. Bars of 0 get no value label.
    """
    if not bars:
        return Markup("")
    _check_size(width, height)
    labels, values = _split(bars)
    y_max = _whole_max(max(values)) if noun else _nice_max(max(values))

    def told(value: float) -> str:
        return _count(value, noun) if noun else _fmt(value, y_label)

    chart_id = _new_id()
    plot = _Plot(width, height)
    parts = _open(chart_id, "bar", width, height, title, _bar_desc(labels, values, told))
    parts += _grid(plot, y_max, y_label)

    slot = plot.width / len(values)
    bar_width = min(max(slot * 0.7, 1.0), _MAX_BAR_WIDTH)
    xs = [plot.left + slot * (i + 0.5) for i in range(len(values))]
    widest = max(len(_fmt(v, y_label)) for v in values) * _CHAR_WIDTH
    show_values = len(values) <= _MAX_VALUE_LABELS and widest <= slot
    for x, label, value in zip(xs, labels, values, strict=True):
        top = plot.y(_clamp(value, y_max), y_max)
        parts.append(
            f'<rect class="chart__bar" x="{_n(x - bar_width / 2)}" y="{_n(top)}" '
            f'width="{_n(bar_width)}" height="{_n(plot.bottom - top)}" fill="currentColor">'
            f"<title>{_e(label)}: {_e(told(value))}</title></rect>"
        )
        if show_values and value != 0:
            parts.append(
                f'<text class="chart__label chart__value" x="{_n(x)}" y="{_n(top - 6)}" '
                f'text-anchor="middle">{_e(_fmt(value, y_label))}</text>'
            )
    return _close(parts, plot, xs, labels)


# -- building blocks ---------------------------------------------------------------------------


class _Plot:
    """The plot area inside the margins, in viewBox units (y grows downwards)."""

    def __init__(self, width: int, height: int) -> None:
        self.left = float(_LEFT)
        self.right = float(width - _RIGHT)
        self.top = float(_TOP)
        self.bottom = float(height - _BOTTOM)
        self.width = self.right - self.left
        self.height = self.bottom - self.top

    def y(self, value: float, y_max: float) -> float:
        return self.bottom - value / y_max * self.height


def _check_size(width: int, height: int) -> None:
    if width < _LEFT + _RIGHT + 2 * _INSET + 1 or height < _TOP + _BOTTOM + 1:
        raise ValueError(f"chart too small: {width}x{height}")


def _split(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    labels, values = [], []
    for label, value in pairs:
        number = float(value)
        if math.isnan(number):
            raise ValueError(f"value for {label!r} is not a number")
        labels.append(str(label))
        values.append(number)
    return labels, values


def _new_id() -> str:
    return f"qz-chart-{next(_ids)}"


def _open(chart_id: str, kind: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="{_SVG_NS}" class="chart__svg chart__svg--{kind}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{_e(title)}</title>'
        f'<desc id="{chart_id}-desc">{_e(desc)}</desc>'
    ]


def _close(parts: list[str], plot: _Plot, xs: list[float], labels: list[str]) -> Markup:
    """The chart `_open` began and `parts` drew, with its x labels and axes, as markup."""
    parts += _x_labels(plot, xs, labels)
    parts.append(_axes(plot))
    parts.append("</svg>")
    return Markup("".join(parts))


def _grid(plot: _Plot, y_max: float, y_label: str) -> list[str]:
    parts = []
    for fraction in _GRID_FRACTIONS:
        value = y_max * fraction
        y = _n(plot.y(value, y_max))
        parts.append(
            f'<line class="chart__grid" x1="{_n(plot.left)}" y1="{y}" x2="{_n(plot.right)}" '
            f'y2="{y}" stroke="currentColor" stroke-opacity="0.2"/>'
        )
        parts.append(
            f'<text class="chart__label chart__label--y" x="{_n(plot.left - 8)}" y="{y}" '
            f'text-anchor="end" dominant-baseline="middle">{_e(_fmt(value, y_label))}</text>'
        )
    return parts


def _axes(plot: _Plot) -> str:
    left, bottom = _n(plot.left), _n(plot.bottom)
    return (
        f'<path class="chart__axis" d="M{left} {_n(plot.top)}V{bottom}H{_n(plot.right)}" '
        'fill="none" stroke="currentColor"/>'
    )


def _spread(plot: _Plot, count: int) -> list[float]:
    """x positions of ``count`` evenly spaced points (one point sits in the middle)."""
    if count == 1:
        return [plot.left + plot.width / 2]
    usable = plot.width - 2 * _INSET
    return [plot.left + _INSET + usable * i / (count - 1) for i in range(count)]


def _label_indices(count: int, room: float, longest: int = _LABEL_CHARS) -> list[int]:
    """Which of ``count`` x labels to show so that they do not overlap: the first, the last when
    there is room, and evenly spaced ones between. Short labels (``longest`` characters) need
    less room than the default."""
    need = min(_LABEL_ROOM, longest * _CHAR_WIDTH + 10)
    most = max(1, int(room // need))
    step = math.ceil(count / most)
    shown = list(range(0, count, step))
    # End on the last label: it takes the place of the one before it, which would be too close.
    if len(shown) > 1 and shown[-1] != count - 1:
        shown[-1] = count - 1
    return shown


def _x_labels(plot: _Plot, xs: list[float], labels: list[str]) -> list[str]:
    y = _n(plot.bottom + 20)
    return [
        f'<text class="chart__label chart__label--x" x="{_n(xs[i])}" y="{y}" '
        f'text-anchor="middle">{_e(_short(labels[i]))}</text>'
        for i in _label_indices(len(labels), plot.width, max(len(_short(x)) for x in labels))
    ]


def _line_desc(values: list[float], y_label: str, noun: str) -> str:
    count = f"{len(values)} {noun}{'' if len(values) == 1 else 's'}"
    if len(values) == 1:
        return f"{count}: {_fmt(values[0], y_label)}."
    low, high = min(values), max(values)
    return (
        f"{count}, from {_fmt(values[0], y_label)} to {_fmt(values[-1], y_label)}; "
        f"lowest {_fmt(low, y_label)}, highest {_fmt(high, y_label)}."
    )


def _bar_desc(labels: list[str], values: list[float], told) -> str:
    count = f"{len(values)} bar{'' if len(values) == 1 else 's'}"
    if len(values) <= _MAX_DESC_BARS:
        listed = ", ".join(
            f"{label} {told(value)}" for label, value in zip(labels, values, strict=True)
        )
        return f"{count}: {listed}."
    top = max(range(len(values)), key=values.__getitem__)
    bottom = min(range(len(values)), key=values.__getitem__)
    return (
        f"{count}; highest {labels[top]} {told(values[top])}, "
        f"lowest {labels[bottom]} {told(values[bottom])}."
    )


def _count(value: float, noun: str) -> str:
    """ "1 attempt", "3 attempts"."""
    return f"{_n(value)} {noun}{'' if value == 1 else 's'}"


def _whole_max(largest: float) -> float:
    """A scale maximum for counts: a multiple of 4 at or above ``largest`` (at least 4), so the
    gridlines at its quarters are whole numbers."""
    if not largest > 0 or math.isinf(largest):
        return 4.0
    nice = _nice_max(largest)
    return nice if nice >= 4 and nice % 4 == 0 else 4.0 * math.ceil(largest / 4)


def _nice_max(largest: float) -> float:
    """A round scale maximum >= ``largest`` whose quarters are round too (1 when all <= 0)."""
    if not largest > 0 or math.isinf(largest):
        return 1.0
    quarter = largest / 4
    magnitude = 10 ** math.floor(math.log10(quarter))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= quarter * (1 - 1e-9):
            return 4 * step * magnitude
    return 40 * magnitude  # not reached: 10 * magnitude > quarter


def _clamp(value: float, high: float) -> float:
    return min(max(value, 0.0), high)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def _n(number: float) -> str:
    """A coordinate or value with at most two decimals and no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _fmt(value: float, unit: str) -> str:
    """``75`` with unit ``%`` is "75%"; other units follow after a space ("3 pts")."""
    number = _n(value) if math.isfinite(value) else ("∞" if value > 0 else "-∞")
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def _e(text: str) -> str:
    return str(escape(text))
