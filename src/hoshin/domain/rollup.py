"""Objective roll-up: progress and status from own metrics and supporting objectives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from hoshin.domain.graph import topological_order
from hoshin.domain.model import Level, Objective
from hoshin.domain.status import MetricResult, Status, deviation_status

# A NamedTuple's own constructor is Python code; tuple.__new__ builds the same value in C.
_new = tuple.__new__


class RollUp(NamedTuple):
    """An objective's weighted progress against its weighted planned progress."""

    level: Level
    progress: float | None
    planned_progress: float | None
    status: Status


def supporters_of(objectives: Sequence[Objective]) -> dict[str, list[tuple[str, float]]]:
    """For each objective id, the (supporting objective id, link weight) pairs."""
    supporters: dict[str, list[tuple[str, float]]] = {o.id: [] for o in objectives}
    for objective in objectives:
        for parent, weight in objective.supports.items():
            if parent in supporters:
                supporters[parent].append((objective.id, weight))
    return supporters


def supports_order(objectives: Sequence[Objective]) -> list[str]:
    """Objective ids, each after the objectives it supports (breakthroughs come first)."""
    order = topological_order({o.id: o.supports for o in objectives})
    if order is None:
        raise ValueError("the supports links hold a cycle")
    return order


def roll_up(
    objectives: Sequence[Objective],
    metrics: Mapping[str, MetricResult],
    parents_first: Sequence[str] | None = None,
) -> dict[str, RollUp]:
    """The roll-up of every objective, in plan order.

    Objectives are visited supporters first; each pushes its weighted share into the
    objectives it supports, so no list of supporters is built. ``parents_first`` is
    ``supports_order(objectives)`` when the caller has it already.
    """
    by_id = {o.id: o for o in objectives}
    order = supports_order(objectives) if parents_first is None else parents_first
    shares: dict[str, list[float]] = {}  # id -> [weight, weight*progress, weight*planned, data]
    results: dict[str, RollUp] = {}
    # ``_add`` and ``_result``'s sums inlined (the same sums in the same order): this loop visits
    # every objective and metric of the plan, and the calls were a third of its time.
    for key in reversed(order):
        objective = by_id[key]
        share = shares.pop(key, None)
        total, done, planned, has_data = (0.0, 0.0, 0.0, 0.0) if share is None else share
        for metric in objective.metrics:
            part = metrics[metric.id]
            status = part.status
            if status == "unmeasured":
                continue
            weight = metric.weight
            total += weight
            planned += weight * part.planned_progress
            if status != "no_data" and part.progress is not None:
                done += weight * part.progress
                has_data = 1.0
        if total == 0:
            results[key] = _new(RollUp, (objective.level, None, None, "unmeasured"))
            continue
        progress, planned_progress = done / total, planned / total
        if has_data:
            status = deviation_status(progress - planned_progress, objective.tolerance)
        else:
            status = "no_data"
        results[key] = _new(RollUp, (objective.level, progress, planned_progress, status))
        for parent, weight in objective.supports.items():
            above = shares.get(parent)
            if above is None:
                above = shares[parent] = [0.0, 0.0, 0.0, 0.0]
            above[0] += weight
            above[2] += weight * planned_progress
            if has_data:
                above[1] += weight * progress
                above[3] = 1.0
    return {o.id: results[o.id] for o in objectives}


def roll_up_one(
    objective: Objective,
    metrics: Mapping[str, MetricResult],
    supporters: Sequence[tuple[RollUp, float]],
) -> RollUp:
    """One objective's roll-up from its supporters' results (in the order ``roll_up`` visits
    them) and its own metrics: the same sums, in the same order, as ``roll_up``."""
    share = [0.0, 0.0, 0.0, 0.0]
    for result, weight in supporters:
        if result.status != "unmeasured":
            _add(share, weight, result)
    for metric in objective.metrics:
        _add(share, metric.weight, metrics[metric.id])
    return _result(objective, share)


def _add(share: list[float], weight: float, part: MetricResult | RollUp) -> None:
    """Adds a contributor: no-data counts as progress 0, unmeasured is left out."""
    status = part.status
    if status == "unmeasured" or part.planned_progress is None:
        return
    share[0] += weight
    share[2] += weight * part.planned_progress
    if status != "no_data" and part.progress is not None:
        share[1] += weight * part.progress
        share[3] = 1.0


def _result(objective: Objective, share: list[float]) -> RollUp:
    total, done, planned, has_data = share
    if total == 0:
        return RollUp(objective.level, None, None, "unmeasured")
    progress, planned_progress = done / total, planned / total
    if not has_data:
        return RollUp(objective.level, progress, planned_progress, "no_data")
    status = deviation_status(progress - planned_progress, objective.tolerance)
    return RollUp(objective.level, progress, planned_progress, status)
