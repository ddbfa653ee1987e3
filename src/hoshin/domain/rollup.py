"""Objective roll-up: progress and status from own metrics and supporting objectives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from itertools import chain, repeat
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from hoshin.domain.columns import Bools, Floats, Ints, SupportLinks, support_links
from hoshin.domain.graph import topological_order
from hoshin.domain.model import Level, Objective
from hoshin.domain.status import MetricResult, Status, deviation_status
from hoshin.domain.status_columns import (
    NO_DATA,
    STATUS_TEXTS,
    UNMEASURED,
    MetricColumns,
    deviation_codes,
    metric_columns,
)

# A NamedTuple's own constructor is Python code; tuple.__new__ builds the same value in C.
_new = tuple.__new__
# Below this many objectives the loop costs less than building the arrays.
COLUMNS_FROM = 200


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


def supports_order(objectives: Sequence[Objective], links: SupportLinks | None = None) -> list[str]:
    """Objective ids, each after the objectives it supports (breakthroughs come first).
    ``links`` are ``support_links(objectives)`` when the caller has them already."""
    if links is None and len(objectives) >= COLUMNS_FROM:
        links = support_links(objectives)
    if links is not None and links.plan_order_is_parents_first():
        return list(links.ids)
    order = topological_order({o.id: o.supports for o in objectives})
    if order is None:
        raise ValueError("the supports links hold a cycle")
    return order


def roll_up(
    objectives: Sequence[Objective],
    metrics: Mapping[str, MetricResult],
    parents_first: Sequence[str] | None = None,
    links: SupportLinks | None = None,
    *,
    measured: MetricColumns | None = None,
) -> dict[str, RollUp]:
    """The roll-up of every objective, in plan order.

    Objectives are visited supporters first; each pushes its weighted share into the
    objectives it supports, so no list of supporters is built. ``parents_first`` is
    ``supports_order(objectives)`` and ``links`` ``support_links(objectives)`` when the
    caller has them already, and ``measured`` the columns of ``metrics`` in the order of
    the objectives' metrics (``evaluate_with_columns(plan.metrics())``'s). A large plan is
    rolled up level by level as arrays (``rollup_columns``), the same sums in the same order.
    """
    if links is None and len(objectives) >= COLUMNS_FROM:
        links = support_links(objectives)
    if links is not None:
        order = supports_order(objectives, links) if parents_first is None else parents_first
        found = roll_up_columns(objectives, metrics, links, order, measured=measured)
        if found is not None:
            return found
    return each_objective(objectives, metrics, parents_first)


def each_objective(
    objectives: Sequence[Objective],
    metrics: Mapping[str, MetricResult],
    parents_first: Sequence[str] | None = None,
) -> dict[str, RollUp]:
    """``roll_up`` one objective at a time: the rule as a loop."""
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


_metrics_of, _id, _weight = attrgetter("metrics"), attrgetter("id"), attrgetter("weight")
_level = attrgetter("level")
_tolerance = attrgetter("tolerance")
_roll_up_of = partial(_new, RollUp)


class _Stream(NamedTuple):
    """Terms to add into objectives' sums: ``into[k]`` gets ``value[k]``, at ``height[k]``."""

    into: Ints
    value: Floats
    height: Ints

    def at(self, height: int) -> tuple[Ints, Floats]:
        """The terms added at ``height``, in order."""
        chosen = self.height == height
        return self.into[chosen], self.value[chosen]


def roll_up_columns(
    objectives: Sequence[Objective],
    metrics: Mapping[str, MetricResult],
    links: SupportLinks,
    parents_first: Sequence[str],
    *,
    measured: MetricColumns | None = None,
) -> dict[str, RollUp] | None:
    """``each_objective``'s results as arrays, level by level from the objectives without
    supporters up. Each sum is ``np.bincount``'s, which adds its terms in the order given:
    an objective gets its supporters' shares in the order ``each_objective`` visits them,
    then its own metrics', the same floats in the same order, so the same results to the
    bit (tests/domain/test_rollup_columns.py). None (for the loop) past ``DEEPEST`` levels,
    or where the loop would raise. ``measured`` as in ``roll_up``."""
    count = len(objectives)
    heights = links.heights()
    rank = _rank(links, parents_first)
    if heights is None or rank is None:
        return None
    streams = _metric_streams(objectives, metrics, heights, measured)
    if streams is None:
        return None
    by_rank = np.argsort(rank[links.child], kind="stable")
    child, parent, weight = links.child[by_rank], links.parent[by_rank], links.weight[by_rank]
    above = heights[parent]
    total, planned, done = np.zeros(count), np.zeros(count), np.zeros(count)
    progress, planned_progress = np.zeros(count), np.zeros(count)
    data = np.zeros(count, dtype=np.bool_)
    for height in range(int(heights.max(initial=0)) + 1):
        chosen = above == height
        kid, into, share = child[chosen], parent[chosen], weight[chosen]
        measured = total[kid] != 0
        kid, into, share = kid[measured], into[measured], share[measured]
        known = data[kid]
        level = heights == height
        sums = (
            _sum(count, into, share, streams[0].at(height)),
            _sum(count, into, share * planned_progress[kid], streams[1].at(height)),
            _sum(count, into[known], share[known] * progress[kid[known]], streams[2].at(height)),
        )
        total[level], planned[level], done[level] = (part[level] for part in sums)
        data[level] = (
            _sum(count, into[known], np.ones(known.sum()), streams[3].at(height))[level] > 0
        )
        with np.errstate(all="ignore"):
            progress[level] = done[level] / total[level]
            planned_progress[level] = planned[level] / total[level]
    return _results(objectives, links.ids, (total, progress, planned_progress, data))


