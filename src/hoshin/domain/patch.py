"""A plan brought up to date with the entities a change touched, and an analysis brought up
to date for what they touch, without analysing the whole plan again.

A process keeps its organisation's plan and analysis (service.analysis). After an edit it
reads back only the entities the change log names (store.plan_parts) and patches its copy:
``patched`` gives exactly the plan a fresh load gives. ``interim_analysis`` then redoes what
those entities reach — their metrics' results, the roll-ups up every supports path they are
on (old and new), the schedules of the action chains they are in, the status counts — in
milliseconds; the findings and the alignment coverage stay those of the analysis before,
less those about what is gone, until the full analysis made in the background replaces it
(it is marked as not yet exact meanwhile).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from hoshin.domain.analysis import Analysis
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Objective,
    Person,
    Plan,
    SituationItem,
    Unit,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.domain.rollup import RollUp, roll_up_one
from hoshin.domain.schedule import (
    ActionDates,
    ObjectiveSchedule,
    backward_schedule,
    objective_schedules,
)
from hoshin.domain.status import STATUSES, MetricResult, evaluate_metric


class _Keyed(Protocol):
    @property
    def id(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


@dataclass(frozen=True, slots=True)
class PlanPatch:
    """The stored state of the entities a change touched, by id; None: it no longer exists.
    ``vision`` is None when the vision did not change."""

    objectives: Mapping[str, Objective | None] = field(default_factory=dict)
    objective_versions: Mapping[str, int] = field(default_factory=dict)
    actions: Mapping[str, Action | None] = field(default_factory=dict)
    units: Mapping[str, Unit | None] = field(default_factory=dict)
    people: Mapping[str, Person | None] = field(default_factory=dict)
    countermeasures: Mapping[str, Countermeasure | None] = field(default_factory=dict)
    situation: Mapping[str, SituationItem | None] = field(default_factory=dict)
    vision: Vision | None = None

    def gone(self) -> set[str]:
        """The ids of the objectives, actions and countermeasures that no longer exist."""
        sections: tuple[Mapping[str, object | None], ...] = (
            self.objectives,
            self.actions,
            self.countermeasures,
        )
        return {key for section in sections for key, value in section.items() if value is None}


def patched(plan: Plan, patch: PlanPatch) -> Plan:
    """``plan`` with each entity of ``patch`` replaced, removed, or added at the end."""
    return replace(
        plan,
        vision=plan.vision if patch.vision is None else patch.vision,
        units=_merged(plan.units, patch.units),
        people=_merged(plan.people, patch.people),
        objectives=_merged(plan.objectives, patch.objectives),
        actions=_merged(plan.actions, patch.actions),
        countermeasures=_merged(plan.countermeasures, patch.countermeasures),
        situation=_merged(plan.situation, patch.situation),
    )


def _merged(items: tuple[K, ...], changes: Mapping[str, K | None]) -> tuple[K, ...]:
    if not changes:
        return items
    kept: list[K] = []
    seen: set[str] = set()
    for item in items:
        key = item.id
        if key in changes:
            seen.add(key)
            now = changes[key]
            if now is not None:
                kept.append(now)
        else:
            kept.append(item)
    kept += [now for key, now in changes.items() if now is not None and key not in seen]
    return tuple(kept)


def referrers(plan: Plan, gone: set[str]) -> dict[str, set[str]]:
    """The objectives, actions and countermeasures of ``plan`` that refer to an id in
    ``gone``: their links went with it, so their stored state changed too."""
    if not gone:
        return {}
    metrics_gone = {m.id for o in plan.objectives if o.id in gone for m in o.metrics}
    ids = gone | metrics_gone
    return {
        "objective": {o.id for o in plan.objectives if not ids.isdisjoint(o.supports)},
        "action": {
            a.id
            for a in plan.actions
            if not (ids.isdisjoint(a.serves) and ids.isdisjoint(a.moves))
            or not ids.isdisjoint(a.requires)
        },
        "countermeasure": {c.id for c in plan.countermeasures if c.metric in ids},
    }


def interim_analysis(before: Analysis, old: Plan, new: Plan, patch: PlanPatch) -> Analysis:
    """``before`` (the analysis of ``old``) with what ``patch`` reaches redone for ``new``:
    exact metrics, roll-ups and schedules; the findings and coverage of ``before``."""
    changed = set(patch.objectives)
    olds = {o.id: o for o in old.objectives if o.id in changed}
    news = {key: o for key, o in patch.objectives.items() if o is not None}
    metrics = _metrics_again(before, olds.values(), news.values())
    by_id = {o.id: o for o in new.objectives}
    rollups = _rollups_again(before.objectives, metrics, by_id, changed, olds.values())
    deadlines = {
        key
        for key in changed
        if key not in olds or key not in news or olds[key].end != news[key].end
    }
    actions, schedules = _schedules_again(before, new, patch, by_id, deadlines)
    gone = patch.gone()
    findings = [f for f in before.findings if f.subject not in gone]
    counts = Counter(result.status for result in rollups.values())
    summary = replace(
        before.summary,
        objectives=len(rollups),
        by_status={status: counts.get(status, 0) for status in STATUSES},
    )
    return Analysis(before.as_of, metrics, rollups, schedules, actions, findings, summary)


def _metrics_again(
    before: Analysis, olds: Iterable[Objective], news: Iterable[Objective]
) -> dict[str, MetricResult]:
    month = Month.of_date(before.as_of)
    results = dict(before.metrics)
    for objective in olds:
        for metric in objective.metrics:
            results.pop(metric.id, None)
    for objective in news:
        for metric in objective.metrics:
            results[metric.id] = evaluate_metric(metric, month)
    return results


def _rollups_again(
    before: Mapping[str, RollUp],
    metrics: Mapping[str, MetricResult],
    by_id: Mapping[str, Objective],
    changed: set[str],
    olds: Iterable[Objective],
) -> dict[str, RollUp]:
    """The roll-ups with those of the changed objectives and of everything above them,
    on their new and their old supports paths, redone children first."""
    pending = [key for key in changed if key in by_id]
    pending += [parent for o in olds for parent in o.supports]
    affected: set[str] = set()
    while pending:
        key = pending.pop()
        objective = by_id.get(key)
        if objective is not None and key not in affected:
            affected.add(key)
            pending += objective.supports
    supporters: dict[str, list[tuple[str, float]]] = {key: [] for key in affected}
    for objective in by_id.values():  # one pass: who supports an affected objective
        for parent, weight in objective.supports.items():
            if parent in affected:
                supporters[parent].append((objective.id, weight))
    results = {key: value for key, value in before.items() if key in by_id}
    for key in _children_first(affected, by_id):
        parts = [(results[c], w) for c, w in supporters[key] if c in results]
        results[key] = roll_up_one(by_id[key], metrics, parts)
    return results


def _children_first(affected: set[str], by_id: Mapping[str, Objective]) -> list[str]:
    """``affected`` ordered so that an objective comes after all it is supported by (Kahn);
    a cycle's members come last, in any order (the full analysis reports the cycle)."""
    waiting = {key: 0 for key in affected}
    for key in affected:
        for parent in by_id[key].supports:
            if parent in waiting:
                waiting[parent] += 1
    ready = [key for key, count in waiting.items() if count == 0]
    order: list[str] = []
    while ready:
        key = ready.pop()
        order.append(key)
        for parent in by_id[key].supports:
            if parent in waiting:
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    ready.append(parent)
    placed = set(order)
    return order + [key for key in affected if key not in placed]


