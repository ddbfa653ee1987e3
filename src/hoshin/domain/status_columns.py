"""Metrics evaluated as columns: ``evaluate_metrics`` of a large plan, the same arithmetic
as ``each_metric`` on arrays, and the results' columns handed on to the roll-up.

This runs for every metric of every analysis (150,000 in the largest plan): each field of
the metrics is read once by a ``map`` (in C) and checked as an array, and only the metrics
the arrays cannot take (a band, per-month targets, a rate, actuals outside the table,
arithmetic that would raise) go through ``each_metric``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, is_, is_not, not_
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from hoshin.domain.actuals import Actuals, ActualsTable, first_at_or_after
from hoshin.domain.columns import Bools, Floats, Ints
from hoshin.domain.model import Metric
from hoshin.domain.months import Month, month_of
from hoshin.domain.status import COLUMNS_FROM, STATUSES, MetricResult, each_metric

# A status as an array's element: its index in STATUSES; STATUS_TEXTS[codes] are the statuses.
GREEN, AMBER, RED, NO_DATA, UNMEASURED = range(5)
STATUS_TEXTS = np.array(STATUSES, dtype=object)
_CODE = {status: code for code, status in enumerate(STATUSES)}
_result = partial(tuple.__new__, MetricResult)


class MetricColumns(NamedTuple):
    """Metrics' results as arrays, row ``i`` the ``i``-th metric's: what the roll-up reads.
    ``status`` is the index in ``STATUSES``; ``progress`` is NaN where ``known`` is False
    (None), ``planned_progress`` NaN where it is None."""

    status: Ints
    progress: Floats
    known: Bools
    planned_progress: Floats


def metric_columns(results: Sequence[MetricResult]) -> MetricColumns | None:
    """The columns of ``results``; None if a measured one has no planned progress."""
    size = len(results)
    status = np.fromiter(map(_CODE.__getitem__, map(_status_of, results)), np.int64, size)
    planned: list[Any] = list(map(_planned_progress_of, results))
    if None in compress(planned, (status != UNMEASURED).tolist()):
        return None
    progress: list[Any] = list(map(_progress_of, results))
    known = np.fromiter(map(is_not, progress, repeat(None)), np.bool_, size)
    return MetricColumns(
        status, np.array(progress, np.float64), known, np.array(planned, np.float64)
    )


def evaluate_with_columns(
    metrics: Sequence[Metric], as_of_month: Month
) -> tuple[dict[str, MetricResult], MetricColumns | None]:
    """``evaluate_metrics``' results, and for a large list of metrics with distinct ids
    and columnar actuals their columns too (else None), made on the way."""
    if len(metrics) < COLUMNS_FROM:
        return each_metric(metrics, as_of_month), None
    return _evaluate_columns(metrics, as_of_month)


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
    return _evaluate_columns(metrics, as_of_month)[0]


def _evaluate_columns(
    metrics: Sequence[Metric], as_of_month: Month
) -> tuple[dict[str, MetricResult], MetricColumns | None]:
    table = _table_of(metrics)
    if table is None:
        return each_metric(metrics, as_of_month), None
    courses = _Courses.of(metrics, table)
    rows, made = courses.results(as_of_month)
    columns: MetricColumns | None = made
    ids = list(map(_id, metrics))
    skipped = np.flatnonzero(~courses.eligible).tolist()
    if skipped:  # what would raise in Python goes the scalar way, and raises there
        others = each_metric(list(map(metrics.__getitem__, skipped)), as_of_month)
        found = list(map(others.__getitem__, map(ids.__getitem__, skipped)))
        for at, result in zip(skipped, found, strict=True):
            rows[at] = result
        columns = _with_rows(made, skipped, metric_columns(found))
    results = dict(zip(ids, rows, strict=True))
    return results, columns if len(results) == len(ids) else None


def _with_rows(
    columns: MetricColumns, at: list[int], found: MetricColumns | None
) -> MetricColumns | None:
    """``columns`` with rows ``at`` replaced by ``found``'s."""
    if found is None:
        return None
    for mine, theirs in zip(columns, found, strict=True):
        mine[at] = theirs
    return columns


