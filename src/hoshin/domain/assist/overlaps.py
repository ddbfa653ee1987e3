"""Overlaps: objectives at one level (and metrics of objectives at one level) held by
different units or people whose texts say the same thing, with a suggested merge or a
shared metric.

The scan scales to the 50,000-person plan: texts are grouped by level, each distinct text is
compared once (identical texts are paired with their first holder, not with each other), and
the similarities are computed tile by tile, keeping only the best pairs above the threshold.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import metric_text, objective_text
from hoshin.domain.model import LEVELS, Metric, Objective, Plan

OverlapKind = Literal["objective", "metric"]

# Tuned on the labelled plans of tests/assist (BENCHMARKS.md): the planted duplicates are
# paraphrases ("Sign up 150 new bank HCAs" / "Recruit 150 healthcare assistants to the staff
# bank"); above this cosine 0.8 or more of the pairs found are real, the rest near-misses.
THRESHOLD = 0.65  # the model's space
LEXICAL_THRESHOLD = 0.35  # the lexical (TF-IDF) space: its best precision
# Two metrics' baselines and targets agree within AGREE (relative to the larger) or differ
# beyond DIFFER: the similarity their texts need is AGREED lower or DIFFERENT higher.
AGREE, DIFFER = 0.15, 0.5
AGREED, DIFFERENT = 0.15, 0.1
KINDS = 256  # at most this many kinds of rows by numbers: their floors from a table
LIMIT = 1_000  # overlaps listed at most (the total is counted all the same)
ROWS, COLUMNS = 1_024, 8_192  # one tile of similarities: 32 MB of float32


@dataclass(frozen=True, slots=True)
class Overlap:
    """Two objectives (or two metrics, by id and name) that say the same thing."""

    kind: OverlapKind
    first: str
    first_title: str
    second: str
    second_title: str
    similarity: float
    suggestion: str


@dataclass(frozen=True, slots=True)
class OverlapScan:
    """The best overlaps (at most the limit), best first, and how many there are in all."""

    overlaps: tuple[Overlap, ...]
    total: int
    threshold: float


def default_threshold(space: Space) -> float:
    """The similarity above which two texts overlap in ``space`` (model or lexical)."""
    return LEXICAL_THRESHOLD if space.name == "lexical" else THRESHOLD


def find_overlaps(plan: Plan, space: Space, *, threshold: float | None = None) -> list[Overlap]:
    """The best overlaps of ``plan`` (at most LIMIT), best first; ``space`` must know
    ``words.plan_texts(plan)``."""
    return list(scan_overlaps(plan, space, threshold=threshold).overlaps)


def scan_overlaps(
    plan: Plan, space: Space, *, threshold: float | None = None, limit: int = LIMIT
) -> OverlapScan:
    """The ``limit`` best overlaps of ``plan``, best first, and their total count."""
    floor = default_threshold(space) if threshold is None else threshold
    people = _People(plan)
    found: list[tuple[float, _Item, _Item]] = []
    total = 0
    for group in _groups(plan, people):
        pairs, count = _scan(group, space, floor, limit)
        found += pairs
        total += count
    found.sort(key=lambda pair: -pair[0])  # stable: objectives, then metrics, level by level
    overlaps = tuple(_overlap(sim, a, b, people) for sim, a, b in found[:limit])
    return OverlapScan(overlaps, total, floor)


@dataclass(frozen=True, slots=True)
class _Item:
    """An objective or a metric in a group to scan: ``hands`` is one number per (owner,
    unit) of its objective (an objective with neither has its own)."""

    kind: OverlapKind
    id: str
    title: str
    text: str
    hands: int
    objective: Objective
    direction: str = ""  # a metric's (an objective's headline metric's); "" for none
    measure: str = ""  # its unit of measure, lower-case; "" when it has none
    context: str = ""  # a metric's objective's text: what the metric is read with
    numbers: tuple[float, float] = (math.nan, math.nan)  # a metric's baseline and target


class _People:
    """Names of units and people, and how many objectives support each objective."""

    def __init__(self, plan: Plan) -> None:
        self.units = {u.id: u.name for u in plan.units}
        self.people = {p.id: (p.name, p.unit) for p in plan.people}
        self.supporters = Counter(key for o in plan.objectives for key in o.supports)

    def unit_of(self, objective: Objective) -> str | None:
        """The objective's unit, else its owner's (by id)."""
        if objective.unit is not None:
            return objective.unit
        return self.people.get(objective.owner or "", ("", None))[1]


def _groups(plan: Plan, people: _People) -> list[list[_Item]]:
    """The objectives of each level, then the metrics of each level's objectives."""
    codes: dict[tuple[str | None, str | None], int] = {}
    objectives: dict[str, list[_Item]] = defaultdict(list)
    metrics: dict[str, list[_Item]] = defaultdict(list)
    for at, objective in enumerate(plan.objectives):
        holder = (objective.owner, people.unit_of(objective))
        hands = -1 - at if holder == (None, None) else codes.setdefault(holder, len(codes))
        text = objective_text(objective)
        # an objective's numbers are its first (headline) metric's
        head = objective.metrics[0] if objective.metrics else None
        objectives[objective.level].append(
            _Item(
                "objective",
                objective.id,
                objective.title,
                text,
                hands,
                objective,
                "" if head is None else head.direction,
                "" if head is None else _unit(head),
                numbers=_NONE if head is None else _numbers(head),
            )
        )
        for metric in objective.metrics:
            name = metric_text(metric)
            metrics[objective.level].append(
                _Item(
                    "metric",
                    metric.id,
                    metric.name,
                    name,
                    hands,
                    objective,
                    metric.direction,
                    _unit(metric),
                    text,
                    _numbers(metric),
                )
            )
    return [objectives[level] for level in LEVELS] + [metrics[level] for level in LEVELS]


