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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter

from hoshin.domain.analysis import Analysis
from hoshin.domain.links import K, Links, patched_items, patched_links
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
from hoshin.domain.overlay import overlaid
from hoshin.domain.rollup import RollUp, roll_up_one
from hoshin.domain.schedule import (
    ActionDates,
    ObjectiveSchedule,
    backward_schedule,
    objective_schedules,
)
from hoshin.domain.status import MetricResult, evaluate_metric

_ID = attrgetter("id")
FEW = 16  # changes in a section found by a search each; more through a map of places


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


def patched(plan: Plan, links: Links, patch: PlanPatch) -> tuple[Plan, Links]:
    """``plan`` (with its ``links``) with each entity of ``patch`` replaced, removed, or
    added at the end; and the links of the result."""
    objectives, objective_at = patched_items(plan.objectives, links.objective_at, patch.objectives)
    actions, action_at = patched_items(plan.actions, links.action_at, patch.actions)
    new = replace(
        plan,
        vision=plan.vision if patch.vision is None else patch.vision,
        units=_merged(plan.units, patch.units),
        people=_merged(plan.people, patch.people),
        objectives=objectives,
        actions=actions,
        countermeasures=_merged(plan.countermeasures, patch.countermeasures),
        situation=_merged(plan.situation, patch.situation),
    )
    places = (objective_at, action_at)
    return new, patched_links(links, plan, patch.objectives, patch.actions, places)


def _merged(items: tuple[K, ...], changes: Mapping[str, K | None]) -> tuple[K, ...]:
    """``items`` with ``changes``: each found by a search in C (a section of 50,000 people
    visited item by item in Python took 30 ms), replaced or removed; new ones at the end."""
    if not changes:
        return items
    ids = list(map(_ID, items))
    places = dict(zip(ids, range(len(ids)), strict=True)) if len(changes) > FEW else None

    def find(key: str) -> int | None:
        if places is not None:
            return places.get(key)
        return ids.index(key) if key in ids else None

    placed: list[K | None] = list(items)
    for key, now in changes.items():
        at = find(key)
        if at is None:
            if now is not None:
                placed.append(now)
        else:
            placed[at] = now
    return tuple(item for item in placed if item is not None)


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


@dataclass(frozen=True, slots=True)
class Edited:
    """A plan before and after a patch, each with its links."""

    old: Plan
    old_links: Links
    new: Plan
    new_links: Links
    patch: PlanPatch

    def objective(self, key: str) -> Objective | None:
        """The objective ``key`` of the new plan, if it has one."""
        at = self.new_links.objective_at.get(key)
        return None if at is None else self.new.objectives[at]

    def action(self, key: str) -> Action | None:
        """The action ``key`` of the new plan, if it has one."""
        at = self.new_links.action_at.get(key)
        return None if at is None else self.new.actions[at]

    def was(self, key: str) -> Objective | None:
        """The objective ``key`` of the old plan, if it had one."""
        at = self.old_links.objective_at.get(key)
        return None if at is None else self.old.objectives[at]


def interim_analysis(before: Analysis, edited: Edited) -> Analysis:
    """``before`` (the analysis of the old plan) with what the patch reaches redone for the
    new plan: exact metrics, roll-ups, schedules and status counts; the findings and
    coverage of ``before``. Each step copies a map (in C) and visits only what the patch
    reaches, never the whole plan."""
    patch = edited.patch
    olds = {key: o for key in patch.objectives if (o := edited.was(key)) is not None}
    news = {key: o for key, o in patch.objectives.items() if o is not None}
    gone = patch.gone()
    metrics = _metrics_again(before, olds.values(), news.values())
    rollups, redone = _rollups_again(before.objectives, metrics, edited, olds.values(), gone)
    deadlines = {
        key
        for key in patch.objectives
        if key not in olds or key not in news or olds[key].end != news[key].end
    }
    actions, schedules = _schedules_again(before, edited, deadlines, gone)
    findings = [f for f in before.findings if f.subject not in gone] if gone else before.findings
    counts = dict(before.summary.by_status)
    for key in redone | (gone & before.objectives.keys()):
        old, new = before.objectives.get(key), rollups.get(key)
        if old is not None:
            counts[old.status] -= 1
        if new is not None:
            counts[new.status] += 1
    summary = replace(before.summary, objectives=len(rollups), by_status=counts)
    return Analysis(before.as_of, metrics, rollups, schedules, actions, findings, summary)


