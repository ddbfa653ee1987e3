"""Measurement findings: stale numbers, red months without countermeasures, unreachable rates."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from itertools import compress, repeat
from math import expm1
from operator import attrgetter, eq, is_not, ne
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from hoshin.domain.actuals import first_at_or_after
from hoshin.domain.cadence import latest_due, months_covered
from hoshin.domain.findings.base import CODES, Context, Finding, finding, new_finding
from hoshin.domain.findings.columns import (
    MonthTexts,
    months_of,
    pick,
    runs_of,
)
from hoshin.domain.model import Metric
from hoshin.domain.months import Month, month_of
from hoshin.domain.status import MetricResult
from hoshin.domain.trajectory import end_value

RATE_FACTOR = 2.0
BEHIND = frozenset(("amber", "red"))
MIN_HISTORY = 6
HISTORY_MONTHS = 12


def stale_metrics(ctx: Context) -> Iterator[Finding]:
    """Metrics with no actual for the last month due (domain.cadence): last month for a
    monthly metric; for a quarterly one the last fiscal quarter that has ended, an actual
    in any of its months, or later, counting."""
    last = ctx.as_of_month.minus(1)
    # One fiscal calendar for the plan: the quarterly due month is the same for every metric.
    fiscal = ctx.plan.organization.fiscal_year_start
    quarter_due = latest_due("quarterly", last, fiscal)
    rows = ctx.metric_rows()
    # A metric whose current actual is last month's has it: only the others are looked at.
    for metric in compress(rows.metrics, map(ne, rows.periods, repeat(last))):
        quarterly = metric.frequency == "quarterly"
        due = quarter_due if quarterly else last
        start, end, actuals = metric.baseline_period, metric.target_period, metric.actuals
        if (start is not None and due <= start) or (end is not None and due > end):
            continue
        if last in actuals:
            continue
        first = due.minus(months_covered("quarterly") - 1) if quarterly else due
        if quarterly and any(Month(m) in actuals for m in range(first, last)):
            continue
        span = f"{first}..{due}" if quarterly else str(due)
        yield finding(
            "stale_metric",
            metric.id,
            f"metric {metric.id} '{metric.name}' has no actual for {span}",
        )


def missing_countermeasures(ctx: Context) -> Iterator[Finding]:
    """Metrics red in their latest month with no countermeasure for that month."""
    answered = {(c.metric, c.period) for c in ctx.plan.countermeasures}
    rows = ctx.metric_rows()
    red = rows.where(("red",))
    if answered:  # no key to build when the plan has no countermeasures at all
        ids, periods = rows.ids, rows.periods
        red = [at for at in red if (ids[at], periods[at]) not in answered]
    ids, names = pick(rows.ids, red), list(map(_name, pick(rows.metrics, red)))
    texts = map(MonthTexts().__getitem__, pick(rows.periods, red))
    messages = [
        f"metric {key} '{name}' is red in {period} and has no countermeasure for that month"
        for key, name, period in zip(ids, names, texts, strict=True)
    ]
    return _findings("missing_countermeasure", ids, messages)


def overdue_countermeasures(ctx: Context) -> Iterator[Finding]:
    """Countermeasures past their due date and not closed (open or in progress)."""
    for measure in ctx.plan.countermeasures:
        if measure.due is not None and measure.overdue(ctx.as_of):
            still = "in progress" if measure.status == "in_progress" else "open"
            yield finding(
                "overdue_countermeasure",
                measure.id,
                f"countermeasure {measure.id} for {measure.metric} ({measure.period}) was due "
                f"{measure.due.isoformat()} and is still {still}",
            )


def unachievable_rates(ctx: Context) -> Iterator[Finding]:
    """Metrics behind plan whose improvement still needed per month far outpaces their history.

    Only amber and red metrics: one on or ahead of its plan needs no warning about its pace.
    The needed and recent paces run from the latest actual; they are log-ratios for compound
    metrics. The recent pace runs from the earliest actual 6 to 12 months before the latest
    one; without such an actual there is too little history to judge. (Worked out as columns:
    the largest plan has 100,000 metrics behind plan.)
    """
    rows = ctx.metric_rows()
    at = rows.where(BEHIND)
    behind = Behind.of(pick(rows.metrics, at), pick(rows.results, at), pick(rows.periods, at))
    needed, recent, compound, metrics, directions = behind.paces()
    slow = (needed > 0) & (needed > RATE_FACTOR * np.maximum(recent, 0.0))
    flagged = np.flatnonzero(slow)
    metrics = pick(metrics, flagged.tolist())
    ids = list(map(_id, metrics))
    units = [f" {unit}" if unit else "" for unit in map(_unit, metrics)]
    kinds = compound[flagged].tolist()
    needs = _rates(kinds, units, needed[flagged].tolist())
    moved = _rates(kinds, units, recent[flagged].tolist())
    verbs = ["rise" if way == "increase" else "fall" for way in directions[flagged].tolist()]
    messages = [
        f"metric {key} '{name}' must {verb} {need} a month to reach its target; "
        f"over the last year it moved {move} a month"
        for key, name, verb, need, move in zip(
            ids, map(_name, metrics), verbs, needs, moved, strict=True
        )
    ]
    return _findings("unachievable_rate", ids, messages)


class Behind(NamedTuple):
    """Metrics behind plan as columns: latest actual and its month, target (the end value of
    a rate), target month, direction and whether the course is compound."""

    metrics: list[Metric]
    current: list[float | None]
    periods: list[Month | None]
    targets: list[float | None]
    ends: list[Month | None]
    directions: list[str]
    compound: list[bool]

    @classmethod
    def of(
        cls, metrics: list[Metric], results: list[MetricResult], periods: list[Month | None]
    ) -> Behind:
        """The columns of ``metrics``, with their ``results`` and their current ``periods``."""
        targets, rates = list(map(_target, metrics)), list(map(_rate_per_year, metrics))
        compound = list(map(eq, map(_trajectory, metrics), repeat("compound")))
        for row in compress(range(len(rates)), map(is_not, rates, repeat(None))):
            targets[row], compound[row] = end_value(metrics[row]), True
        current = list(map(_current, results))
        ends, directions = list(map(_target_period, metrics)), list(map(_direction, metrics))
        return cls(metrics, current, periods, targets, ends, directions, compound)

    def measurable(self) -> Behind:
        """Those with a latest actual, a target and a target month, not maintained."""
        keep = [
            way != "maintain" and None not in (value, period, target, end)
            for value, period, target, end, way in zip(*self[1:6], strict=True)
        ]
        return Behind(*[list(compress(column, keep)) for column in self])  # type: ignore[arg-type]

    def paces(self) -> tuple[Floats, Floats, npt.NDArray[np.bool_], list[Metric], Any]:
        """The pace needed and the recent pace of the metrics whose pace can be judged (the
        target month after the latest actual, an actual 6 to 12 months before it), whether
        each is compound, the metrics and their directions: one metric's formula, operation
        by operation in its order, on arrays (so the same floats)."""
        columns = self
        try:  # None is no month: a plan without Nones needs no filter
            month = months_of(columns.periods)  # type: ignore[arg-type]
            left = months_of(columns.ends) - month  # type: ignore[arg-type]
            if "maintain" in columns.directions or _has_none(columns.current, columns.targets):
                raise TypeError("filtered below")
        except TypeError:
            columns = self.measurable()
            month = months_of(columns.periods)  # type: ignore[arg-type]
            left = months_of(columns.ends) - month  # type: ignore[arg-type]
        first, span = _history(columns.metrics, month)
        ok = (left > 0) & (span > 0)
        first, span, left = first[ok], span[ok], left[ok]
        last = np.array(columns.current, np.float64)[ok]
        target = np.array(columns.targets, np.float64)[ok]
        directions = np.array(columns.directions, object)[ok]
        compound = np.array(columns.compound, np.bool_)[ok]
        sign = np.where(directions == "increase", 1.0, -1.0)
        low = np.where(last < first, last, first)  # Python's min(first, last, target), NaN too
        low = np.where(target < low, target, low)
        logs = np.flatnonzero(compound & (low > 0))
        with np.errstate(all="ignore"):
            needed = sign * (target - last) / left
            recent = sign * (last - first) / span
            if len(logs):  # math.log, as the rule has always used: NumPy's may differ in a bit
                ratio_needed = _log((target[logs] / last[logs]).tolist())
                ratio_recent = _log((last[logs] / first[logs]).tolist())
                needed[logs] = sign[logs] * ratio_needed / left[logs]
                recent[logs] = sign[logs] * ratio_recent / span[logs]
        metrics = list(compress(columns.metrics, ok.tolist()))
        return needed, recent, compound, metrics, directions


Floats = npt.NDArray[np.float64]


def _has_none(*columns: list[float | None]) -> bool:
    """Whether a column of numbers holds a None (NumPy reads it as NaN: only those looked at)."""
    return any(
        any(column[at] is None for at in np.flatnonzero(np.isnan(np.array(column, np.float64))))
        for column in columns
    )


def _log(values: list[float]) -> npt.NDArray[np.float64]:
    return np.array(list(map(math.log, values)), np.float64)


def _history(
    metrics: list[Metric], month: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Each metric's earliest actual 6 to 12 months before ``month``, and how many months
    before it lies (0 without one)."""
    table, start, stop = runs_of(metrics)
    if table is None:  # actuals in mappings of their own: asked month by month
        found = [
            _earliest(metric.actuals, at)
            for metric, at in zip(metrics, month.tolist(), strict=True)
        ]
        return (
            np.array([value for value, _ in found], np.float64),
            np.array([span for _, span in found], np.int64),
        )
    months, values = table.arrays()
    at = first_at_or_after(months, start, stop, month - HISTORY_MONTHS)
    inside = at < stop
    index = np.where(inside, at, 0)
    span = np.where(inside, month - months[index] if len(months) else 0, 0)
    span = np.where(span >= MIN_HISTORY, span, 0)
    return (values[index] if len(values) else np.zeros(len(month))), span


