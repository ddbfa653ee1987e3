"""The rules a plan must keep to be analysed; one implementation for file, API and forms."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain

from hoshin.domain.graph import find_cycle
from hoshin.domain.model import Action, Metric, Objective, Plan
from hoshin.domain.months import LONGEST_ACTION_DAYS
from hoshin.domain.trajectory import end_value

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """A broken rule, at a path into the plan file's structure (e.g. objectives/3/metrics/0)."""

    path: Path
    message: str


def plan_problems(plan: Plan) -> list[Problem]:
    """Every broken rule of ``plan``: duplicate ids, unknown references, cycles, bad metrics."""
    problems = list(_duplicate_ids(plan))
    problems += _situation_ids(plan)
    problems += _references(plan)
    problems += _cycles(plan)
    if not 1 <= plan.organization.fiscal_year_start <= 12:
        problems.append(
            Problem(("organization", "fiscal_year_start"), "must be a month number from 1 to 12")
        )
    for i, objective in enumerate(plan.objectives):
        problems += _objective(("objectives", i), objective)
        for j, metric in enumerate(objective.metrics):
            problems += metric_problems(("objectives", i, "metrics", j), metric)
    for i, action in enumerate(plan.actions):
        problems += action_problems(("actions", i), action)
    return problems


def _entities(plan: Plan) -> Iterator[tuple[Path, str]]:
    """(path of the id, id) of every entity that has an id, in file order."""
    for i, unit in enumerate(plan.units):
        yield ("units", i, "id"), unit.id
    for i, person in enumerate(plan.people):
        yield ("people", i, "id"), person.id
    for i, objective in enumerate(plan.objectives):
        yield ("objectives", i, "id"), objective.id
        for j, metric in enumerate(objective.metrics):
            yield ("objectives", i, "metrics", j, "id"), metric.id
    for i, action in enumerate(plan.actions):
        yield ("actions", i, "id"), action.id
    for i, measure in enumerate(plan.countermeasures):
        yield ("countermeasures", i, "id"), measure.id


def _all_ids(plan: Plan) -> list[str]:
    """The id of every entity that has one (as ``_entities``, without their paths)."""
    return [
        *[unit.id for unit in plan.units],
        *[person.id for person in plan.people],
        *[objective.id for objective in plan.objectives],
        *[metric.id for metric in plan.metrics()],
        *[action.id for action in plan.actions],
        *[measure.id for measure in plan.countermeasures],
    ]


def _duplicate_ids(plan: Plan) -> Iterator[Problem]:
    # Most plans have none: a set of the ids tells at once, without a path per entity (the
    # walk below made 500,000 of them at 50,000 people).
    ids = _all_ids(plan)
    if len(set(ids)) == len(ids):
        return
    first: dict[str, Path] = {}
    for path, key in _entities(plan):
        if key in first:
            where = "/".join(str(part) for part in first[key][:-1])
            yield Problem(path, f"duplicate id '{key}' (first used at {where})")
        else:
            first[key] = path


def _situation_ids(plan: Plan) -> Iterator[Problem]:
    """Situation items have ids of their own: W1 may be a weakness and an objective too, as
    ``addresses`` names only situation items; among them an id is used once."""
    first: dict[str, int] = {}
    for i, item in enumerate(plan.situation):
        if item.id in first:
            yield Problem(
                ("situation", i, "id"),
                f"duplicate id '{item.id}' (first used at situation/{first[item.id]})",
            )
        else:
            first[item.id] = i


def _references(plan: Plan) -> Iterator[Problem]:
    units = {u.id for u in plan.units}
    people = {p.id for p in plan.people}
    objectives = {o.id for o in plan.objectives}
    metrics = {m.id for m in plan.metrics()}
    actions = {a.id for a in plan.actions}
    situation = {item.id for item in plan.situation}
    if _all_known(plan, units, people, objectives, metrics, actions, situation):
        return

    def check(path: Path, key: str | None, known: set[str], kind: str) -> Iterator[Problem]:
        if key is not None and key not in known:
            yield Problem(path, f"unknown {kind} '{key}'")

    for i, unit in enumerate(plan.units):
        yield from check(("units", i, "parent"), unit.parent, units, "unit")
        if unit.parent == unit.id:
            yield Problem(("units", i, "parent"), "a unit cannot be its own parent")
        yield from check(("units", i, "lead"), unit.lead, people, "person")
    for i, person in enumerate(plan.people):
        yield from check(("people", i, "unit"), person.unit, units, "unit")
    for i, objective in enumerate(plan.objectives):
        yield from check(("objectives", i, "owner"), objective.owner, people, "person")
        yield from check(("objectives", i, "unit"), objective.unit, units, "unit")
        for j, metric in enumerate(objective.metrics):
            path = ("objectives", i, "metrics", j, "owner")
            yield from check(path, metric.owner, people, "person")
        for parent in objective.supports:
            yield from check(("objectives", i, "supports", parent), parent, objectives, "objective")
        for at, key in enumerate(objective.addresses):
            where = ("objectives", i, "addresses", at)
            yield from check(where, key, situation, "situation item")
    for i, action in enumerate(plan.actions):
        yield from check(("actions", i, "owner"), action.owner, people, "person")
        yield from check(("actions", i, "unit"), action.unit, units, "unit")
        for key in action.serves:
            yield from check(("actions", i, "serves", key), key, objectives, "objective")
        for key in action.moves:
            yield from check(("actions", i, "moves", key), key, metrics, "metric")
        for key in action.requires:
            yield from check(("actions", i, "requires", key), key, actions, "action")
    for i, measure in enumerate(plan.countermeasures):
        yield from check(("countermeasures", i, "metric"), measure.metric, metrics, "metric")
        yield from check(("countermeasures", i, "owner"), measure.owner, people, "person")