@dataclass(frozen=True, slots=True)
class _Courses:
    """The metrics' courses as arrays, and which of them the arrays evaluate (``eligible``):
    a course from baseline to target without per-month targets or a rate, its actuals in
    the one table, and arithmetic that cannot raise."""

    baseline: Floats
    target: Floats
    start: Ints
    end: Ints
    compound: Bools
    tolerance: Floats
    first: Ints
    stop: Ints
    table: ActualsTable
    eligible: Bools

    @classmethod
    def of(cls, metrics: Sequence[Metric], table: ActualsTable) -> _Courses:
        """The courses of ``metrics``, each field read by one ``map`` (in C) and checked
        as an array: None reads as NaN, or as a month outside the plan."""
        size = len(metrics)
        baseline = np.array(list(map(_baseline_of, metrics)), np.float64)
        target = np.array(list(map(_target_of, metrics)), np.float64)
        start, has_start = _months(list(map(_start_period_of, metrics)))
        end, has_end = _months(list(map(_end_period_of, metrics)))
        compound = _flags(map("compound".__eq__, map(_trajectory_of, metrics)), size)
        first, stop, inside = _runs(list(map(_actuals_of, metrics)), table)
        with np.errstate(all="ignore"):
            ratio = target / baseline
        eligible = np.ones(size, np.bool_)
        # a search in C over each field first: the usual plan has no band, no targets, no rate
        if "maintain" in map(_direction_of, metrics):
            eligible &= _flags(map("maintain".__ne__, map(_direction_of, metrics)), size)
        if any(map(_targets_of, metrics)):
            eligible &= _flags(map(not_, map(_targets_of, metrics)), size)
        rates = list(map(_rate_of, metrics))
        if rates.count(None) != size:
            eligible &= _flags(map(is_, rates, repeat(None)), size)
        eligible &= has_start & has_end & inside & (target - baseline != 0)
        eligible &= np.isfinite(baseline) & np.isfinite(target)
        eligible &= ~compound | ((ratio > 0) & np.isfinite(ratio))
        tolerance = np.array(list(map(_tolerance_of, metrics)), np.float64)
        return cls(baseline, target, start, end, compound, tolerance, first, stop, table, eligible)

    def results(self, as_of_month: Month) -> tuple[list[MetricResult], MetricColumns]:
        """Every metric's result (garbage where not ``eligible``) and their columns."""
        baseline, target, start, end = self.baseline, self.target, self.start, self.end
        months, values = self.table.arrays()
        latest, has = _latest(months, self.first, self.stop, as_of_month)
        period = (
            np.where(has, months[latest], as_of_month) if len(months) else start * 0 + as_of_month
        )
        value = values[latest] if len(values) else baseline * 0
        with np.errstate(all="ignore"):
            span = target - baseline
            ratio = target / baseline
            share = (period - start) / (end - start)
            within = self.compound & self.eligible & (period > start) & (period < end)
            planned = np.where(
                period <= start,
                baseline,
                np.where(
                    period >= end,
                    target,
                    np.where(
                        self.compound,
                        baseline * _powers(ratio, share, within),
                        baseline + span * share,
                    ),
                ),
            )
            planned_progress = (planned - baseline) / span
            progress = (value - baseline) / span
            progress = np.where(progress < 0.0, 0.0, np.where(progress > 1.0, 1.0, progress))
            deviation = (value - planned) / span
        status = np.where(has, deviation_codes(deviation, self.tolerance), NO_DATA)
        columns = MetricColumns(status, progress, has, planned_progress)
        return _rows(value, period, planned, columns), columns


def deviation_codes(deviation: Floats, tolerance: Floats) -> Ints:
    """``deviation_status`` as an array: green at or above plan, amber within ``tolerance``
    below it, red further below (NaN, no data, reads as red: callers set those apart)."""
    return np.where(deviation >= 0, GREEN, np.where(deviation >= -tolerance, AMBER, RED))


