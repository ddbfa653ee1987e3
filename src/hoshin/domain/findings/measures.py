"""Measurement findings: stale numbers, red months without countermeasures, unreachable rates."""

from __future__ import annotations

import math
from collections.abc import Iterator

from hoshin.domain.cadence import latest_due, months_covered
from hoshin.domain.findings.base import CODES, Context, Finding, finding, new_finding
from hoshin.domain.months import Month
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
    for metric in ctx.all_metrics:
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
    results = ctx.metrics
    severity = CODES["missing_countermeasure"][0]
    for metric in ctx.all_metrics:
        result = results[metric.id]
        if result.status != "red":
            continue
        # no key to build when the plan has no countermeasures at all
        if not answered or (metric.id, result.current_period) not in answered:
            # str(): a Month's cached text, without Month.__format__ around it
            period = str(result.current_period)
            message = (
                f"metric {metric.id} '{metric.name}' is red in {period} "
                "and has no countermeasure for that month"
            )
            yield new_finding(Finding, ("missing_countermeasure", severity, metric.id, message))


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
    one; without such an actual there is too little history to judge. (One loop without
    calls: it visits the 100,000 metrics behind plan of the largest plan.)
    """
    results = ctx.metrics
    severity = CODES["unachievable_rate"][0]
    for metric in ctx.all_metrics:
        result = results[metric.id]
        if result.status not in BEHIND:
            continue
        last, last_month = result.current, result.current_period
        if last is None or last_month is None:
            continue
        target = metric.target if metric.rate_per_year is None else end_value(metric)
        direction, end = metric.direction, metric.target_period
        if direction == "maintain" or target is None or end is None:
            continue
        left = end - last_month
        if left <= 0:
            continue
        actuals = metric.actuals
        for span in _SPANS:
            first = actuals.get(last_month - span)  # type: ignore[call-overload]
            if first is not None:
                break
        else:
            continue
        sign = 1.0 if direction == "increase" else -1.0
        compound = metric.trajectory == "compound" or metric.rate_per_year is not None
        if compound and min(first, last, target) > 0:
            needed = sign * math.log(target / last) / left
            recent = sign * math.log(last / first) / span
        else:
            needed, recent = sign * (target - last) / left, sign * (last - first) / span
        if needed > 0 and needed > RATE_FACTOR * max(recent, 0.0):
            unit = f" {metric.unit}" if metric.unit else ""
            verb = "rise" if direction == "increase" else "fall"
            message = (
                f"metric {metric.id} '{metric.name}' must {verb} {_rate(compound, unit, needed)} "
                "a month to reach its target; over the last year it moved "
                f"{_rate(compound, unit, recent)} a month"
            )
            yield new_finding(Finding, ("unachievable_rate", severity, metric.id, message))


_SPANS = range(HISTORY_MONTHS, MIN_HISTORY - 1, -1)  # the longest history first


def _rate(compound: bool, unit: str, pace: float) -> str:
    """A monthly pace in the improving direction: '6.1%' for compound metrics, '2.5 pts' else."""
    if compound:
        return f"{math.expm1(abs(pace)):.1%}" if pace >= 0 else f"-{math.expm1(-pace):.1%}"
    return f"{pace:.3g}{unit}"