def _schedules_again(
    before: Analysis,
    new: Plan,
    patch: PlanPatch,
    by_id: Mapping[str, Objective],
    deadlines: set[str],
) -> tuple[dict[str, ActionDates], dict[str, ObjectiveSchedule]]:
    """The dates of the action chains a changed action, or an objective whose deadline
    changed, is in, and the schedules of the objectives those chains serve; the rest as
    ``before``."""
    actions: dict[str, ActionDates] = dict(before.actions)
    schedules = {key: value for key, value in before.schedules.items() if key in by_id}
    for key, action in patch.actions.items():
        if action is None:
            actions.pop(key, None)
    changed_objectives = deadlines
    touched = {key for key, action in patch.actions.items() if action is not None}
    required_by: dict[str, list[str]] = {}
    for action in new.actions:  # one pass: the reverse requires links, and what serves a change
        for needed in action.requires:
            required_by.setdefault(needed, []).append(action.id)
        if not changed_objectives.isdisjoint(action.serves):
            touched.add(action.id)
    if not touched and not changed_objectives:
        return actions, schedules
    by_key = {a.id: a for a in new.actions}
    chain = _connected(touched, by_key, required_by)
    members = [by_key[key] for key in chain]
    served = {o for a in members for o in a.serves if o in by_id} | (
        changed_objectives & by_id.keys()
    )
    objectives = [by_id[key] for key in served]
    actions.update(backward_schedule(members, objectives, before.as_of))
    serving = [a for a in new.actions if not served.isdisjoint(a.serves)]
    scope = {a.id: a for a in serving} | {a.id: a for a in members}
    pending = list(scope.values())
    while pending:  # what the serving actions require, transitively
        for needed in pending.pop().requires:
            if needed in by_key and needed not in scope:
                scope[needed] = by_key[needed]
                pending.append(by_key[needed])
    schedules.update(objective_schedules(objectives, list(scope.values()), actions))
    return actions, schedules


def _connected(
    start: set[str], by_key: Mapping[str, Action], required_by: Mapping[str, list[str]]
) -> list[str]:
    """The actions linked to ``start`` by requires links either way, in plan order."""
    seen: set[str] = set()
    pending = [key for key in start if key in by_key]
    while pending:
        key = pending.pop()
        if key in seen:
            continue
        seen.add(key)
        pending += [needed for needed in by_key[key].requires if needed in by_key]
        pending += required_by.get(key, ())
    return [key for key in by_key if key in seen]
