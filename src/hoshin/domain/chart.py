"""What a metric's charts show, computed from the plan: the objective page's chart as data for
static/chart.js (which draws it with Apache ECharts) and for the PDF documents' SVG charts,
and true north's sparkline and trend.

Pure: the figures come from the engine's rules (trajectory, status) and the metric's own
precision (hoshin.domain.figures); the browser only places them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from hoshin.domain.figures import decimals, figure
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.domain.status import month_status
from hoshin.domain.trajectory import course

# Today's marker stretches the months shown by at most this many: an as-of date far from
# the metric's course would squeeze the course into a corner of the chart.
TODAY_REACH = 24


def metric_chart(metric: Metric, as_of: Month) -> dict[str, Any] | None:
    """The chart of ``metric`` as JSON values, one entry per month from its first figure to
    its last (and to ``as_of`` when that lies within TODAY_REACH months): the planned
    path, its tolerance band (the amber zone between the plan and the plan less the
    tolerance's share of the way; for a ``maintain`` metric the band itself), the actuals
    with each month's status (none before the course starts: there is no plan to meet
    yet), the final target and today's marker, with their labels.
    None for a metric with neither a course nor actuals."""
    path = course(metric)
    if path is None and not metric.actuals:
        return None
    ends = [*metric.actuals, *([] if path is None else [path.start, path.end])]
    first, last = min(ends), max(ends)
    shows_today = first.minus(TODAY_REACH) <= as_of <= last + TODAY_REACH
    if shows_today:
        first, last = min(first, as_of), max(last, as_of)
    months = [first + k for k in range(last - first + 1)]
    places = decimals(metric)
    keep = places + 2  # the plan's computed values, rounded below what anyone reads

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, keep)

    planned: list[float | None] = [None] * len(months)
    low, high = list(planned), list(planned)
    if path is not None:
        slack = metric.tolerance * (path.target - path.baseline)
        for k, month in enumerate(months):
            if path.start <= month <= path.end:
                plan = path.planned(month)
                planned[k] = rounded(plan)
                low[k], high[k] = rounded(min(plan, plan - slack)), rounded(max(plan, plan - slack))
    elif metric.minimum is not None and metric.maximum is not None:
        low, high = [metric.minimum] * len(months), [metric.maximum] * len(months)
    actuals = [metric.actuals.get(month) for month in months]
    target = None
    if path is not None:
        label = f"target {figure(path.target, places)} by {path.end}"
        target = {"month": str(path.end), "value": rounded(path.target), "label": label}
    return {
        "name": metric.name,
        "unit": metric.unit or "",
        "places": places,
        "months": [str(month) for month in months],
        "planned": planned,
        "low": low,
        "high": high,
        "band": "band (green)" if path is None else "tolerance (amber)",
        "actuals": actuals,
        "statuses": [
            None
            if value is None or (path is not None and month < path.start)
            else month_status(metric, path, month, value)
            for month, value in zip(months, actuals, strict=True)
        ],
        "target": target,
        "today": {"month": str(as_of), "label": f"as of {as_of}"} if shows_today else None,
    }


def chart_summary(metric: Metric, as_of: Month) -> str:
    """The chart in one sentence, for those who do not see it: the latest actual at or
    before ``as_of`` against its plan, and the final target."""
    path = course(metric)
    places = decimals(metric)
    unit = "" if not metric.unit else metric.unit if metric.unit == "%" else f" {metric.unit}"
    done = [month for month in metric.actuals if month <= as_of]
    parts = []
    if done:
        month = max(done)
        said = f"latest actual {figure(metric.actuals[month], places)}{unit} in {month}"
        if path is not None:
            said += f" (plan {figure(path.planned(month), places)})"
        parts.append(said)
    else:
        parts.append("no actual yet")
    if path is not None:
        parts.append(f"target {figure(path.target, places)}{unit} by {path.end}")
    elif metric.minimum is not None and metric.maximum is not None:
        band = f"{figure(metric.minimum, places)} to {figure(metric.maximum, places)}"
        parts.append(f"band {band}{unit}")
    return f"{metric.name}: " + "; ".join(parts) + "."


class Trend(NamedTuple):
    """The latest change of a metric: an arrow, whether it is good news, and in words."""

    arrow: str  # ↑ ↓ →
    judgement: str  # better, worse or level (the arrow's colour)
    words: str  # "down from 6.11 in 2026-10, better"


def trend(metric: Metric, as_of: Month) -> Trend | None:
    """The change from the last but one actual to the last, at or before ``as_of``: better
    when it moves the way the metric should (up for ``increase``, down for ``decrease``, into
    or inside the band for ``maintain``); None with fewer than two actuals."""
    done = sorted(month for month in metric.actuals if month <= as_of)[-2:]
    if len(done) < 2:
        return None
    before, now = (metric.actuals[month] for month in done)
    since = f"from {figure(before, decimals(metric))} in {done[0]}"
    if now == before:
        return Trend("\u2192", "level", f"level {since}")
    up = now > before
    if metric.direction == "maintain":
        low, high = metric.minimum, metric.maximum
        good = (low is None or now >= low) and (high is None or now <= high)
    else:
        good = up == (metric.direction == "increase")
    judgement = "better" if good else "worse"
    return Trend(
        "\u2191" if up else "\u2193", judgement, f"{'up' if up else 'down'} {since}, {judgement}"
    )


def sparkline(actuals: Mapping[Month, float], width: int = 96, height: int = 24) -> str:
    """Polyline points of the last 12 actuals, for a trend line next to a metric: months
    onto x and values onto y (growing downwards) inside a 6-pixel margin."""
    months = sorted(actuals)[-12:]
    if len(months) < 2:
        return ""
    values = [actuals[m] for m in months]
    low, span = min(values), (max(values) - min(values)) or 1.0
    span_months = max(months[-1] - months[0], 1)
    return _points(
        (
            6 + (width - 12) * (month - months[0]) / span_months,
            6 + (height - 12) * (1 - (actuals[month] - low) / span),
        )
        for month in months
    )


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{round(x, 1)},{round(y, 1)}" for x, y in points)