def _all_known(
    plan: Plan,
    units: set[str],
    people: set[str],
    objectives: set[str],
    metrics: set[str],
    actions: set[str],
    situation: set[str],
) -> bool:
    """Whether every reference ``_references`` checks names a known entity and no unit is its
    own parent: sets of each kind's references, in C, instead of a check per reference."""
    owners = [
        *[unit.lead for unit in plan.units],
        *[objective.owner for objective in plan.objectives],
        *[metric.owner for metric in plan.metrics()],
        *[action.owner for action in plan.actions],
        *[measure.owner for measure in plan.countermeasures],
    ]
    in_units = [
        *[unit.parent for unit in plan.units],
        *[person.unit for person in plan.people],
        *[objective.unit for objective in plan.objectives],
        *[action.unit for action in plan.actions],
    ]
    supported = chain.from_iterable(objective.supports for objective in plan.objectives)
    served = chain.from_iterable(action.serves for action in plan.actions)
    moved = chain.from_iterable(action.moves for action in plan.actions)
    measured = [measure.metric for measure in plan.countermeasures]
    required = chain.from_iterable(action.requires for action in plan.actions)
    addressed = chain.from_iterable(objective.addresses for objective in plan.objectives)
    return (
        people.issuperset(set(owners) - {None})
        and units.issuperset(set(in_units) - {None})
        and objectives.issuperset(supported)
        and objectives.issuperset(served)
        and metrics.issuperset(moved)
        and metrics.issuperset(measured)
        and actions.issuperset(required)
        and situation.issuperset(addressed)
        and all(unit.parent != unit.id for unit in plan.units)
    )


def _cycles(plan: Plan) -> Iterator[Problem]:
    """One problem per link graph that holds a cycle (self-links are reported on their own)."""
    graphs: list[tuple[str, str, Mapping[str, list[str]]]] = [
        ("units", "parent", {u.id: [u.parent] if u.parent else [] for u in plan.units}),
        ("objectives", "supports", {o.id: list(o.supports) for o in plan.objectives}),
        ("actions", "requires", {a.id: list(a.requires) for a in plan.actions}),
    ]
    for section, field, edges in graphs:
        without_self = {key: [t for t in targets if t != key] for key, targets in edges.items()}
        cycle = find_cycle(without_self)
        if cycle is not None:
            where = list(edges).index(cycle[0])
            yield Problem(
                (section, where, field), f"{field} links form a cycle: {' -> '.join(cycle)}"
            )


def _objective(path: Path, objective: Objective) -> Iterator[Problem]:
    if (
        objective.start is not None
        and objective.end is not None
        and objective.end < objective.start
    ):
        yield Problem((*path, "end"), f"end {objective.end} is before start {objective.start}")
    if objective.tolerance < 0:
        yield Problem((*path, "tolerance"), "must not be negative")
    for parent, weight in objective.supports.items():
        if parent == objective.id:
            yield Problem((*path, "supports", parent), "an objective cannot support itself")
        if not weight > 0:
            yield Problem((*path, "supports", parent), f"weight {weight} must be above 0")
    yield from _strengths(path, "supports", objective.supports, objective.supports_strength)
    for at, key in enumerate(objective.addresses):
        if key in objective.addresses[:at]:
            yield Problem((*path, "addresses", at), f"'{key}' is named more than once")


def _strengths(
    path: Path, field: str, links: Iterable[str], strengths: Mapping[str, str]
) -> Iterator[Problem]:
    """A problem for each strength given to a link that ``field`` does not hold."""
    held = set(links)
    for key in strengths:
        if key not in held:
            yield Problem((*path, field, key), f"a strength for '{key}', which is not in {field}")