def _rows(
    value: Floats, period: Ints, planned: Floats, columns: MetricColumns
) -> list[MetricResult]:
    """The results from their columns: current value, period and progress None where
    there is no data."""
    current: list[Any] = value.tolist()
    periods = _months_of(period, columns.known)
    progresses: list[Any] = columns.progress.tolist()
    for at in np.flatnonzero(~columns.known).tolist():
        current[at] = progresses[at] = None
    fields = (
        current,
        periods,
        planned.tolist(),
        progresses,
        columns.planned_progress.tolist(),
        STATUS_TEXTS[columns.status].tolist(),
    )
    return list(map(_result, zip(*fields, strict=True)))


_id, _status_of, _progress_of = attrgetter("id"), attrgetter("status"), attrgetter("progress")
_planned_progress_of, _tolerance_of = attrgetter("planned_progress"), attrgetter("tolerance")
_baseline_of, _target_of = attrgetter("baseline"), attrgetter("target")
_start_period_of, _end_period_of = attrgetter("baseline_period"), attrgetter("target_period")
_direction_of, _targets_of = attrgetter("direction"), attrgetter("targets")
_rate_of, _trajectory_of = attrgetter("rate_per_year"), attrgetter("trajectory")
_actuals_of, _table_of_run = attrgetter("actuals"), attrgetter("table")
_start_of, _stop_of = attrgetter("start"), attrgetter("stop")


def _months_of(ordinals: Ints, known: Bools) -> list[Month | None]:
    """The ``Month`` of each ordinal, None where not ``known``: a plan's periods span a few
    hundred months, so each is made once and the list taken from an array of them."""
    if not known.any():
        return [None] * len(ordinals)
    low, high = int(ordinals[known].min()), int(ordinals[known].max())
    shared = np.array([*map(month_of, range(low, high + 1)), None], dtype=object)
    return shared[np.where(known, ordinals - low, high + 1 - low)].tolist()  # type: ignore[no-any-return]


def _flags(values: Iterable[bool], size: int) -> Bools:
    return np.fromiter(values, np.bool_, size)


def _months(months: list[Month | None]) -> tuple[Ints, Bools]:
    """The months as an array (through ``array``: NumPy reads ``int`` subclasses one slow
    step at a time), 0 for None, and which are given."""
    given = np.ones(len(months), np.bool_)
    ordinals: list[Any] = months
    if None in months:
        given = _flags(map(is_not, months, repeat(None)), len(months))
        ordinals = [0 if month is None else month for month in months]
    return np.frombuffer(array("q", ordinals), np.int64), given


def _runs(actuals: list[Mapping[Month, float]], table: ActualsTable) -> tuple[Ints, Ints, Bools]:
    """Each metric's run (start, stop) in ``table``, and whether its actuals lie there
    (an empty run where they do not)."""
    size = len(actuals)
    runs: list[Any] = actuals
    if set(map(type, actuals)) != {Actuals}:
        columnar = _flags(map(is_, map(type, actuals), repeat(Actuals)), size).tolist()
        runs = [run if ok else _NO_RUN for run, ok in zip(actuals, columnar, strict=True)]
    first = np.frombuffer(array("q", map(_start_of, runs)), np.int64)
    stop = np.frombuffer(array("q", map(_stop_of, runs)), np.int64)
    if set(map(_table_of_run, runs)) == {table}:
        return first, stop, np.ones(size, np.bool_)
    inside = _flags(map(is_, map(_table_of_run, runs), repeat(table)), size)
    return np.where(inside, first, 0), np.where(inside, stop, 0), inside


_NO_RUN = Actuals(ActualsTable(array("i"), array("d")), 0, 0)


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
    with ``has`` False): the run's last, usually; else the one before the first month past
    ``as_of_month``, searched in all those runs at once."""
    last = np.maximum(stop - 1, 0)
    latest = last.copy()
    has = stop > first
    if len(months) == 0:
        return np.zeros_like(first), np.zeros(len(first), dtype=np.bool_)
    late = has & (months[last] > as_of_month)
    if late.any():
        past = first_at_or_after(months, first[late], stop[late], as_of_month + 1)
        latest[late] = past - 1
        has[late] = past > first[late]
    return np.where(has, latest, 0), has
