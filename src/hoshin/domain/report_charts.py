"""Each metric's monthly plan and bowling chart for the report, made for all metrics at once.

The report of 50,000 people holds 150,000 metrics' plans (37 months each) and charts (12 cells
each): made month by month in Python, they were most of ``hoshin check``'s time. Metrics whose
actuals lie in the plan's columnar table and whose course is given by a baseline and a target
are computed as arrays, by the same IEEE operations in the same order as ``Course.planned`` and
``against_plan``, so the same floats to the bit (tests/domain/test_report_charts.py); every
other metric by those rules themselves (``metric_plan``, ``bowling``). A compound course's
power is Python's own ``pow``: NumPy's differs from it in the last bit on some CPUs (its
AVX-512 ``power`` is not the C library's).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import compress
from typing import Any

import numpy as np
import numpy.typing as npt

from hoshin.domain.actuals import Actuals, ActualsTable
from hoshin.domain.model import Metric
from hoshin.domain.months import Month, fiscal_year_start, month_of
from hoshin.domain.status import COLUMNS_FROM, Status, bowling
from hoshin.domain.status_columns import NO_DATA, STATUS_TEXTS, deviation_codes
from hoshin.domain.trajectory import metric_plan

Json = dict[str, Any]
Chart = tuple[Json, list[Json]]  # the plan by month, the bowling chart's cells
YEAR = 12  # months in a bowling chart


def charts(metrics: Sequence[Metric], as_of_month: Month, fiscal_start: int) -> list[Chart]:
    """Each metric's plan (``YYYY-MM`` to planned value, baseline to target period) and
    bowling chart (the fiscal year of ``as_of_month``), in the order of ``metrics``."""
    first = fiscal_year_start(as_of_month, fiscal_start)
    table = _table_of(metrics) if len(metrics) >= COLUMNS_FROM else None
    straight = [_straight(m, table) for m in metrics] if table is not None else []
    if not any(straight):
        return [chart(metric, first) for metric in metrics]
    assert table is not None
    found = _columns(list(compress(metrics, straight)), table, first)
    return [
        next(found) if ok else chart(metric, first)
        for metric, ok in zip(metrics, straight, strict=True)
    ]


def chart(metric: Metric, first: Month) -> Chart:
    """One metric's plan and bowling chart, by the rules one month at a time."""
    plan_json = {str(month): value for month, value in metric_plan(metric).items()}
    cells = bowling(metric, first, first.number)
    return plan_json, _cells(
        [str(cell.period) for cell in cells],
        [cell.plan for cell in cells],
        [cell.actual for cell in cells],
        [cell.status for cell in cells],
    )


def _cells(
    periods: Sequence[str],
    plans: Sequence[float | None],
    actuals: Sequence[float | None],
    statuses: Sequence[Status],
) -> list[Json]:
    """A bowling chart's cells as the report writes them."""
    return [
        {"period": period, "plan": plan, "actual": actual, "status": status}
        for period, plan, actual, status in zip(periods, plans, actuals, statuses, strict=True)
    ]


def _table_of(metrics: Sequence[Metric]) -> ActualsTable | None:
    for metric in metrics:
        if metric.actuals.__class__ is Actuals:
            return metric.actuals.table
    return None


def _straight(metric: Metric, table: ActualsTable) -> bool:
    """Whether the arrays give the metric's chart exactly: a course of floats from a baseline
    to a target between two months, no per-month targets, and its actuals in ``table``. Any
    other (an int from a plan built in code, a span the rules would divide by zero, a compound
    course through zero) goes month by month, and raises there as the rules do."""
    baseline, target = metric.baseline, metric.target
    start, end = metric.baseline_period, metric.target_period
    actuals = metric.actuals
    return (
        metric.direction != "maintain"
        and metric.rate_per_year is None
        and not metric.targets
        and baseline.__class__ is float
        and target.__class__ is float
        and start is not None
        and end is not None
        and start < end
        and math.isfinite(baseline)
        and math.isfinite(target)
        and baseline != target
        and (
            metric.trajectory == "linear"
            or (baseline != 0.0 and 0.0 < target / baseline < math.inf)
        )
        and actuals.__class__ is Actuals
        and actuals.table is table
    )


def _columns(metrics: list[Metric], table: ActualsTable, first: Month) -> Iterator[Chart]:
    """The charts of straight ``metrics``, computed as arrays."""
    count = len(metrics)
    baseline = np.fromiter((m.baseline for m in metrics), np.float64, count)
    target = np.fromiter((m.target for m in metrics), np.float64, count)
    start = np.fromiter((m.baseline_period for m in metrics), np.int64, count)
    end = np.fromiter((m.target_period for m in metrics), np.int64, count)
    compound = np.fromiter((m.trajectory == "compound" for m in metrics), np.bool_, count)
    course = _Course(baseline, target, compound)
    plans = _plans(course, start, end)
    # the chart: planned_on of each month of the fiscal year, flat outside the course
    months = np.arange(first, first + YEAR, dtype=np.int64)
    share = (months - start[:, None]) / (end - start)[:, None]
    inside = (months > start[:, None]) & (months < end[:, None])
    planned = np.where(
        months <= start[:, None],
        baseline[:, None],
        np.where(months >= end[:, None], target[:, None], course.on(share, inside)),
    )
    span = course.span
    actual, has = _actuals_in(metrics, table, int(first))
    tolerance = np.fromiter((m.tolerance for m in metrics), np.float64, count)
    with np.errstate(all="ignore"):  # NaN and inf actuals compare as the rules' floats do
        deviation = (actual - planned) / span[:, None]
    status = np.where(has, deviation_codes(deviation, tolerance[:, None]), NO_DATA)
    actuals: list[Any] = actual.ravel().tolist()
    for at in np.flatnonzero(~has.ravel()).tolist():
        actuals[at] = None
    periods = [str(month_of(month)) for month in months.tolist()] * count
    cells = _cells(
        periods,
        planned.ravel().tolist(),
        actuals,
        STATUS_TEXTS[status.ravel()].tolist(),
    )
    for at, plan_json in enumerate(plans):
        yield plan_json, cells[at * YEAR : (at + 1) * YEAR]