def metric_problems(path: Path, metric: Metric) -> list[Problem]:
    """The broken rules of one metric: what its direction needs, and targets that fit it."""
    problems = []
    if metric.tolerance < 0:
        problems.append(Problem((*path, "tolerance"), "must not be negative"))
    if not metric.weight > 0:
        problems.append(Problem((*path, "weight"), f"weight {metric.weight} must be above 0"))
    if metric.direction == "maintain":
        problems += _band(path, metric)
    else:
        problems += _course(path, metric)
    return problems


def _band(path: Path, metric: Metric) -> Iterator[Problem]:
    if metric.minimum is None and metric.maximum is None:
        yield Problem((*path, "direction"), "a maintain metric needs min, max or both")
    elif (
        metric.minimum is not None
        and metric.maximum is not None
        and metric.minimum > metric.maximum
    ):
        yield Problem((*path, "min"), f"min {metric.minimum} is above max {metric.maximum}")


def _course(path: Path, metric: Metric) -> Iterator[Problem]:
    missing = [
        name
        for name, value in (
            ("baseline", metric.baseline),
            ("baseline_period", metric.baseline_period),
            ("target_period", metric.target_period),
        )
        if value is None
    ]
    for name in missing:
        yield Problem((*path, name), f"an {metric.direction} metric needs {name}")
    if metric.target is None and metric.rate_per_year is None:
        yield Problem((*path, "target"), "give a target or a rate_per_year")
        return
    if metric.target is not None and metric.rate_per_year is not None:
        yield Problem((*path, "rate_per_year"), "give a target or a rate_per_year, not both")
        return
    if metric.rate_per_year is not None and metric.trajectory == "linear":
        yield Problem(
            (*path, "trajectory"), "rate_per_year means a compound trajectory, not linear"
        )
    if metric.baseline_period is None or metric.target_period is None:
        return
    if metric.target_period <= metric.baseline_period:
        yield Problem(
            (*path, "target_period"),
            f"target_period {metric.target_period} must be after baseline_period "
            f"{metric.baseline_period}",
        )
    yield from _target(path, metric)


def _target(path: Path, metric: Metric) -> Iterator[Problem]:
    baseline, target = metric.baseline, end_value(metric)
    field = "target" if metric.rate_per_year is None else "rate_per_year"
    if baseline is None or target is None or metric.baseline_period is None:
        return
    compound = metric.trajectory == "compound" or metric.rate_per_year is not None
    if not math.isfinite(target):
        yield Problem(
            (*path, field),
            f"rate_per_year {metric.rate_per_year:g} compounds past any number by "
            f"{metric.target_period}: choose a nearer target_period or a lower rate",
        )
    elif compound and (baseline <= 0 or target <= 0):
        yield Problem(
            (*path, "baseline" if baseline <= 0 else field),
            f"a compound trajectory needs a baseline and target above 0 "
            f"(baseline {baseline}, target {target:g})",
        )
    elif target == baseline:
        yield Problem((*path, field), f"the target equals the baseline ({baseline:g})")
    elif (metric.direction == "increase") != (target > baseline):
        yield Problem(
            (*path, field),
            f"direction is {metric.direction} but the target {target:g} is "
            f"{'below' if target < baseline else 'above'} the baseline {baseline:g}",
        )


def amount_problem(value: float) -> str | None:
    """Why ``value`` cannot be an amount of money (a budget) or of people's time (FTE), or
    None: neither is negative (nor infinite)."""
    if not math.isfinite(value):
        return f"{value} is not a number"
    if value < 0:
        return "must not be negative"
    return None


def action_problems(path: Path, action: Action) -> list[Problem]:
    """The broken rules of one action: progress, dates, duration and resources."""
    problems = []
    if not 0 <= action.progress <= 100:
        problems.append(Problem((*path, "progress"), "progress is a percentage from 0 to 100"))
    if action.duration_days is not None and action.duration_days < 1:
        problems.append(Problem((*path, "duration_days"), "must be at least 1 day"))
    if action.duration_days is not None and action.duration_days > LONGEST_ACTION_DAYS:
        problems.append(
            Problem((*path, "duration_days"), f"must be at most {LONGEST_ACTION_DAYS:,} days")
        )
    if action.start is not None and action.due is not None and action.due < action.start:
        problems.append(Problem((*path, "due"), f"due {action.due} is before start {action.start}"))
    for name, amount in (("fte", action.fte), ("budget", action.budget)):
        problem = None if amount is None else amount_problem(amount)
        if problem is not None:
            problems.append(Problem((*path, "resources", name), problem))
    if action.id in action.requires:
        problems.append(Problem((*path, "requires", action.id), "an action cannot require itself"))
    problems += _strengths(path, "serves", action.serves, action.serves_strength)
    problems += _strengths(path, "moves", action.moves, action.moves_strength)
    return problems
