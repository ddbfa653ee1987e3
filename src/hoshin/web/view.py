"""What the pages show, computed from the engine's results: labels, percentages, chart
geometry. Pure functions, so that the templates only place values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from hoshin.domain.figures import number as number  # the templates' filter
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.domain.trajectory import course

# Colour is never the only signal: every status also has a symbol and a word.
SYMBOL = {"green": "●", "amber": "▲", "red": "■", "no_data": "○", "unmeasured": "·"}


def status_word(status: str) -> str:
    """'no data' for no_data: the status as people say it."""
    return status.replace("_", " ")


def percent(value: float | None) -> str:
    """0.514 -> '51%'; None -> an en dash."""
    return "\u2013" if value is None else f"{value:.0%}"


class Chart(NamedTuple):
    """A metric's chart as SVG coordinates in a width x height box."""

    width: int
    height: int
    planned: str  # polyline points of the planned path
    band: str  # polygon points of the tolerance band around it
    actuals: list[tuple[float, float, str, str]]  # x, y, month, value
    target: tuple[float, float] | None  # the target point


def metric_chart(metric: Metric, width: int = 320, height: int = 120) -> Chart | None:
    """The planned line, the tolerance band, the actuals and the target of ``metric``;
    None for a metric without a course (a maintain band) and no actuals."""
    path = course(metric)
    months = sorted(metric.actuals)
    if path is None and not months:
        return None
    first = min([*months, *([] if path is None else [path.start])])
    last = max([*months, *([] if path is None else [path.end])])
    span = max(last - first, 1)
    plan = {} if path is None else {m: path.planned(m) for m in _months(path.start, path.end)}
    values = [*metric.actuals.values(), *plan.values()]
    margin = 0.0 if path is None else metric.tolerance * abs(path.target - path.baseline)
    low, high = min(values) - margin, max(values) + margin
    scale = Scale(first, span, low, high - low or 1.0, width, height)
    band = [scale.point(m, v + margin) for m, v in plan.items()]
    band += [scale.point(m, v - margin) for m, v in reversed(plan.items())]
    return Chart(
        width,
        height,
        _points(scale.point(m, v) for m, v in plan.items()),
        _points(band),
        [(*scale.point(m, metric.actuals[m]), str(m), number(metric.actuals[m])) for m in months],
        None if path is None else scale.point(path.end, path.target),
    )


class Scale(NamedTuple):
    """Months and values onto SVG coordinates (y grows downwards), with a 6-pixel margin."""

    first: Month
    span: int
    low: float
    range: float
    width: int
    height: int

    def point(self, month: Month, value: float) -> tuple[float, float]:
        """The SVG coordinates of ``value`` in ``month``."""
        x = 6 + (self.width - 12) * (month - self.first) / self.span
        y = 6 + (self.height - 12) * (1 - (value - self.low) / self.range)
        return round(x, 1), round(y, 1)


def sparkline(actuals: Mapping[Month, float], width: int = 96, height: int = 24) -> str:
    """Polyline points of the last 12 actuals, for a trend line next to a metric."""
    months = sorted(actuals)[-12:]
    if len(months) < 2:
        return ""
    values = [actuals[m] for m in months]
    low, high = min(values), max(values)
    scale = Scale(months[0], max(months[-1] - months[0], 1), low, high - low or 1.0, width, height)
    return _points(scale.point(m, actuals[m]) for m in months)


def _months(first: Month, last: Month) -> list[Month]:
    return [first + k for k in range(last - first + 1)]


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)