def _sum(count: int, into: Ints, value: Floats, then: tuple[Ints, Floats]) -> Floats:
    """The sums by objective of ``value`` and then of ``then``'s terms, added in order."""
    terms = np.concatenate((value, then[1]))
    return np.bincount(np.concatenate((into, then[0])), terms, count).astype(np.float64)


def _rank(links: SupportLinks, parents_first: Sequence[str]) -> Ints | None:
    """Each objective's place in ``reversed(parents_first)``, the loop's order of visits;
    None unless ``parents_first`` holds each objective once."""
    count = len(links.ids)
    if len(parents_first) != count:
        return None
    places = np.arange(count - 1, -1, -1, dtype=np.int64)
    if parents_first == links.ids:
        return places
    at = np.fromiter(map(links.index.get, parents_first, repeat(-1)), np.int64, count)
    rank = np.full(count, -1, dtype=np.int64)
    rank[at[at >= 0]] = places[at >= 0]
    return None if (rank < 0).any() else rank


def _metric_streams(
    objectives: Sequence[Objective],
    metrics: Mapping[str, MetricResult],
    heights: Ints,
    measured: MetricColumns | None,
) -> tuple[_Stream, _Stream, _Stream, _Stream] | None:
    """The terms the objectives' own metrics add to their weight, planned and done sums
    and to their count of metrics with data; None if some planned progress is None."""
    own = list(chain.from_iterable(map(_metrics_of, objectives)))
    if measured is None or len(measured.status) != len(own):
        measured = metric_columns(list(map(metrics.__getitem__, map(_id, own))))
        if measured is None:
            return None
    status, progress, known, planned_progress = measured
    counted = status != UNMEASURED
    has = counted & (status != NO_DATA) & known
    counts = np.fromiter(map(len, map(_metrics_of, objectives)), np.int64, len(objectives))
    owner = np.repeat(np.arange(len(objectives), dtype=np.int64), counts)
    weight = np.array(list(map(_weight, own)), np.float64)
    with np.errstate(all="ignore"):
        planned = weight * planned_progress
        done = weight * progress
    return (
        _Stream(owner[counted], weight[counted], heights[owner[counted]]),
        _Stream(owner[counted], planned[counted], heights[owner[counted]]),
        _Stream(owner[has], done[has], heights[owner[has]]),
        _Stream(owner[has], np.ones(int(has.sum())), heights[owner[has]]),
    )


def _results(
    objectives: Sequence[Objective],
    ids: list[str],
    columns: tuple[Floats, Floats, Floats, Bools],
) -> dict[str, RollUp]:
    """The roll-ups of the objectives from their weight, progress, planned progress and
    whether some measure under them has data."""
    total, progress, planned_progress, data = columns
    tolerance = np.fromiter(map(_tolerance, objectives), np.float64, len(objectives))
    with np.errstate(all="ignore"):
        deviation = progress - planned_progress
    status = deviation_codes(deviation, tolerance)
    status = np.where(total == 0, UNMEASURED, np.where(data, status, NO_DATA))
    progresses: list[float | None] = progress.tolist()
    planned: list[float | None] = planned_progress.tolist()
    for at in np.flatnonzero(total == 0).tolist():
        progresses[at] = planned[at] = None
    statuses = STATUS_TEXTS[status].tolist()  # the same str objects, taken in C
    rows = zip(map(_level, objectives), progresses, planned, statuses, strict=True)
    return dict(zip(ids, map(_roll_up_of, rows), strict=True))