_NONE = (math.nan, math.nan)


def _numbers(metric: Metric) -> tuple[float, float]:
    """A metric's baseline and target (NaN: not given)."""
    baseline = math.nan if metric.baseline is None else metric.baseline
    return baseline, math.nan if metric.target is None else metric.target


def _unit(metric: Metric) -> str:
    """A metric's unit of measure as compared: lower-case, "" when it has none."""
    return (metric.unit or "").strip().lower()


def _scan(
    items: list[_Item], space: Space, floor: float, limit: int
) -> tuple[list[tuple[float, _Item, _Item]], int]:
    """The best pairs of one group above ``floor`` (at most ``limit``) and their count."""
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for at, item in enumerate(items):
        holders[item.text, item.context].append(at)
    same = []
    for members in holders.values():  # an identical text: each later holder with the first
        hands = items[members[0]].hands  # of other hands (a holder's repeat is no overlap)
        other = next((m for m in members if items[m].hands != hands), None)
        for at in members[1:]:
            first = members[0] if items[at].hands != hands else other
            if first is not None and first < at:
                same.append((1.0, items[first], items[at]))
    firsts = [items[members[0]] for members in holders.values()]
    best, count = _best_pairs(_vectors(firsts, space), _Codes.of(firsts), floor, limit)
    return same + [(sim, firsts[i], firsts[j]) for sim, i, j in best], len(same) + count


def _vectors(items: list[_Item], space: Space) -> NDArray[np.float32]:
    """The items' rows: an objective's text; a metric's text and its objective's, summed and
    made unit again ("Expansion ARR" of "EUR 6M expansion ARR from upsell" and "Net new ARR"
    of "EUR 22M net new ARR" are further apart than their names alone)."""
    matrix = space.stack([item.text for item in items])
    if items and items[0].kind == "metric":
        matrix = matrix + space.stack([item.context for item in items])
        matrix /= np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)
    return matrix


