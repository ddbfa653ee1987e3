"""Contributors awaiting their first data, said out loud (pure).

The roll-up counts a measured contributor without data as progress 0, so that a metric
nobody reports is not silently left out (domain.rollup). That drags its parents down
until its first actual arrives: these functions name the month that actual is due, and
tell before a change is saved how each parent's progress will move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from hoshin.domain.cadence import next_due
from hoshin.domain.model import Level, Metric, Objective
from hoshin.domain.months import Month
from hoshin.domain.rollup import RollUp, roll_up_one
from hoshin.domain.status import MetricResult

Supporters = Mapping[str, Sequence[tuple[str, float]]]  # rollup.supporters_of's


def first_actual_due(metric: Metric, start: Month | None, *, fiscal_start: int) -> Month | None:
    """The month of the metric's first actual: the first month due after its baseline month
    (domain.cadence: the next month for a monthly metric, the next fiscal quarter's last
    month for a quarterly one, the organisation's fiscal year opening in ``fiscal_start``),
    else its objective's ``start``; None for a metric that has an actual already or neither
    month."""
    if metric.actuals:
        return None
    if metric.baseline_period is None:
        return start
    return next_due(metric.frequency, metric.baseline_period + 1, fiscal_start)


def awaited(
    key: str,
    objectives: Mapping[str, Objective],
    supporters: Supporters,
    results: Mapping[str, RollUp],
    *,
    fiscal_start: int,
) -> Month | None:
    """For an objective counted without data (status ``no_data``), the earliest month in
    which one of its metrics, or of the supporters counted without data below it, owes its
    first actual (the fiscal year opening in month ``fiscal_start``); None for an objective
    with data, or unmeasured."""
    if results[key].status != "no_data":
        return None
    months: list[Month] = []
    seen: set[str] = set()
    waiting = [key]
    while waiting:  # a walk, not a recursion: a deep chain of supports is no risk
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        objective = objectives[current]
        firsts = (
            first_actual_due(x, objective.start, fiscal_start=fiscal_start)
            for x in objective.metrics
        )
        months += [m for m in firsts if m is not None]
        waiting += [s for s, _ in supporters.get(current, ()) if results[s].status == "no_data"]
    return min(months, default=None)


class Move(NamedTuple):
    """How a parent's progress moves with a change of its supporter ``key``'s links."""

    parent: str
    before: float | None
    after: float | None
    awaiting: bool
    """The supporter counts as progress 0 until its first actual."""
    measured: bool
    """The supporter has a metric (or a measured supporter); if not, it counts only once
    it has one, and ``after`` is the progress from then until it reports."""


def parent_moves(
    key: str | None,
    level: Level,
    supports: Mapping[str, float],
    *,
    objectives: Mapping[str, Objective],
    supporters: Supporters,
    results: Mapping[str, RollUp],
    metrics: Mapping[str, MetricResult],
) -> list[Move]:
    """Each parent the objective ``key`` (None: a new one) supports now or would support
    with ``supports``, with its progress now and after the change (domain.rollup's
    roll_up_one, so the rule is the roll-up's own). A new or unmeasured objective is
    counted as the roll-up will count it once measured: without data, progress 0."""
    own = results.get(key) if key is not None else None
    measured = own is not None and own.status != "unmeasured"
    if own is None or not measured:
        own = RollUp(level, 0.0, 0.0, "no_data")
    before = {} if key is None else dict(objectives[key].supports) if key in objectives else {}
    moves = []
    for parent in dict.fromkeys([*supports, *before]):
        if parent not in objectives or parent == key:
            continue
        others = [(results[s], w) for s, w in supporters.get(parent, ()) if s != key]
        if parent in supports:
            others.append((own, supports[parent]))
        after = roll_up_one(objectives[parent], metrics, others)
        counted = parent in supports and own.status == "no_data"
        moves.append(Move(parent, results[parent].progress, after.progress, counted, measured))
    return moves
