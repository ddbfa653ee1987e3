"""The X-matrix, generated from the plan: its five sides and how strongly each pair relates.

South: breakthrough objectives; west: annual objectives; north: the improvement priorities,
the actions and objectives below that carry each annual objective (grouped by it, to a
chosen depth); east: the metrics of the breakthrough and annual objectives and those the
north actions move, each with the value planned at the year's end; far east: the owners of
the north priorities (their resources are on the priorities' rows). A corner's cell holds
the strength of the relation (strong, medium or weak): along a chain of links, its weakest
link; over several chains, the strongest chain. Each side is capped so that the matrix stays
one printable page; ``Side.more`` says how many were left off.

Everything is computed in one pass over the part of the plan the matrix reaches, so its
cost is linear in the plan's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, NamedTuple, TypeVar

from hoshin.domain.analysis import paused_gc
from hoshin.domain.model import Action, Metric, Objective, Plan, Strength
from hoshin.domain.months import Month
from hoshin.domain.trajectory import planned_value

Depth = Literal["direct", "team", "all"]
# direct: the actions that serve an annual objective; team: also the team objectives below
# it and their actions; all: every objective below it, at any level, and their actions.
DEPTHS: tuple[Depth, ...] = ("direct", "team", "all")
_RANK: dict[Strength, int] = {"weak": 1, "medium": 2, "strong": 3}
_OF_RANK: dict[int, Strength] = {rank: strength for strength, rank in _RANK.items()}
Marks = Mapping[tuple[str, str], Strength]
T = TypeVar("T")


class Caps(NamedTuple):
    """The most entries each side shows (one A3 landscape page holds about this many)."""

    south: int = 10
    west: int = 25
    north: int = 45
    east: int = 35
    far_east: int = 20


CAPS = Caps()


class Entry(NamedTuple):
    """One row or column of the matrix: the id of what it stands for, and its label."""

    id: str
    label: str


class Priority(NamedTuple):
    """A north row: an action or an objective below the annual level that carries
    ``group`` (the first annual objective it carries, in the west's order)."""

    id: str
    label: str
    kind: Literal["action", "objective"]
    group: str
    owner: str | None
    page: str  # the objective its row links to: itself, or the one the action serves
    fte: float | None = None
    budget: float | None = None


class Target(NamedTuple):
    """An east column: a metric, its objective, and the value planned at the year's end
    (None for a ``maintain`` metric: its band, ``metric.minimum`` to ``metric.maximum``)."""

    id: str
    label: str
    objective: str
    metric: Metric
    planned: float | None


class Side(NamedTuple, Generic[T]):
    """The entries a side shows, and how many more there are."""

    entries: tuple[T, ...]
    more: int


@dataclass(frozen=True, slots=True)
class XIndex:
    """What every X-matrix of a plan reads, built once per plan."""

    objectives: Mapping[str, Objective]
    actions: Mapping[str, Action]
    breakthroughs: tuple[str, ...]
    annuals: tuple[str, ...]
    serving: Mapping[str, tuple[Action, ...]]  # objective id -> the actions that serve it
    below: Mapping[str, tuple[Objective, ...]]  # objective id -> the objectives supporting it
    metrics: Mapping[str, tuple[Metric, str]]  # metric id -> the metric, its objective's id
    people: Mapping[str, str]  # person id -> name
    person_unit: Mapping[str, str | None]  # person id -> unit id
    unit_parent: Mapping[str, str | None]  # unit id -> parent unit id


@dataclass(frozen=True, slots=True)
class XMatrix:
    """The sides and the marked cells, each keyed by a pair of ids (row side first, as
    named) and holding the relation's strength."""

    south: Side[Entry]
    west: Side[Entry]
    north: Side[Priority]
    east: Side[Target]
    far_east: Side[Entry]
    supports: Marks  # (annual, breakthrough): south-west corner
    carries: Marks  # (priority, annual): north-west corner
    moves: Marks  # (priority, metric): north-east corner
    measures: Marks  # (metric, breakthrough): south-east corner
    owns: frozenset[tuple[str, str]]  # (person, priority): far east


@dataclass(frozen=True, slots=True)
class Choice:
    """Which part of the plan a matrix shows: one breakthrough objective's (or all), one
    unit's and those below it (or all), priorities to ``depth``, targets at ``year_end``."""

    year_end: Month
    breakthrough: str | None = None
    unit: str | None = None
    depth: Depth = "team"


def x_index(plan: Plan) -> XIndex:
    """The lookups of ``plan`` that ``x_matrix`` reads."""
    with paused_gc():
        return _x_index(plan)


def _x_index(plan: Plan) -> XIndex:
    serving: dict[str, list[Action]] = {}
    for action in plan.actions:
        for key in dict.fromkeys(action.serves):
            serving.setdefault(key, []).append(action)
    below: dict[str, list[Objective]] = {}
    for objective in plan.objectives:
        for parent in objective.supports:
            below.setdefault(parent, []).append(objective)
    return XIndex(
        objectives={o.id: o for o in plan.objectives},
        actions={a.id: a for a in plan.actions},
        breakthroughs=tuple(o.id for o in plan.objectives if o.level == "breakthrough"),
        annuals=tuple(o.id for o in plan.objectives if o.level == "annual"),
        serving={key: tuple(actions) for key, actions in serving.items()},
        below={key: tuple(objectives) for key, objectives in below.items()},
        metrics={m.id: (m, o.id) for o in plan.objectives for m in o.metrics},
        people={p.id: p.name for p in plan.people},
        person_unit={p.id: p.unit for p in plan.people},
        unit_parent={u.id: u.parent for u in plan.units},
    )


def x_matrix(index: XIndex, choice: Choice, caps: Caps = CAPS) -> XMatrix:
    """The X-matrix of the part of the plan ``choice`` names; ValueError when its
    breakthrough is not a breakthrough objective's id or its unit no unit's."""
    with paused_gc():  # it may note every entity of a large plan: no collection meanwhile
        return _x_matrix(index, choice, caps)


def _x_matrix(index: XIndex, choice: Choice, caps: Caps) -> XMatrix:
    if choice.breakthrough is not None and choice.breakthrough not in index.breakthroughs:
        raise ValueError(f"no breakthrough objective '{choice.breakthrough}'")
    if choice.unit is not None and choice.unit not in index.unit_parent:
        raise ValueError(f"no unit '{choice.unit}'")
    up: dict[str, dict[str, int]] = {}
    west_ids = [
        key for key in index.annuals
        if choice.breakthrough is None or choice.breakthrough in _up(index, key, up)
    ]  # fmt: skip
    carried, found = _carried(index, west_ids, choice.depth)
    if choice.unit is not None:
        in_unit = _in_unit(index, choice.unit)
        found = [item for item in found if in_unit(_unit_of(index, item[0]))]
        kept = {group for _, group, _ in found}
        west_ids = [
            key for key in west_ids
            if key in kept or in_unit(_unit_of(index, index.objectives[key]))
        ]  # fmt: skip
    if choice.breakthrough is not None:
        south_ids: list[str] = [choice.breakthrough]
    elif choice.unit is not None:
        reached = {b for key in west_ids for b in _up(index, key, up)}
        south_ids = [key for key in index.breakthroughs if key in reached]
    else:
        south_ids = list(index.breakthroughs)
    south = _side(south_ids, caps.south, lambda key: Entry(key, _title(index, key)))
    west = _side(west_ids, caps.west, lambda key: Entry(key, _title(index, key)))
    # found in the west's order, so already grouped; a row is made only for those shown
    north = Side(tuple(_priority(*item) for item in found[: caps.north]),
                 max(0, len(found) - caps.north))  # fmt: skip
    moved = {p.id: _moved(index, p) for p in north.entries}
    metric_ids = [m.id for key in (*south_ids, *west_ids) for m in index.objectives[key].metrics]
    metric_ids += [key for links in moved.values() for key in links if key in index.metrics]
    east = _side(metric_ids, caps.east, lambda key: _target(index, key, choice.year_end))
    owners = [p.owner for p in north.entries if p.owner is not None]
    far_east = _side(owners, caps.far_east, lambda key: Entry(key, index.people.get(key, key)))
    return XMatrix(
        south, west, north, east, far_east,
        supports=_marks(west, south, lambda a, b: _up(index, a, up).get(b)),
        carries=_marks(north, west, lambda p, a: carried[p].get(a)),
        moves=_marks(north, east, lambda p, m: moved[p].get(m)),
        measures=_marks(east, south, lambda m, b: _up(index, index.metrics[m][1], up).get(b)),
        owns=frozenset(
            (person.id, p.id) for p in north.entries for person in far_east.entries
            if p.owner == person.id
        ),
    )  # fmt: skip


def _title(index: XIndex, key: str) -> str:
    return index.objectives[key].title


Found = tuple[Action | Objective, str, str]  # a priority, the annual it carries first, via


def _carried(
    index: XIndex, annuals: list[str], depth: Depth
) -> tuple[dict[str, dict[str, int]], list[Found]]:
    """What carries each annual objective (down its supports links to ``depth``, and the
    actions serving what is reached), with the strength of its strongest chain; and the
    priorities in the order found (grouped by the first annual objective each carries)."""
    carried: dict[str, dict[str, int]] = {}
    items: list[Found] = []

    def reached(entity: Action | Objective, annual: str, rank: int, via: str) -> bool:
        """Notes that ``entity`` (linked to ``via``) carries ``annual`` at ``rank``;
        whether that is stronger than any chain found before."""
        best = carried.get(entity.id)
        if best is None:
            carried[entity.id] = best = {}
            items.append((entity, annual, via))
        if best.get(annual, 0) >= rank:
            return False
        best[annual] = rank
        return True

    for annual in annuals:
        stack = [(annual, _RANK["strong"])]
        while stack:
            key, rank = stack.pop()
            for action in index.serving.get(key, ()):
                link = min(rank, _RANK[action.serves_strength.get(key, "strong")])
                reached(action, annual, link, key)
            if depth == "direct":
                continue
            for child in index.below.get(key, ()):
                if child.level in ("breakthrough", "annual") or (
                    depth == "team" and child.level != "team"
                ):
                    continue
                link = min(rank, _RANK[child.supports_strength.get(key, "strong")])
                if reached(child, annual, link, key):
                    stack.append((child.id, link))
    return carried, items


def _priority(entity: Action | Objective, group: str, via: str) -> Priority:
    """A north row: an action links to ``via``, the objective it serves; an objective to
    itself."""
    if isinstance(entity, Action):
        return Priority(entity.id, entity.title, "action", group, entity.owner, via,
                        entity.fte, entity.budget)  # fmt: skip
    return Priority(entity.id, entity.title, "objective", group, entity.owner, entity.id)


def _moved(index: XIndex, priority: Priority) -> dict[str, int]:
    """The metrics a priority moves: an action's ``moves``, an objective's own metrics."""
    if priority.kind == "objective":
        return {m.id: _RANK["strong"] for m in index.objectives[priority.id].metrics}
    action = index.actions[priority.id]
    return {key: _RANK[action.moves_strength.get(key, "strong")] for key in action.moves}


def _target(index: XIndex, key: str, year_end: Month) -> Target:
    metric, objective = index.metrics[key]
    return Target(key, metric.name, objective, metric, planned_value(metric, year_end))


def _unit_of(index: XIndex, entity: Action | Objective) -> str | None:
    """The unit of an objective or an action: its own, else its owner's."""
    if entity.unit is not None or entity.owner is None:
        return entity.unit
    return index.person_unit.get(entity.owner)


def _in_unit(index: XIndex, unit: str | None) -> Callable[[str | None], bool]:
    """Whether a unit is ``unit`` or below it (any is, and no unit too, when ``unit`` is
    None), memoised over the units asked about."""
    inside: dict[str | None, bool] = {None: unit is None}

    def within(key: str | None) -> bool:
        found = inside.get(key)
        if found is None:
            inside[key] = False  # a cycle (which validation refuses) ends here
            found = inside[key] = key == unit or within(index.unit_parent.get(key or ""))
        return found

    return lambda of: unit is None or within(of)


def _side(ids: Iterable[str], cap: int, entry: Callable[[str], T]) -> Side[T]:
    """The first ``cap`` distinct ids as entries, and how many more there are."""
    distinct = list(dict.fromkeys(ids))
    return Side(tuple(entry(key) for key in distinct[:cap]), max(0, len(distinct) - cap))


def _marks(
    rows: Side[Entry] | Side[Priority] | Side[Target],
    columns: Side[Entry] | Side[Target],
    rank: Callable[[str, str], int | None],
) -> dict[tuple[str, str], Strength]:
    """The strength of each (row id, column id) pair of shown entries that ``rank`` relates."""
    marks: dict[tuple[str, str], Strength] = {}
    for row in rows.entries:
        for column in columns.entries:
            found = rank(row.id, column.id)
            if found:
                marks[row.id, column.id] = _OF_RANK[found]
    return marks


def _up(index: XIndex, key: str, memo: dict[str, dict[str, int]]) -> dict[str, int]:
    """The breakthrough objectives that ``key``'s ``supports`` chains lead to (itself if it
    is one), each with the rank of its strongest chain, memoised in ``memo``."""
    found = memo.get(key)
    if found is not None:
        return found
    memo[key] = {}  # a cycle (which validation refuses) ends here, not in recursion
    objective = index.objectives.get(key)
    result: dict[str, int] = {}
    if objective is not None and objective.level == "breakthrough":
        result[key] = _RANK["strong"]
    elif objective is not None:
        for parent in objective.supports:
            link = _RANK[objective.supports_strength.get(parent, "strong")]
            for top, rank in _up(index, parent, memo).items():
                result[top] = max(result.get(top, 0), min(rank, link))
    memo[key] = result
    return result