class _Codes(NamedTuple):
    """Each row's hands, direction and unit of measure as numbers (unit -1: none given),
    and its baseline and target (NaN: none given)."""

    hands: NDArray[np.int64]
    directions: NDArray[np.int64]
    units: NDArray[np.int64]
    baselines: NDArray[np.float64]
    targets: NDArray[np.float64]
    gated: bool  # metrics: those going opposite ways or in other units never overlap
    # When few rows differ in direction, unit and numbers (a templated plan: a few kinds of
    # row for 150,000 metrics), each row's kind and what each two kinds add to the floor.
    kinds: NDArray[np.int64] | None = None
    table: NDArray[np.float32] | None = None

    @classmethod
    def of(cls, items: list[_Item]) -> _Codes:
        """The codes of ``items``, in order."""
        directions: dict[str, int] = {}
        units: dict[str, int] = {"": -1}
        codes = cls(
            np.array([item.hands for item in items], dtype=np.int64),
            np.array([directions.setdefault(i.direction, len(directions)) for i in items]),
            np.array([units.setdefault(i.measure, len(units) - 1) for i in items]),
            np.array([item.numbers[0] for item in items], dtype=np.float64),
            np.array([item.numbers[1] for item in items], dtype=np.float64),
            bool(items) and items[0].kind == "metric",
        )
        return codes.tabled()

    def tabled(self) -> _Codes:
        """These codes with the table of kinds, when there are at most KINDS of them."""
        rows = np.stack([self.directions, self.units, self.baselines, self.targets], axis=1)
        rows[np.isnan(rows)] = np.inf  # no number given: one kind (NaN is unequal to NaN)
        kinds, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        if len(kinds) > KINDS:
            return self
        one = self._replace(
            hands=self.hands[first],
            directions=self.directions[first],
            units=self.units[first],
            baselines=self.baselines[first],
            targets=self.targets[first],
        )
        table = one.needed((slice(None), None), (None, slice(None)), 0.0)
        return self._replace(kinds=inverse.reshape(-1), table=table.astype(np.float32))

    def apart(self, rows: slice, columns: slice) -> NDArray[np.bool_]:
        """Which pairs of a tile cannot overlap: the same hands, or metrics that go opposite
        ways or count in different units (a metric to raise and one to cut, or minutes and
        a share, never measure the same thing)."""
        apart: NDArray[np.bool_] = self.hands[rows, None] == self.hands[None, columns]
        return apart | ~self.alike((rows, None), (None, columns)) if self.gated else apart

    def alike(self, i: Any, j: Any) -> NDArray[np.bool_]:
        """Which pairs (rows ``i`` with rows ``j``, as numpy indexes them) count alike: the
        same direction, and the same unit or one not given."""
        units_i, units_j = self.units[i], self.units[j]
        alike: NDArray[np.bool_] = (self.directions[i] == self.directions[j]) & (
            (units_i == units_j) | (units_i < 0) | (units_j < 0)
        )
        return alike

    def needed(self, i: Any, j: Any, floor: float) -> NDArray[np.float64]:
        """The similarity each pair (rows ``i`` with rows ``j``, as numpy indexes them)
        needs: two metrics (or two objectives' headline metrics) of one direction and unit
        with the same baseline and target (within AGREE) measure the same quantity, so less
        similar texts will do; with numbers far apart (beyond DIFFER) they need more."""
        if self.kinds is not None and self.table is not None:
            tabled: NDArray[np.float64] = self.table[self.kinds[i], self.kinds[j]] + floor
            return tabled
        gap = np.fmax(
            _gap(self.baselines[i], self.baselines[j]), _gap(self.targets[i], self.targets[j])
        )
        if not self.gated:  # headline numbers of other directions or units say nothing
            gap[~self.alike(i, j)] = np.nan
        with np.errstate(invalid="ignore"):
            return floor - AGREED * (gap <= AGREE) + DIFFERENT * (gap > DIFFER)


