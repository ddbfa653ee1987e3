"""``analyze``: one pass of the engine over a plan at an as-of date."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

import numpy as np

from hoshin.domain.columns import Bools, SupportLinks, support_links
from hoshin.domain.findings import Context, Finding, find_all
from hoshin.domain.model import Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.rollup import COLUMNS_FROM, RollUp, roll_up, supports_order
from hoshin.domain.schedule import (
    ActionDates,
    ObjectiveSchedule,
    backward_schedule,
    objective_schedules,
)
from hoshin.domain.status import STATUSES, MetricResult
from hoshin.domain.status_columns import evaluate_with_columns


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of objectives by status, and the share that traces up to a breakthrough."""

    objectives: int
    by_status: dict[str, int]
    alignment_coverage: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the engine says about a plan at ``as_of``."""

    as_of: date
    metrics: Mapping[str, MetricResult]
    objectives: Mapping[str, RollUp]
    schedules: Mapping[str, ObjectiveSchedule]
    actions: Mapping[str, ActionDates]
    findings: list[Finding]
    summary: Summary


def analyze(plan: Plan, as_of: date) -> Analysis:
    """Status, roll-up, backward schedule and findings of ``plan`` at ``as_of``."""
    with paused_gc():
        return _analyze(plan, as_of)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pauses the cyclic garbage collector while the engine, an index built from its
    results (alignment map, X-matrix) or the plan file's reader (and `hoshin check` around
    it) allocates many small acyclic values; as it was, after.

    Analysis allocates hundreds of thousands of small acyclic results while a large plan
    keeps millions of objects alive, so each automatic collection walks the whole plan again:
    about a quarter of the time on the 50,000-person plan (BENCHMARKS.md).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze(plan: Plan, as_of: date) -> Analysis:
    month = Month.of_date(as_of)
    all_metrics = plan.metrics()
    metrics, measured = evaluate_with_columns(all_metrics, month)
    links = support_links(plan.objectives) if len(plan.objectives) >= COLUMNS_FROM else None
    parents_first = supports_order(plan.objectives, links)
    objectives = roll_up(plan.objectives, metrics, parents_first, links, measured=measured)
    actions = backward_schedule(plan.actions, plan.objectives, as_of)
    schedules = objective_schedules(plan.objectives, plan.actions, actions)
    context = Context(plan, as_of, all_metrics, metrics, objectives, actions, schedules)
    findings = find_all(context)
    summary = summarize(plan, objectives, parents_first, links)
    return Analysis(as_of, metrics, objectives, schedules, actions, findings, summary)


def summarize(
    plan: Plan,
    objectives: Mapping[str, RollUp],
    parents_first: Sequence[str] | None = None,
    links: SupportLinks | None = None,
) -> Summary:
    """Status counts and alignment coverage (``parents_first`` and ``links`` as in
    ``roll_up``)."""
    counts = Counter(map(_status, objectives.values()))
    return Summary(
        objectives=len(objectives),
        by_status={status: counts.get(status, 0) for status in STATUSES},
        alignment_coverage=alignment_coverage(plan, parents_first, links),
    )


def alignment_coverage(
    plan: Plan, parents_first: Sequence[str] | None = None, links: SupportLinks | None = None
) -> float:
    """The share of non-breakthrough objectives with a ``supports`` path to a breakthrough."""
    if links is None and len(plan.objectives) >= COLUMNS_FROM:
        links = support_links(plan.objectives)
    reaches = None if links is None else reaching_columns(plan.objectives, links)
    if reaches is not None:
        below = ~_breakthroughs(plan.objectives)
        count = int(np.count_nonzero(below))
        return int(np.count_nonzero(reaches[below])) / count if count else 1.0
    by_key = reaching(plan, parents_first)
    flags = [by_key[o.id] for o in plan.objectives if o.level != "breakthrough"]
    return sum(flags) / len(flags) if flags else 1.0


def reaching_columns(objectives: Sequence[Objective], links: SupportLinks) -> Bools | None:
    """``reaching`` as an array in plan order, level by level from the objectives that
    support nothing down; None past ``DEEPEST`` levels (for the loop)."""
    depths = links.depths()
    if depths is None:
        return None
    reaches = _breakthroughs(objectives)
    by_depth = depths[links.child]
    for depth in range(1, int(depths.max(initial=0)) + 1):
        at = by_depth == depth
        child = links.child[at]
        reaches[child[reaches[links.parent[at]]]] = True
    return reaches


def _breakthroughs(objectives: Sequence[Objective]) -> Bools:
    levels = np.array(list(map(_level, objectives)), dtype=object)
    return np.asarray(levels == "breakthrough", dtype=np.bool_)


_status, _level = attrgetter("status"), attrgetter("level")


def reaching(plan: Plan, parents_first: Sequence[str] | None = None) -> dict[str, bool]:
    """Whether each objective has a ``supports`` path up to a breakthrough (one does)."""
    by_id = {o.id: o for o in plan.objectives}
    order = supports_order(plan.objectives) if parents_first is None else parents_first
    reaches: dict[str, bool] = {}
    for key in order:  # what an objective supports is settled before the objective
        objective = by_id[key]
        if objective.level == "breakthrough":
            reaches[key] = True
            continue
        found = False
        for parent in objective.supports:  # a loop, not any(): no generator per objective
            if reaches.get(parent, False):
                found = True
                break
        reaches[key] = found
    return reaches
