"""The alignment map's lookups: who supports each objective, filters, the path to the top.

Built once per analysis (the web layer memoises it), so that a page reads only the few
objectives it shows, even in a plan of 52,000 objectives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hoshin.domain.analysis import paused_gc
from hoshin.domain.findings import Finding
from hoshin.domain.model import Objective, Plan
from hoshin.domain.rollup import supporters_of

# The findings that say an objective is out of the tree or unmeasured: the map shows them.
FLAGS = ("orphan", "not_deployed", "unmeasured")
FILTERS = ("unit", "owner", "level", "status")


@dataclass(frozen=True, slots=True)
class AlignmentIndex:
    """The objectives by id, their supporters with link weights, their alignment findings
    and their ids by unit, owner, level, status and alignment finding (in plan order)."""

    objectives: Mapping[str, Objective]
    children: Mapping[str, Sequence[tuple[str, float]]]
    flags: Mapping[str, tuple[str, ...]]
    flagged: Mapping[str, tuple[str, ...]]
    by: Mapping[str, Mapping[str, tuple[str, ...]]]
    roots: tuple[str, ...]


def alignment_index(
    plan: Plan, statuses: Mapping[str, str], findings: Iterable[Finding]
) -> AlignmentIndex:
    """The index of ``plan``; ``statuses`` are the objectives' roll-up statuses and
    ``findings`` the engine's (only the codes in FLAGS are read)."""
    with paused_gc():
        return _index(plan, statuses, findings)


def _index(plan: Plan, statuses: Mapping[str, str], findings: Iterable[Finding]) -> AlignmentIndex:
    flags: dict[str, list[str]] = {}
    flagged: dict[str, list[str]] = {code: [] for code in FLAGS}
    for item in findings:
        if item.code in flagged:
            flags.setdefault(item.subject, []).append(item.code)
            flagged[item.code].append(item.subject)
    by: dict[str, dict[str | None, list[str]]] = {name: {} for name in FILTERS}
    unit, owner, level, status = (by[name] for name in FILTERS)
    for objective in plan.objectives:
        key = objective.id
        unit.setdefault(objective.unit, []).append(key)
        owner.setdefault(objective.owner, []).append(key)
        level.setdefault(objective.level, []).append(key)
        status.setdefault(statuses.get(key), []).append(key)
    return AlignmentIndex(
        objectives={o.id: o for o in plan.objectives},
        children=supporters_of(plan.objectives),
        flags={key: tuple(codes) for key, codes in flags.items()},
        flagged={code: tuple(keys) for code, keys in flagged.items()},
        by={
            **{
                name: {v: tuple(ids) for v, ids in values.items() if v is not None}
                for name, values in by.items()
            },
            "finding": {code: tuple(keys) for code, keys in flagged.items()},
        },
        roots=tuple(o.id for o in plan.objectives if o.level == "breakthrough"),
    )


def matching(index: AlignmentIndex, filters: Mapping[str, str]) -> list[str]:
    """The ids of the objectives that match every filter (FILTERS or "finding": value),
    in plan order (findings' order for a "finding" filter).

    Starts from the shortest of the filters' id lists and checks the others against it,
    so the work is the size of that list, not of the plan.
    """
    chosen = {name: value for name, value in filters.items() if value}
    if not chosen:
        return list(index.objectives)
    lists = sorted((index.by[name].get(value, ()) for name, value in chosen.items()), key=len)
    keys = list(lists[0])
    for ids in lists[1:]:  # one pass of the shortest list per other filter
        other = frozenset(ids)
        keys = [key for key in keys if key in other]
    return keys


def path_up(index: AlignmentIndex, key: str) -> list[str]:
    """The ids from the top of ``key``'s first ``supports`` chain down to ``key``.

    An objective may support several; the map shows the path through the first one
    written, which is the one the plan names first.
    """
    path = [key]
    seen = {key}
    current = index.objectives.get(key)
    while current is not None and current.supports:
        parent = next(iter(current.supports))
        if parent in seen or parent not in index.objectives:
            break  # validation refuses cycles and dangling links; never loop on one
        path.append(parent)
        seen.add(parent)
        current = index.objectives[parent]
    return path[::-1]