def _gap(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """How far apart two numbers are, relative to the larger (0 when equal, NaN unknown)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        gap: NDArray[np.float64] = np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))
    return np.where(a == b, 0.0, gap)


def _best_pairs(
    matrix: NDArray[np.float32], codes: _Codes, floor: float, limit: int
) -> tuple[list[tuple[float, int, int]], int]:
    """Pairs (i < j) of rows that may overlap with similarity >= ``floor``: the ``limit``
    best, best first, and how many there are."""
    n = len(matrix)
    sims: list[NDArray[np.float32]] = []
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    kept, count, bar = 0, 0, -2.0  # the pool's worst once it is full
    for i0 in range(0, n, ROWS):
        i1 = min(n, i0 + ROWS)
        for j0 in range(i0, n, COLUMNS):
            j1 = min(n, j0 + COLUMNS)
            tile = matrix[i0:i1] @ matrix[j0:j1].T
            if j0 < i1:  # the tile crosses the diagonal: keep j > i only
                tile[np.tril_indices(i1 - i0, i0 - j0, j1 - j0)] = -2.0
            tile[codes.apart(slice(i0, i1), slice(j0, j1))] = -2.0
            accepted = _accepted(tile, codes, floor, i0, j0)
            count += int(np.count_nonzero(accepted))
            at = np.flatnonzero(accepted & (tile >= bar))
            if len(at) > limit:
                at = at[np.argpartition(-tile.ravel()[at], limit - 1)[:limit]]
            if len(at):
                sims.append(tile.ravel()[at])
                rows.append(at // (j1 - j0) + i0)
                cols.append(at % (j1 - j0) + j0)
                kept += len(at)
            if kept > limit:  # keep the pool small and raise the bar to its worst
                sims, rows, cols, bar = _trim(sims, rows, cols, limit)
                kept = limit
    if not sims:
        return [], count
    sims, rows, cols, _ = _trim(sims, rows, cols, limit)
    order = np.argsort(-sims[0], kind="stable")
    best = [(float(sims[0][k]), int(rows[0][k]), int(cols[0][k])) for k in order.tolist()]
    return best, count


def _accepted(
    tile: NDArray[np.float32], codes: _Codes, floor: float, i0: int, j0: int
) -> NDArray[np.bool_]:
    """Which pairs of a tile are similar enough: the floors from the table of kinds, else
    the numbers read only for the pairs whose similarity they can change (between the
    lowest and the highest bar)."""
    if codes.table is not None:
        rows, columns = slice(i0, i0 + tile.shape[0]), slice(j0, j0 + tile.shape[1])
        dense: NDArray[np.bool_] = tile >= codes.needed((rows, None), (None, columns), floor)
        return dense
    accepted: NDArray[np.bool_] = tile >= floor + DIFFERENT
    band = np.flatnonzero((tile >= floor - AGREED) & ~accepted)
    if len(band):
        width = tile.shape[1]
        i, j = band // width + i0, band % width + j0
        accepted.ravel()[band] = tile.ravel()[band] >= codes.needed(i, j, floor)
    return accepted


def _trim(
    sims: list[NDArray[np.float32]],
    rows: list[NDArray[np.int64]],
    cols: list[NDArray[np.int64]],
    limit: int,
) -> tuple[list[NDArray[np.float32]], list[NDArray[np.int64]], list[NDArray[np.int64]], float]:
    """The pool cut to its ``limit`` best, and the similarity of its worst."""
    s, r, c = np.concatenate(sims), np.concatenate(rows), np.concatenate(cols)
    if len(s) > limit:
        keep = np.argpartition(-s, limit - 1)[:limit]
        s, r, c = s[keep], r[keep], c[keep]
    return [s], [r], [c], float(s.min())


def _overlap(similarity: float, a: _Item, b: _Item, people: _People) -> Overlap:
    """The overlap of two items, the one to keep first, with its suggestion."""
    if people.supporters[b.objective.id] > people.supporters[a.objective.id]:
        a, b = b, a  # keep the objective more of the plan already supports
    sim = round(similarity, 4)
    where = _where(a.objective, b.objective, people) + _numbers_said(a, b)
    if a.kind == "metric":
        suggestion = (
            f"share the metric {a.id} '{a.title}' between {a.objective.id} and "
            f"{b.objective.id} instead of {b.id} ({where})"
        )
    else:
        suggestion = f"merge {b.id} into {a.id} (same {a.objective.level} level, {where})"
    return Overlap(a.kind, a.id, a.title, b.id, b.title, sim, suggestion)


def _numbers_said(a: _Item, b: _Item) -> str:
    """ "; both from 18 to 9" (or "; from 18 to 9 and from 17 to 8") when the two's numbers
    agree (as the scan reads them: they lowered the bar)."""
    pair = np.array([0]), np.array([1])
    if _Codes.of([a, b]).needed(*pair, 0.0)[0] >= 0:
        return ""
    if any(math.isnan(x) for x in a.numbers + b.numbers):
        return "; their numbers agree"
    if a.numbers == b.numbers:
        return f"; both from {a.numbers[0]:,g} to {a.numbers[1]:,g}"
    (a0, a1), (b0, b1) = a.numbers, b.numbers
    return f"; from {a0:,g} to {a1:,g} and from {b0:,g} to {b1:,g}"


def _where(a: Objective, b: Objective, people: _People) -> str:
    """Who holds the two: their units, else their owners."""
    units = people.unit_of(a), people.unit_of(b)
    if units[0] != units[1] and None not in units:
        names = [people.units.get(u or "", u or "") for u in units]
        return f"in {names[0]} and in {names[1]}"
    owners = [people.people.get(o or "", (o or "nobody", None))[0] for o in (a.owner, b.owner)]
    return f"held by {owners[0]} and by {owners[1]}"
