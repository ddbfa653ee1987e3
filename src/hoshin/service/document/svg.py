"""Where a metric's chart is drawn on paper: the coordinates of the SVG chart of the PDF
documents (shared/_metric_chart.svg.html places them), from hoshin.domain.chart.metric_chart.

We draw the SVG ourselves: the pages' ECharts needs a browser (or Node) at run time, which a
plan file printed on a laptop or a server without one does not have, and matplotlib is some
40 MB and slow to start for a few lines and dots. Pure: numbers in, numbers out, so that the
template only places them (no arithmetic in Jinja) and the tests check them by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from hoshin.domain.figures import figure

# Room inside the drawing for the axis labels (left, bottom) and the title (top).
LEFT, RIGHT, TOP, BOTTOM = 44.0, 20.0, 22.0, 18.0
RADIUS = 3.0  # the markers' half size
CHAR_WIDTH = 5.0  # of the 8-point bold heading, on average
LABEL_GAP = 42.0  # a month's label needs about this many points of width
# Each status has its own shape as well as its colour, as the page's legend says
# (● on plan, ▲ within tolerance, ■ behind): a grey print still tells them apart.
SHAPES = {"green": "circle", "amber": "triangle", "red": "square"}


class Tick(NamedTuple):
    """An axis label and where it goes (y for the values, x for the months)."""

    at: float
    label: str


class Marker(NamedTuple):
    """An actual: its place, its status ("none" before the course starts) and its shape;
    ``points`` is the polygon of a triangle or square ("" for a circle)."""

    x: float
    y: float
    status: str
    shape: str
    points: str


class Drawing(NamedTuple):
    """Everything the SVG template places, in the drawing's own units (points)."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    tick_end: float  # the months' ticks hang from the plot's bottom edge to here
    planned: list[str]  # polylines of the planned path, one per unbroken run of months
    band: list[str]  # polygons of the tolerance band (or a maintain metric's band)
    markers: list[Marker]
    target: Marker | None  # the final target, a diamond
    target_label: str
    target_label_dy: float  # below the diamond in the plot's upper half, else above it
    today: float | None  # x of today's marker
    today_label: str
    heading: str  # the title, cut with an ellipsis to the drawing's width
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    description: str


