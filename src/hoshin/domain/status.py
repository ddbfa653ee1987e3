"""Metric status against plan: current value, progress, red/amber/green, and the bowling chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from hoshin.domain.actuals import Actuals, ActualsTable
from hoshin.domain.model import Metric
from hoshin.domain.months import Month, fiscal_year_start, month_of
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
_GREEN, _AMBER, _RED, _NO_DATA = range(4)
_STATUS_OF: tuple[Status, ...] = ("green", "amber", "red", "no_data")
_fields = attrgetter(
    "direction", "targets", "rate_per_year", "baseline", "baseline_period", "target",
    "target_period", "actuals",
)  # fmt: skip
_result = partial(_new, MetricResult)


def _powers(ratio: Any, share: Any, rows: Any) -> Any:
    """``ratio ** share`` where ``rows`` (1 elsewhere) by Python's own ``pow``: NumPy's
    ``power`` differs from it in the last bit on some CPUs (AVX-512), and the loop of
    ``each_metric`` uses Python's. Inside a course the share is between 0 and 1, so no
    power overflows."""
    powers = np.ones_like(share)
    at = np.flatnonzero(rows)
    if len(at):
        powers[at] = np.fromiter(
            map(pow, ratio[at].tolist(), share[at].tolist()), np.float64, len(at)
        )
    return powers


def evaluate_columns(metrics: Sequence[Metric], as_of_month: Month) -> dict[str, MetricResult]:
    """``each_metric``'s results, the metrics whose actuals lie in one columnar table
    evaluated as arrays: the same operations on the same floats in the same order (IEEE
    arithmetic is the same in NumPy), so the same results to the bit
    (tests/domain/test_status_columns.py). Metrics outside the table, ``maintain`` metrics,
    those with per-month targets or a rate, and those whose arithmetic would raise (no span,
    a compound course through zero) go through ``each_metric``."""
    table = _table_of(metrics)
    if table is None:
        return each_metric(metrics, as_of_month)
    fields = list(map(_fields, metrics))
    eligible = [
        direction != "maintain" and not targets and rate is None and baseline is not None
        and start is not None and target is not None and end is not None
        and actuals.__class__ is Actuals and actuals.table is table
        for direction, targets, rate, baseline, start, target, end, actuals in fields
    ]  # fmt: skip
    rows, safe = _rows(metrics, fields, eligible, table, as_of_month)
    if rows is None:  # what would raise in Python goes the scalar way, and raises there
        unsafe = iter(~safe)
        eligible = [ok and not next(unsafe) for ok in eligible]
        rows, _ = _rows(metrics, fields, eligible, table, as_of_month)
        assert rows is not None
    if all(eligible):
        return dict(zip(map(_id, metrics), rows, strict=True))
    others = each_metric(compress(metrics, [not ok for ok in eligible]), as_of_month)
    found = iter(rows)
    return {
        m.id: next(found) if ok else others[m.id] for m, ok in zip(metrics, eligible, strict=True)
    }


def _rows(
    metrics: Sequence[Metric],
    fields: list[tuple[Any, ...]],
    eligible: list[bool],
    table: ActualsTable,
    as_of_month: Month,
) -> tuple[list[MetricResult] | None, npt.NDArray[np.bool_]]:
    """The results of the ``eligible`` metrics; None and the mask of those whose arithmetic
    is safe when some is not."""
    chosen = list(compress(fields, eligible))
    baseline = _column(chosen, 3, np.float64)
    target = _column(chosen, 5, np.float64)
    compound = np.array(list(map(_trajectory_of, compress(metrics, eligible)))) == "compound"
    with np.errstate(all="ignore"):
        span = target - baseline
        ratio = target / baseline
    safe = span != 0
    safe &= np.isfinite(baseline) & np.isfinite(target)
    safe &= ~compound | ((ratio > 0) & np.isfinite(ratio))
    if not safe.all():
        return None, safe
    start = _column(chosen, 4, np.int64)
    end = _column(chosen, 6, np.int64)
    runs = list(map(_actuals_of, chosen))
    first = np.array(list(map(_start_of, runs)), np.int64)
    stop = np.array(list(map(_stop_of, runs)), np.int64)
    tolerance = np.array(list(map(_tolerance_of, compress(metrics, eligible))), np.float64)
    months, values = table.arrays()
    latest, has = _latest(months, first, stop, as_of_month)
    period = np.where(has, months[latest], as_of_month) if len(months) else start * 0 + as_of_month
    value = values[latest] if len(values) else baseline * 0
    with np.errstate(all="ignore"):
        share = (period - start) / (end - start)
        planned = np.where(
            period <= start,
            baseline,
            np.where(
                period >= end,
                target,
                np.where(
                    compound,
                    baseline * _powers(ratio, share, compound & (period > start) & (period < end)),
                    baseline + span * share,
                ),
            ),
        )
        planned_progress = (planned - baseline) / span
        progress = (value - baseline) / span
        progress = np.where(progress < 0.0, 0.0, np.where(progress > 1.0, 1.0, progress))
        deviation = (value - planned) / span
    status = np.where(deviation >= 0, _GREEN, np.where(deviation >= -tolerance, _AMBER, _RED))
    status = np.where(has, status, _NO_DATA)
    current: list[Any] = value.tolist()
    periods: list[Any] = list(map(month_of, period.tolist()))
    progresses: list[Any] = progress.tolist()
    for at in np.flatnonzero(~has).tolist():
        current[at] = periods[at] = progresses[at] = None
    columns = (
        current,
        periods,
        planned.tolist(),
        progresses,
        planned_progress.tolist(),
        map(_STATUS_OF.__getitem__, status.tolist()),
    )
    return list(map(_result, zip(*columns, strict=True))), safe


_id = attrgetter("id")
_actuals_of, _start_of, _stop_of = itemgetter(7), attrgetter("start"), attrgetter("stop")
_tolerance_of, _trajectory_of = attrgetter("tolerance"), attrgetter("trajectory")


def _column(rows: list[tuple[Any, ...]], at: int, kind: type[np.generic]) -> npt.NDArray[Any]:
    """Field ``at`` of each row as an array (a list first: NumPy reads a list in C, a
    generator one Python step an element)."""
    return np.array(list(map(itemgetter(at), rows)), kind)


def _table_of(metrics: Sequence[Metric]) -> ActualsTable | None:
    """The table of the first metric whose actuals are columnar (in a plan: all of them)."""
    for metric in metrics:
        actuals = metric.actuals
        if actuals.__class__ is Actuals:
            return actuals.table
    return None


def _latest(
    months: npt.NDArray[np.int32],
    first: npt.NDArray[np.int64],
    stop: npt.NDArray[np.int64],
    as_of_month: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Each run's index of its latest month at or before ``as_of_month`` (0 where it has none,
    with ``has`` False): the run's last, usually; else a binary search of all runs at once."""
    last = np.maximum(stop - 1, 0)
    latest = last.copy()
    has = stop > first
    if len(months) == 0:
        return np.zeros_like(first), np.zeros(len(first), dtype=np.bool_)
    late = has & (months[last] > as_of_month)
    if late.any():
        low, high = first[late], stop[late]  # the first month past as_of lies in low..high
        while (low < high).any():
            middle = (low + high) // 2
            before = months[np.minimum(middle, len(months) - 1)] <= as_of_month
            before &= low < high
            low = np.where(before, middle + 1, low)
            high = np.where(before | (low >= high), high, middle)
        latest[late] = low - 1
        has[late] = low > first[late]
    return np.where(has, latest, 0), has
