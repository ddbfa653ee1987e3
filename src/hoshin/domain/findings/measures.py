"""Measurement findings: stale numbers, red months without countermeasures, unreachable rates."""

from __future__ import annotations

import math
from collections.abc import Iterator

from hoshin.domain.findings.base import Context, Finding, finding
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.domain.trajectory import end_value

RATE_FACTOR = 2.0
BEHIND = frozenset(("amber", "red"))
MIN_HISTORY = 6
HISTORY_MONTHS = 12


def stale_metrics(ctx: Context) -> Iterator[Finding]:
    """Metrics with no actual for last month (for quarterly ones: the last three months)."""
    last = ctx.as_of_month.minus(1)
    for metric in ctx.all_metrics:
        start, end, actuals = metric.baseline_period, metric.target_period, metric.actuals
        if (start is not None and last <= start) or (end is not None and last > end):
            continue
        if last in actuals:
            continue
        window = 3 if metric.frequency == "quarterly" else 1
        if window == 3 and (last - 1 in actuals or last - 2 in actuals):
            continue
        span = f"{last.minus(window - 1)}..{last}" if window > 1 else str(last)
        yield finding(
            "stale_metric",
            metric.id,
            f"metric {metric.id} '{metric.name}' has no actual for {span}",
        )


def missing_countermeasures(ctx: Context) -> Iterator[Finding]:
    """Metrics red in their latest month with no countermeasure for that month."""
    answered = {(c.metric, c.period) for c in ctx.plan.countermeasures}
    for metric in ctx.all_metrics:
        result = ctx.metrics[metric.id]
        if result.status == "red" and (metric.id, result.current_period) not in answered:
            yield finding(
                "missing_countermeasure",
                metric.id,
                f"metric {metric.id} '{metric.name}' is red in {result.current_period} "
                "and has no countermeasure for that month",
            )


def overdue_countermeasures(ctx: Context) -> Iterator[Finding]:
    """Open countermeasures past their due date."""
    for measure in ctx.plan.countermeasures:
        if measure.status == "open" and measure.due is not None and measure.due < ctx.as_of:
            yield finding(
                "overdue_countermeasure",
                measure.id,
                f"countermeasure {measure.id} for {measure.metric} ({measure.period}) was due "
                f"{measure.due.isoformat()} and is still open",
            )


def unachievable_rates(ctx: Context) -> Iterator[Finding]:
    """Metrics behind plan whose improvement still needed per month far outpaces their history.

    Only amber and red metrics: one on or ahead of its plan needs no warning about its pace.
    """
    results = ctx.metrics
    for metric in ctx.all_metrics:
        result = results[metric.id]
        if result.status not in BEHIND or result.current is None or result.current_period is None:
            continue
        pace = _paces(metric, result.current_period, result.current)
        if pace is None:
            continue
        needed, recent = pace
        if needed > 0 and needed > RATE_FACTOR * max(recent, 0.0):
            yield finding(
                "unachievable_rate",
                metric.id,
                f"metric {metric.id} '{metric.name}' must {_verb(metric)} "
                f"{_rate(metric, needed)} a month to reach its target; over the last year it "
                f"moved {_rate(metric, recent)} a month",
            )


def _paces(metric: Metric, last_month: Month, last: float) -> tuple[float, float] | None:
    """(needed, recent) improvement per month from the latest actual; log-ratios if compound.

    The recent pace runs from the earliest actual 6 to 12 months before the latest one;
    without such an actual there is too little history to judge.
    """
    target = end_value(metric)
    if metric.direction == "maintain" or target is None or metric.target_period is None:
        return None
    left = metric.target_period - last_month
    if left <= 0:
        return None
    actuals = metric.actuals
    for span in range(HISTORY_MONTHS, MIN_HISTORY - 1, -1):
        first = actuals.get(last_month - span)  # type: ignore[call-overload]
        if first is not None:
            break
    else:
        return None
    sign = 1.0 if metric.direction == "increase" else -1.0
    compound = metric.trajectory == "compound" or metric.rate_per_year is not None
    if compound and min(first, last, target) > 0:
        return sign * math.log(target / last) / left, sign * math.log(last / first) / span
    return sign * (target - last) / left, sign * (last - first) / span


def _verb(metric: Metric) -> str:
    return "rise" if metric.direction == "increase" else "fall"


def _rate(metric: Metric, pace: float) -> str:
    """A monthly pace in the improving direction: '6.1%' for compound metrics, '2.5 pts' else."""
    if metric.trajectory == "compound" or metric.rate_per_year is not None:
        return f"{math.expm1(abs(pace)):.1%}" if pace >= 0 else f"-{math.expm1(-pace):.1%}"
    unit = f" {metric.unit}" if metric.unit else ""
    return f"{pace:.3g}{unit}"
