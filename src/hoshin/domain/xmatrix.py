"""The X-matrix, generated from the plan: its five sides and the relations it marks.

South: breakthrough objectives; west: annual objectives; north: the improvement
priorities, i.e. the actions that serve an annual objective; east: the metrics of the
breakthrough and annual objectives and those the north actions move; far east: the owners
of the north actions. Each side is capped so that the matrix stays one printable page;
``XMatrix`` says how many were left off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from hoshin.domain.analysis import paused_gc
from hoshin.domain.model import Action, Metric, Objective, Plan


class Caps(NamedTuple):
    """The most entries each side shows (one landscape page holds about this many)."""

    south: int = 10
    west: int = 25
    north: int = 30
    east: int = 30
    far_east: int = 15


CAPS = Caps()


class Entry(NamedTuple):
    """One row or column of the matrix: the id of what it stands for, and its label."""

    id: str
    label: str


class Side(NamedTuple):
    """The entries a side shows, and how many more there are."""

    entries: tuple[Entry, ...]
    more: int


@dataclass(frozen=True, slots=True)
class XIndex:
    """What every X-matrix of a plan reads, built once per plan."""

    objectives: Mapping[str, Objective]
    breakthroughs: tuple[str, ...]
    annuals: tuple[str, ...]
    serving: Mapping[str, tuple[Action, ...]]  # annual id -> the actions that serve it
    metrics: Mapping[str, tuple[Metric, str]]  # metric id -> the metric, its objective's id
    people: Mapping[str, str]  # person id -> name


@dataclass(frozen=True, slots=True)
class XMatrix:
    """The sides and the marked cells, each a pair of ids (row side first, as named)."""

    south: Side
    west: Side
    north: Side
    east: Side
    far_east: Side
    supports: frozenset[tuple[str, str]]  # (annual, breakthrough): south-west corner
    serves: frozenset[tuple[str, str]]  # (action, annual): north-west corner
    moves: frozenset[tuple[str, str]]  # (action, metric): north-east corner
    rolls_up: frozenset[tuple[str, str]]  # (metric, breakthrough): south-east corner
    owns: frozenset[tuple[str, str]]  # (person, action): far east


def x_index(plan: Plan) -> XIndex:
    """The lookups of ``plan`` that ``x_matrix`` reads."""
    with paused_gc():
        return _x_index(plan)


def _x_index(plan: Plan) -> XIndex:
    annuals = tuple(o.id for o in plan.objectives if o.level == "annual")
    serving: dict[str, list[Action]] = {key: [] for key in annuals}
    for action in plan.actions:
        for key in dict.fromkeys(action.serves):
            if key in serving:
                serving[key].append(action)
    return XIndex(
        objectives={o.id: o for o in plan.objectives},
        breakthroughs=tuple(o.id for o in plan.objectives if o.level == "breakthrough"),
        annuals=annuals,
        serving={key: tuple(actions) for key, actions in serving.items()},
        metrics={m.id: (m, o.id) for o in plan.objectives for m in o.metrics},
        people={p.id: p.name for p in plan.people},
    )


def x_matrix(index: XIndex, breakthrough: str | None = None, caps: Caps = CAPS) -> XMatrix:
    """The X-matrix of the whole plan, or of one breakthrough objective and what leads to
    it; ValueError when ``breakthrough`` is not a breakthrough objective's id."""
    if breakthrough is not None and breakthrough not in index.breakthroughs:
        raise ValueError(f"no breakthrough objective '{breakthrough}'")
    reach: dict[str, frozenset[str]] = {}
    south_ids = index.breakthroughs if breakthrough is None else (breakthrough,)
    west_ids = [
        key for key in index.annuals
        if breakthrough is None or breakthrough in _reaches(index, key, reach)
    ]  # fmt: skip
    actions = {a.id: a for key in west_ids for a in index.serving[key]}
    metric_ids = [m.id for key in (*south_ids, *west_ids) for m in index.objectives[key].metrics]
    metric_ids += [m for action in actions.values() for m in action.moves if m in index.metrics]
    owners = [a.owner for a in actions.values() if a.owner is not None]

    def title(key: str) -> str:
        return index.objectives[key].title

    south = _side(south_ids, caps.south, title)
    west = _side(west_ids, caps.west, title)
    north = _side(actions, caps.north, lambda key: actions[key].title)
    east = _side(metric_ids, caps.east, lambda key: index.metrics[key][0].name)
    far_east = _side(owners, caps.far_east, lambda key: index.people.get(key, key))
    return XMatrix(
        south, west, north, east, far_east,
        supports=_pairs(west, south, lambda a, b: b in index.objectives[a].supports),
        serves=_pairs(north, west, lambda x, a: a in actions[x].serves),
        moves=_pairs(north, east, lambda x, m: m in actions[x].moves),
        rolls_up=_pairs(east, south, lambda m, b: b in _reaches(index, index.metrics[m][1], reach)),
        owns=_pairs(far_east, north, lambda p, x: actions[x].owner == p),
    )  # fmt: skip


def _side(ids: Iterable[str], cap: int, label: Callable[[str], str]) -> Side:
    """The first ``cap`` distinct ids with their labels, and how many more there are."""
    distinct = list(dict.fromkeys(ids))
    entries = tuple(Entry(key, label(key)) for key in distinct[:cap])
    return Side(entries, len(distinct) - len(entries))


def _pairs(
    rows: Side, columns: Side, marked: Callable[[str, str], bool]
) -> frozenset[tuple[str, str]]:
    """The (row id, column id) pairs of the shown entries that ``marked`` relates."""
    return frozenset(
        (row.id, column.id) for row in rows.entries for column in columns.entries
        if marked(row.id, column.id)
    )  # fmt: skip


def _reaches(index: XIndex, key: str, memo: dict[str, frozenset[str]]) -> frozenset[str]:
    """The breakthrough objectives that ``key``'s ``supports`` paths lead to (itself if it
    is one), memoised in ``memo`` for the matrix being built."""
    found = memo.get(key)
    if found is not None:
        return found
    memo[key] = frozenset()  # a cycle (which validation refuses) ends here, not in recursion
    objective = index.objectives.get(key)
    if objective is None:
        return frozenset()
    if objective.level == "breakthrough":
        result = frozenset((key,))
    else:
        parts = [_reaches(index, parent, memo) for parent in objective.supports]
        result = frozenset().union(*parts)
    memo[key] = result
    return result
