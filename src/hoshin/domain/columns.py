"""A plan's objectives and their ``supports`` links as arrays, for the engine's passes over
the whole tree (roll-up, supports order, alignment coverage).

Objective ``i`` is ``objectives[i]``; link ``k`` runs from ``child[k]`` (the supporting
objective) to ``parent[k]`` with ``weight[k]``, in the plan's order of objectives and of each
one's ``supports``. Links to ids outside the plan are left out, as every pass ignores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, methodcaller

import numpy as np
import numpy.typing as npt

from hoshin.domain.model import Objective

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# Depth-by-depth passes cost a pass over the links per level of the tree: past this many
# levels (a plan of long chains) the engine visits objectives one by one instead.
DEEPEST = 64

_id, _supports = attrgetter("id"), attrgetter("supports")
_keys, _values = methodcaller("keys"), methodcaller("values")


@dataclass(frozen=True, slots=True)
class SupportLinks:
    """The objectives' ids and their supports links as index arrays."""

    ids: list[str]
    index: dict[str, int]
    child: Ints
    parent: Ints
    weight: Floats

    def plan_order_is_parents_first(self) -> bool:
        """Whether every objective comes after those it supports in the plan (the usual
        plan, written from the breakthroughs down): then the plan's order is
        ``supports_order``'s, since its depth-first walk places each one as it comes."""
        return bool((self.parent < self.child).all())

    def heights(self) -> Ints | None:
        """Each objective's height: 0 without supporters, else one more than its highest
        supporter; None past ``DEEPEST`` levels (or with a cycle)."""
        return _levels(len(self.ids), self.parent, self.child)

    def depths(self) -> Ints | None:
        """Each objective's depth: 0 when it supports nothing in the plan, else one more
        than the deepest it supports; None past ``DEEPEST`` levels (or with a cycle)."""
        return _levels(len(self.ids), self.child, self.parent)


def support_links(objectives: Sequence[Objective]) -> SupportLinks | None:
    """The links of ``objectives``; None when two objectives share an id (the passes by id
    then keep the last one, which only the one-by-one passes reproduce)."""
    ids = list(map(_id, objectives))
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) != len(ids):
        return None
    supports = list(map(_supports, objectives))
    counts = np.fromiter(map(len, supports), np.int64, len(supports))
    parents = np.fromiter(
        map(index.get, chain.from_iterable(map(_keys, supports)), repeat(-1)), np.int64
    )
    weights = np.fromiter(chain.from_iterable(map(_values, supports)), np.float64, len(parents))
    children = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
    inside = parents >= 0
    return SupportLinks(ids, index, children[inside], parents[inside], weights[inside])


def _levels(count: int, node: Ints, below: Ints) -> Ints | None:
    """Each node's level: 1 + the highest level of the nodes ``below`` it (0 for none)."""
    level = np.zeros(count, dtype=np.int64)
    for _ in range(DEEPEST + 1):
        higher = np.zeros(count, dtype=np.int64)
        np.maximum.at(higher, node, level[below] + 1)
        if np.array_equal(higher, level):
            return level
        level = higher
    return None
