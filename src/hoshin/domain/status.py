"""Metric status against plan: current value, progress, red/amber/green, and the bowling chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

from hoshin.domain.model import Metric
from hoshin.domain.months import Month, fiscal_year_start
from hoshin.domain.trajectory import Course, course

Status = Literal["green", "amber", "red", "no_data", "unmeasured"]
STATUSES: tuple[Status, ...] = ("green", "amber", "red", "no_data", "unmeasured")

# A NamedTuple's own constructor is Python code; ``tuple.__new__(Cls, values)`` builds the
# same value in C, three times faster. The engine builds hundreds of thousands of results.
_new = tuple.__new__


class MetricResult(NamedTuple):
    """Where a metric stands at the as-of month."""

    current: float | None
    current_period: Month | None
    planned: float | None
    progress: float | None
    planned_progress: float
    status: Status


class BowlingCell(NamedTuple):
    """One month of a bowling chart: plan, actual and the status of that month."""

    period: Month
    plan: float | None
    actual: float | None
    status: Status


def deviation_status(deviation: float, tolerance: float) -> Status:
    """green at or above plan, amber within ``tolerance`` below it, red further below."""
    if deviation >= 0:
        return "green"
    if deviation >= -tolerance:
        return "amber"
    return "red"


def against_plan(value: float, planned: float, span: float, tolerance: float) -> Status:
    """What makes a metric red: the deviation of ``value`` from ``planned`` as a share of
    the whole way from baseline to target (``span``), judged by ``deviation_status``. The
    one rule of the current status (``evaluate_metrics``) and of each month's
    (``month_status``, the bowling chart)."""
    return deviation_status((value - planned) / span, tolerance)


def month_status(metric: Metric, path: Course | None, month: Month, value: float) -> Status:
    """The status of ``value`` as the actual of ``month``."""
    if path is None:
        return _band_status(_in_band(metric, value))
    return against_plan(value, path.planned(month), path.target - path.baseline, metric.tolerance)


def latest_actual(metric: Metric, as_of_month: Month) -> tuple[Month, float] | None:
    """The latest actual at or before ``as_of_month``."""
    best = _latest_month(metric.actuals, as_of_month)
    return None if best is None else (best, metric.actuals[best])


def _latest_month(actuals: Mapping[Month, float], as_of_month: Month) -> Month | None:
    if not actuals:
        return None
    best = max(actuals)  # the usual case: no actual after the as-of month
    if best > as_of_month:
        earlier = [month for month in actuals if month <= as_of_month]
        return max(earlier) if earlier else None
    return best


def evaluate_metric(metric: Metric, as_of_month: Month) -> MetricResult:
    """Current value, planned value, progress and status of ``metric`` at ``as_of_month``."""
    return evaluate_metrics((metric,), as_of_month)[metric.id]


def evaluate_metrics(metrics: Iterable[Metric], as_of_month: Month) -> dict[str, MetricResult]:
    """``evaluate_metric`` of each metric, by id.

    This runs for every metric of every analysis (150,000 in the largest plan): a plan whose
    actuals are one columnar table (``load_plan``'s) is evaluated as columns
    (``evaluate_columns``), the same arithmetic on arrays; any other by ``each_metric``.
    """
    listed = metrics if isinstance(metrics, Sequence) else list(metrics)
    if len(listed) >= COLUMNS_FROM:
        # imported here: the columns are built on this module's results and rules
        from hoshin.domain.status_columns import evaluate_columns

        return evaluate_columns(listed, as_of_month)
    return each_metric(listed, as_of_month)


def each_metric(metrics: Iterable[Metric], as_of_month: Month) -> dict[str, MetricResult]:
    """``evaluate_metric`` of each metric, one at a time: one loop, results built in C, and
    the rules where they live (``course``, ``Course.planned``, ``against_plan``)."""
    results: dict[str, MetricResult] = {}
    for metric in metrics:
        actuals = metric.actuals
        latest = None
        if actuals:  # _latest_month, inlined
            latest = max(actuals)  # the usual case: no actual after the as-of month
            if latest > as_of_month:
                latest = _latest_month(actuals, as_of_month)
        path = course(metric)
        if path is None:  # maintain: a band, no course
            current = None if latest is None else (latest, actuals[latest])
            results[metric.id] = _evaluate_band(metric, current)
            continue
        period = as_of_month if latest is None else latest
        planned = path.planned(period)
        baseline, target = path.baseline, path.target
        span = target - baseline
        planned_progress = (planned - baseline) / span
        if latest is None:
            results[metric.id] = _new(
                MetricResult, (None, None, planned, None, planned_progress, "no_data")
            )
            continue
        value = actuals[latest]
        progress = (value - baseline) / span
        progress = 0.0 if progress < 0.0 else 1.0 if progress > 1.0 else progress
        status = against_plan(value, planned, span, metric.tolerance)
        results[metric.id] = _new(
            MetricResult, (value, period, planned, progress, planned_progress, status)
        )
    return results


def bowling(metric: Metric, as_of_month: Month, fiscal_start: int) -> list[BowlingCell]:
    """Plan, actual and status for each month of the fiscal year that holds ``as_of_month``."""
    path = course(metric)
    first = fiscal_year_start(as_of_month, fiscal_start)
    cells = []
    for offset in range(12):
        month = first + offset
        plan = None if path is None else path.planned(month)
        actual = metric.actuals.get(month)
        status: Status = "no_data" if actual is None else month_status(metric, path, month, actual)
        cells.append(BowlingCell(month, plan, actual, status))
    return cells


def _in_band(metric: Metric, value: float) -> bool:
    low_ok = metric.minimum is None or value >= metric.minimum
    high_ok = metric.maximum is None or value <= metric.maximum
    return low_ok and high_ok


def _evaluate_band(metric: Metric, latest: tuple[Month, float] | None) -> MetricResult:
    """A ``maintain`` metric: inside its band is green with progress 1, outside red with 0."""
    if latest is None:
        return MetricResult(None, None, None, None, 1.0, "no_data")
    period, value = latest
    inside = _in_band(metric, value)
    return MetricResult(value, period, None, 1.0 if inside else 0.0, 1.0, _band_status(inside))


def _band_status(inside: bool) -> Status:
    return "green" if inside else "red"


# Below this many metrics the loop costs less than building the columns.
COLUMNS_FROM = 200