def _earliest(actuals: Mapping[Month, float], month: int) -> tuple[float, int]:
    for span in _SPANS:
        value = actuals.get(month_of(month - span))
        if value is not None:
            return value, span
    return 0.0, 0


_SPANS = range(HISTORY_MONTHS, MIN_HISTORY - 1, -1)  # the longest history first


def _rates(compound: list[bool], units: list[str], paces: list[float]) -> list[str]:
    """Monthly paces in the improving direction: '6.1%' for compound metrics, '2.5 pts' else."""
    return [
        (f"{expm1(abs(pace)):.1%}" if pace >= 0 else f"-{expm1(-pace):.1%}")
        if kind
        else f"{pace:.3g}{unit}"
        for kind, unit, pace in zip(compound, units, paces, strict=True)
    ]


def _findings(code: str, subjects: list[str], messages: list[str]) -> Iterator[Finding]:
    """The findings of ``code`` about ``subjects``, with their ``messages``."""
    heads = zip(repeat(code), repeat(CODES[code][0]), subjects, messages)
    return map(new_finding, repeat(Finding), heads)


_id, _name, _unit = attrgetter("id"), attrgetter("name"), attrgetter("unit")
_target, _rate_per_year = attrgetter("target"), attrgetter("rate_per_year")
_target_period, _direction = attrgetter("target_period"), attrgetter("direction")
_trajectory, _current = attrgetter("trajectory"), attrgetter("current")
