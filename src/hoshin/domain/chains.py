"""The requires chains of a plan's actions as arrays: rows, links, levels and closures.

The backward schedule visits every action of a plan (100,000 at 50,000 people): loops in
Python over them took about half a second. Here each action is a row, each ``requires``
link an edge (the row that requires, the row it requires), and the passes that follow the
links go a level of the graph at a time with NumPy: a few array operations per level, so a
plan's usual chains, a few actions deep, cost a few of them in all. The price is about 20
microseconds a level: a chain of 1,000 actions one after another takes 20 ms (the loops
took 3), one of 20,000 (no plan has one) 0.4 s; and a few actions (an edit's chains) about
0.3 ms instead of 0.01.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import chain, pairwise, repeat

import numpy as np
import numpy.typing as npt

from hoshin.domain.model import Action

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
NEVER = 1 << 62  # a day ordinal later than any: no bound


@dataclass(frozen=True, slots=True)
class Links:
    """The actions' ids by row and their ``requires`` links as edges; links to ids that are
    not actions of the sequence are left out."""

    ids: list[str]
    node: Ints  # the row that requires ...
    required: Ints  # ... the row it requires

    @property
    def count(self) -> int:
        """How many actions (rows)."""
        return len(self.ids)


def links(actions: Sequence[Action]) -> Links:
    """The rows and ``requires`` edges of ``actions``."""
    ids = [action.id for action in actions]
    node, names = flattened([action.requires for action in actions])
    target = values(names, dict(zip(ids, range(len(ids)), strict=True)), -1)
    known = target >= 0
    return Links(ids, node[known], target[known])


def flattened(lists: Sequence[Sequence[str]]) -> tuple[Ints, list[str]]:
    """Every name of the lists, each with the index of its list."""
    counts = np.fromiter(map(len, lists), np.int64, len(lists))
    every = np.arange(len(lists), dtype=np.int64)
    if (counts == 1).all():  # as an action usually serves one objective: twice as fast
        return every, list(map(operator.itemgetter(0), lists))
    return np.repeat(every, counts), list(chain.from_iterable(lists))


def values(names: list[str], value: dict[str, int], missing: int) -> Ints:
    """The value of each name, ``missing`` when it has none: looked up in C."""
    return np.fromiter(map(value.get, names, repeat(missing)), np.int64, len(names))


def spans(first: Ints, last: Ints) -> Ints:
    """The indices ``first[i]:last[i]`` of every ``i``, one after the other."""
    lengths = last - first
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(first - offsets, lengths) + np.arange(total, dtype=np.int64)


def starts(count: int, rows: Ints) -> Ints:
    """Where each row's entries begin in ``rows`` sorted (and where the last one ends)."""
    return np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=count))))


def levels(count: int, node: Ints, required: Ints) -> Ints | None:
    """Each row's level: 0 when it requires no row, else 1 + the highest level of the rows
    it requires; None when the edges hold a cycle (Kahn's algorithm, a level at a time)."""
    level = np.zeros(count, dtype=np.int64)
    waiting = np.bincount(node, minlength=count)  # edges to rows not placed yet
    order = np.argsort(required, kind="stable")
    dependents, first = node[order], starts(count, required)
    frontier = np.flatnonzero(waiting == 0)
    depth = 0
    while len(frontier):
        reached = dependents[spans(first[frontier], first[frontier + 1])]
        np.subtract.at(waiting, reached, 1)
        frontier = np.unique(reached[waiting[reached] == 0])
        depth += 1
        level[frontier] = depth
    return None if waiting.any() else level


def by_level(level: Ints, node: Ints, required: Ints) -> list[tuple[Ints, Ints]]:
    """The edges grouped by the level of the row that requires, lowest level first."""
    at = level[node]
    order = np.argsort(at, kind="stable")
    node, required, at = node[order], required[order], at[order]
    top = int(at[-1]) if len(at) else 0
    bounds = np.searchsorted(at, np.arange(1, top + 2)).tolist()
    return [(node[a:b], required[a:b]) for a, b in pairwise(bounds)]


def closure(owner: Ints, row: Ints, edges: Links) -> tuple[Ints, Ints]:
    """The pairs (owner, row), and, recursively, (owner, r) for each row r that a paired row
    requires: each pair once, sorted by owner then row."""
    count = edges.count
    order = np.argsort(edges.node, kind="stable")
    targets, first = edges.required[order], starts(count, edges.node)
    pairs = distinct(owner * count + row)
    frontier = pairs
    while len(frontier):
        owners, rows = np.divmod(frontier, count)
        reached = spans(first[rows], first[rows + 1])
        found = distinct(
            np.repeat(owners, first[rows + 1] - first[rows]) * count + targets[reached]
        )
        at = np.minimum(np.searchsorted(pairs, found), len(pairs) - 1)
        frontier = found[pairs[at] != found]
        if len(frontier):
            pairs = np.sort(np.concatenate((pairs, frontier)))
    owners, rows = np.divmod(pairs, count)
    return owners, rows


def distinct(values: Ints) -> Ints:
    """The distinct values, sorted (np.unique hashes first, several times slower here)."""
    ordered = np.sort(values)
    return ordered[np.diff(ordered, prepend=-1) != 0] if len(ordered) else ordered


def ordinals(days: Sequence[date | None]) -> Ints:
    """The ordinal of each day, 0 for None (earlier than any day): converted in C."""
    count = len(days)
    if days.count(None) == 0:
        return np.fromiter(map(date.toordinal, days), np.int64, count)  # type: ignore[arg-type]
    missing = np.fromiter(map(operator.is_, days, repeat(None)), np.bool_, count)
    found = np.zeros(count, dtype=np.int64)
    present = filter(None, days)  # a date is never false
    found[~missing] = np.fromiter(map(date.toordinal, present), np.int64, count - missing.sum())
    return found


def days(values: Ints, present: Bools) -> list[date | None]:
    """The date of each ordinal where ``present``, else None; each distinct day is made
    once and shared."""
    chosen = values[present]
    if not len(chosen):
        return [None] * len(values)
    lowest = int(chosen.min())
    span = int(chosen.max()) - lowest + 1
    if span <= 2 * len(chosen) + 4096:  # a plan's days are close together: a table of them
        made = [_day(lowest + at) for at in range(span)]
        where = values - lowest + 1
    else:
        distinct, inverse = np.unique(chosen, return_inverse=True)
        made = [_day(value) for value in distinct.tolist()]
        where = np.zeros(len(values), dtype=np.int64)
        where[present] = inverse + 1
    table = np.array([None, *made], dtype=object)
    return table[np.where(present, where, 0)].tolist()  # type: ignore[no-any-return]


_day = cache(date.fromordinal)
