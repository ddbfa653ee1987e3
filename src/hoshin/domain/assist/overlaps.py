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
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from hoshin.domain.assist.pairs import Codes, best_pairs
from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import metric_text, objective_text
from hoshin.domain.model import LEVELS, Metric, Objective, Plan

OverlapKind = Literal["objective", "metric"]

# Tuned on the labelled plans of tests/assist (BENCHMARKS.md): the planted duplicates are
# paraphrases ("Sign up 150 new bank HCAs" / "Recruit 150 healthcare assistants to the staff
# bank"); above this cosine 0.8 or more of the pairs found are real, the rest near-misses.
THRESHOLD = 0.65  # the model's space
LEXICAL_THRESHOLD = 0.35  # the lexical (TF-IDF) space: its best precision
LIMIT = 1_000  # overlaps listed at most (the total is counted all the same)


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
    best, count = best_pairs(_vectors(firsts, space), _codes(firsts), floor, limit)
    return same + [(sim, firsts[i], firsts[j]) for sim, i, j in best], len(same) + count


def _codes(items: list[_Item]) -> Codes:
    """What the pairing reads of each item."""
    return Codes.of(
        [item.hands for item in items],
        [item.direction for item in items],
        [item.measure for item in items],
        [item.numbers for item in items],
        gated=bool(items) and items[0].kind == "metric",
    )


def _vectors(items: list[_Item], space: Space) -> NDArray[np.float32]:
    """The items' rows: an objective's text; a metric's text and its objective's, summed and
    made unit again ("Expansion ARR" of "EUR 6M expansion ARR from upsell" and "Net new ARR"
    of "EUR 22M net new ARR" are further apart than their names alone)."""
    matrix = space.stack([item.text for item in items])
    if items and items[0].kind == "metric":
        matrix = matrix + space.stack([item.context for item in items])
        matrix /= np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)
    return matrix


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
    if _codes([a, b]).needed(*pair, 0.0)[0] >= 0:
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