def _metrics_again(
    before: Analysis, olds: Iterable[Objective], news: Iterable[Objective]
) -> Mapping[str, MetricResult]:
    month = Month.of_date(before.as_of)
    gone = {metric.id for objective in olds for metric in objective.metrics}
    changed = {m.id: evaluate_metric(m, month) for objective in news for m in objective.metrics}
    return overlaid(before.metrics, changed, gone)


def _rollups_again(
    before: Mapping[str, RollUp],
    metrics: Mapping[str, MetricResult],
    edited: Edited,
    olds: Iterable[Objective],
    gone: set[str],
) -> tuple[Mapping[str, RollUp], set[str]]:
    """The roll-ups with those of the changed objectives and of everything above them,
    on their new and their old supports paths, redone children first; and their ids."""
    pending = [key for key in edited.patch.objectives if key not in gone]
    pending += [parent for o in olds for parent in o.supports]
    affected: set[str] = set()
    while pending:
        key = pending.pop()
        objective = edited.objective(key)
        if objective is not None and key not in affected:
            affected.add(key)
            pending += objective.supports
    redone: dict[str, RollUp] = {}
    supporters = edited.new_links.supporters
    for key in _children_first(affected, edited):
        parts = []
        for child, weight in supporters.get(key, ()):
            result = redone.get(child) or (None if child in gone else before.get(child))
            if result is not None:
                parts.append((result, weight))
        redone[key] = roll_up_one(edited.objective(key), metrics, parts)  # type: ignore[arg-type]
    return overlaid(before, redone, gone), affected


def _children_first(affected: set[str], edited: Edited) -> list[str]:
    """``affected`` ordered so that an objective comes after all it is supported by (Kahn);
    a cycle's members come last, in any order (the full analysis reports the cycle)."""
    parents = {key: tuple(edited.objective(key).supports) for key in affected}  # type: ignore[union-attr]
    waiting = dict.fromkeys(affected, 0)
    for key in affected:
        for parent in parents[key]:
            if parent in waiting:
                waiting[parent] += 1
    ready = [key for key, count in waiting.items() if count == 0]
    order: list[str] = []
    while ready:
        key = ready.pop()
        order.append(key)
        for parent in parents[key]:
            if parent in waiting:
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    ready.append(parent)
    placed = set(order)
    return order + [key for key in affected if key not in placed]


def _schedules_again(
    before: Analysis, edited: Edited, deadlines: set[str], gone: set[str]
) -> tuple[Mapping[str, ActionDates], Mapping[str, ObjectiveSchedule]]:
    """The dates of the action chains a changed action, or an objective whose deadline
    changed, is in, and the schedules of the objectives those chains serve; the rest as
    ``before``."""
    deleted = {key for key, action in edited.patch.actions.items() if action is None}
    touched = {key for key, action in edited.patch.actions.items() if action is not None}
    links = edited.new_links
    for key in deadlines:
        touched.update(links.serving.get(key, ()))
    if not touched and not deadlines:
        return overlaid(before.actions, {}, deleted), overlaid(before.schedules, {}, gone)
    chain = _connected(touched, edited)
    served = {o for a in chain for o in a.serves} | deadlines
    objectives = [o for key in served if (o := edited.objective(key)) is not None]
    actions = overlaid(before.actions, backward_schedule(chain, objectives, before.as_of), deleted)
    scope: dict[str, Action] = {}
    pending = [key for o in objectives for key in links.serving.get(o.id, ())]
    while pending:  # the actions serving those objectives and what they require, transitively
        key = pending.pop()
        action = None if key in scope else edited.action(key)
        if action is not None:
            scope[key] = action
            pending += action.requires
    again = objective_schedules(objectives, list(scope.values()), actions)
    return actions, overlaid(before.schedules, again, gone)


def _connected(start: set[str], edited: Edited) -> list[Action]:
    """The actions linked to ``start`` by requires links either way, in plan order."""
    seen: dict[str, Action] = {}
    pending = list(start)
    required_by = edited.new_links.required_by
    while pending:
        key = pending.pop()
        action = None if key in seen else edited.action(key)
        if action is None:
            continue
        seen[key] = action
        pending += action.requires
        pending += required_by.get(key, ())
    at = edited.new_links.action_at
    return sorted(seen.values(), key=lambda action: at[action.id])