def chart_drawing(
    chart: Mapping[str, Any], width: float, height: float, title: str = ""
) -> Drawing:
    """The coordinates of ``chart`` (metric_chart's values) drawn ``width`` by ``height``:
    months evenly spread from the plot's left edge to its right, values on a scale of round
    steps (1, 2, 2.5 or 5 times a power of ten, never finer than the metric's precision)
    from below the lowest value to above the highest, growing upwards."""
    months: list[str] = chart["months"]
    places: int = chart["places"]
    target = chart["target"]
    values = [
        v
        for series in ("planned", "low", "high", "actuals")
        for v in chart[series]
        if v is not None
    ] + ([target["value"]] if target else [])
    low, high, step = value_scale(min(values, default=0.0), max(values, default=1.0), places)
    left, top, right, bottom = LEFT, TOP, width - RIGHT, height - BOTTOM
    index = {month: k for k, month in enumerate(months)}

    def x(k: int) -> float:
        across = 0.5 if len(months) == 1 else k / (len(months) - 1)
        return round(left + (right - left) * across, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    markers = [
        _marker(x(k), y(value), status or "none")
        for k, (value, status) in enumerate(zip(chart["actuals"], chart["statuses"], strict=True))
        if value is not None
    ]
    diamond = None
    if target:
        tx, ty = x(index[target["month"]]), y(target["value"])
        diamond = Marker(tx, ty, "target", "diamond", _diamond(tx, ty))
    today = chart["today"]
    planned: list[float | None] = chart["planned"]
    every = max(1, math.ceil(len(months) / max(1.0, (right - left) / LABEL_GAP)))
    ticks = round((high - low) / step)
    return Drawing(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        tick_end=bottom + 2,
        planned=_runs([None if v is None else (x(k), y(v)) for k, v in enumerate(planned)]),
        band=_band(chart["low"], chart["high"], x, y),
        markers=markers,
        target=diamond,
        target_label=target["label"] if target else "",
        target_label_dy=10.0 if diamond and diamond.y < (top + bottom) / 2 else -6.0,
        today=x(index[today["month"]]) if today else None,
        today_label=today["label"] if today else "",
        heading=heading(title, width - left),
        y_ticks=[Tick(y(low + n * step), figure(low + n * step, places)) for n in range(ticks + 1)],
        x_ticks=[Tick(x(k), months[k]) for k in range(0, len(months), every)],
        description=description(chart),
    )  # fmt: skip


def heading(title: str, room: float) -> str:
    """``title`` cut to the characters that fit ``room`` points at the heading's size (an
    average DejaVu Sans bold character is about CHAR_WIDTH wide), ending with an ellipsis."""
    most = max(1, int(room / CHAR_WIDTH))
    return title if len(title) <= most else title[: most - 1].rstrip() + "\u2026"


def value_scale(lowest: float, highest: float, places: int) -> tuple[float, float, float]:
    """The value axis: its bottom, its top and its step, about four round steps covering
    ``lowest`` to ``highest`` (a single value gets a step either side)."""
    finest = 10.0**-places
    span = highest - lowest
    if span <= 0:
        span = max(abs(highest), finest)
    raw = span / 4
    power = 10.0 ** math.floor(math.log10(raw))
    # A step finer than the metric's precision, or not a whole number of its last digit
    # (2.5 for a metric of whole numbers), would print two ticks alike.
    step = next(
        step
        for step in (m * power for m in (1, 2, 2.5, 5, 10, 20))
        if step >= raw * (1 - 1e-9) and step >= finest * (1 - 1e-9) and _whole(step / finest)
    )
    bottom = math.floor(lowest / step + 1e-9) * step
    top = math.ceil(highest / step - 1e-9) * step
    if top <= bottom:
        bottom, top = bottom - step, top + step
    return round(bottom, places + 3), round(top, places + 3), step


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def description(chart: Mapping[str, Any]) -> str:
    """The chart in words, for the SVG's <desc>: its months, the latest actual and its status,
    and the final target."""
    months: list[str] = chart["months"]
    places: int = chart["places"]
    said = [f"{chart['name']}, {months[0]} to {months[-1]}"]
    done = [k for k, value in enumerate(chart["actuals"]) if value is not None]
    if done:
        k = done[-1]
        status = (chart["statuses"][k] or "before the plan").replace("_", " ")
        said.append(
            f"latest actual {figure(chart['actuals'][k], places)} in {months[k]} ({status})"
        )
    else:
        said.append("no actual yet")
    if chart["target"]:
        said.append(chart["target"]["label"])
    return "; ".join(said) + "."


def _marker(x: float, y: float, status: str) -> Marker:
    shape = SHAPES.get(status, "circle")
    r = RADIUS
    if shape == "triangle":
        points = _points([(x, y - r - 0.5), (x + r + 0.5, y + r), (x - r - 0.5, y + r)])
    elif shape == "square":
        points = _points([(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)])
    else:
        points = ""
    return Marker(x, y, status, shape, points)


def _diamond(x: float, y: float) -> str:
    r = RADIUS + 1.5
    return _points([(x, y - r), (x + r, y), (x, y + r), (x - r, y)])


def _runs(points: Sequence[tuple[float, float] | None]) -> list[str]:
    """Polylines through the points, broken where a point is missing."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [_points(run) for run in runs if run]


def _band(
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    x: Callable[[int], float],
    y: Callable[[float], float],
) -> list[str]:
    """Polygons of the band: along its top edge, then back along its bottom, per run."""
    shapes: list[str] = []
    run: list[tuple[int, float, float]] = []
    for k, (low, high) in enumerate([*zip(lows, highs, strict=True), (None, None)]):
        if low is None or high is None:
            if run:
                top = [(x(i), y(h)) for i, _, h in run]
                under = [(x(i), y(lo)) for i, lo, _ in reversed(run)]
                shapes.append(_points(top + under))
                run = []
        else:
            run.append((k, low, high))
    return shapes


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{round(px, 1):g},{round(py, 1):g}" for px, py in points)