class _Course:
    """The courses of many metrics: ``Course.planned`` of the months inside them as arrays."""

    def __init__(
        self,
        baseline: npt.NDArray[np.float64],
        target: npt.NDArray[np.float64],
        compound: npt.NDArray[np.bool_],
    ) -> None:
        self.baseline, self.target, self.compound = baseline, target, compound
        self.span = target - baseline
        with np.errstate(all="ignore"):
            self.ratio = np.where(compound, target / baseline, 1.0)

    def on(
        self,
        share: npt.NDArray[np.float64],
        inside: npt.NDArray[np.bool_],
        rows: npt.NDArray[np.intp] | slice = slice(None),
    ) -> npt.NDArray[np.float64]:
        """The planned values of the metrics ``rows`` (a row each) at the shares of their
        course ``share`` (a column a month), where ``inside`` their course (else any)."""
        baseline, span = self.baseline[rows, None], self.span[rows, None]
        with np.errstate(all="ignore"):
            values = baseline + span * share
        powered = inside & self.compound[rows, None]
        if powered.any():
            ratio = np.broadcast_to(self.ratio[rows, None], powered.shape)[powered]
            shares = np.broadcast_to(share, powered.shape)[powered]
            power = np.fromiter(map(pow, ratio.tolist(), shares.tolist()), np.float64, len(ratio))
            values[powered] = np.broadcast_to(baseline, powered.shape)[powered] * power
        return values


def _plans(course: _Course, start: npt.NDArray[np.int64], end: npt.NDArray[np.int64]) -> list[Json]:
    """Each metric's plan: the metrics of one course's months (most share one) at once, and
    one plan for the metrics of the same course (the same months, baseline, target and kind:
    a plan's metrics often share one, and 150,000 plans of 37 months were a third of the
    report). A plan is read, never changed, so metrics share the object."""
    plans: list[Json] = [{}] * len(start)
    # the floats by their bits: -0.0 and 0.0 are plans apart
    courses: dict[tuple[int, int], dict[tuple[int, int, bool], list[int]]] = {}
    for at, (low, high, baseline, target, compound) in enumerate(
        zip(
            start.tolist(),
            end.tolist(),
            course.baseline.view(np.int64).tolist(),
            course.target.view(np.int64).tolist(),
            course.compound.tolist(),
            strict=True,
        )
    ):
        alike = courses.setdefault((low, high), {})
        alike.setdefault((baseline, target, compound), []).append(at)
    for (low, high), alike in courses.items():
        rows = np.array([chosen[0] for chosen in alike.values()], dtype=np.intp)
        # Course.planned's share of each month, as Python divides two ints
        share = np.array([(month - low) / (high - low) for month in range(low, high + 1)])
        inside = np.ones((len(rows), len(share)), dtype=np.bool_)
        values = course.on(share[None, :], inside, rows)
        values[:, 0] = course.baseline[rows]  # the months at and past the ends are flat
        values[:, -1] = course.target[rows]
        keys = [str(month_of(month)) for month in range(low, high + 1)]
        for chosen, row in zip(alike.values(), values.tolist(), strict=True):
            plan = dict(zip(keys, row, strict=True))
            for at in chosen:
                plans[at] = plan
    return plans


def _actuals_in(
    metrics: list[Metric], table: ActualsTable, first: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Each metric's actual of each month from ``first`` (a metric by a row), and where it has
    one: its run's months in the chart's year found by a search of all runs at once."""
    count = len(metrics)
    months, values = table.arrays()
    low = np.fromiter((m.actuals.start for m in metrics), np.int64, count)  # type: ignore[attr-defined]
    high = np.fromiter((m.actuals.stop for m in metrics), np.int64, count)  # type: ignore[attr-defined]
    begin = _bisect(months, low, high, first)
    stop = _bisect(months, begin, high, first + YEAR)
    lengths = stop - begin
    rows = np.repeat(np.arange(count), lengths)
    at = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths - begin, lengths)
    actual = np.zeros((count, YEAR), dtype=np.float64)
    has = np.zeros((count, YEAR), dtype=np.bool_)
    columns = months[at] - first
    actual[rows, columns] = values[at]
    has[rows, columns] = True
    return actual, has


def _bisect(
    months: npt.NDArray[np.int32],
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    month: int,
) -> npt.NDArray[np.int64]:
    """``bisect_left(months, month, low, high)`` of every run at once."""
    low, high = low.copy(), high.copy()
    last = len(months) - 1
    while (low < high).any():
        middle = (low + high) // 2
        before = (months[np.clip(middle, 0, max(last, 0))] < month) & (low < high)
        low = np.where(before, middle + 1, low)
        high = np.where(before | (low >= high), high, middle)
    return low
