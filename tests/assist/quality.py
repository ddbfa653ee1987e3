"""Scoring the assistant on the labelled set (truth.yaml and the plans beside it): parents'
top-1 and top-3 accuracy, overlaps' precision and recall, drafts read exactly right.

One home for the scoring: bench/assist_quality.py prints it for the model and the lexical
baseline side by side, tests/assist/test_quality.py holds a floor under it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hoshin.domain.assist.draft import Draft, draft_objective
from hoshin.domain.assist.space import Space
from hoshin.domain.model import Level, Metric, Plan
from hoshin.errors import InvalidInput
from hoshin.planfile import read_plan
from hoshin.service.assist import suggest

HERE = Path(__file__).parent
TRUTH = HERE / "truth.yaml"
Pair = frozenset[str]
# Numbers of a draft agree when within 1 part in 1,000 (the truth's are rounded by hand).
REL = 1e-3


@dataclass(frozen=True)
class PlanTruth:
    """The planted duplicate and near-miss pairs of one labelled plan, by kind."""

    file: str
    duplicates: dict[str, frozenset[Pair]]  # "objective" / "metric" -> pairs of ids
    near_misses: dict[str, frozenset[Pair]]


@dataclass(frozen=True)
class DraftCase:
    """A sentence, the day it is read, the level asked for, and the draft's expected fields."""

    sentence: str
    as_of: date
    level: Level | None
    expect: dict[str, Any]


@dataclass(frozen=True)
class Truth:
    """Everything truth.yaml says."""

    plans: tuple[PlanTruth, ...]
    drafts: tuple[DraftCase, ...]
    refusals: tuple[DraftCase, ...]


def _pairs(rows: Iterable[list[str]] | None) -> frozenset[Pair]:
    return frozenset(frozenset(row) for row in rows or ())


def _by_kind(section: dict[str, Any]) -> dict[str, frozenset[Pair]]:
    return {
        "objective": _pairs(section.get("objectives")),
        "metric": _pairs(section.get("metrics")),
    }


@cache
def load_truth() -> Truth:
    """truth.yaml, read once."""
    data = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    plans = tuple(
        PlanTruth(name, _by_kind(item["duplicates"]), _by_kind(item["near_misses"]))
        for name, item in data["plans"].items()
    )

    def case(item: dict[str, Any]) -> DraftCase:
        return DraftCase(item["sentence"], item["as_of"], item.get("level"), item.get("expect", {}))

    return Truth(plans, tuple(map(case, data["drafts"])), tuple(map(case, data["refusals"])))


@cache
def labelled_plan(name: str) -> Plan:
    """One of the labelled plans, by its file name."""
    return read_plan(HERE / name)


# --- parents -------------------------------------------------------------------------


@dataclass
class Parents:
    """How often the right parent came first, and among the first three."""

    asked: int = 0
    first: int = 0
    top3: int = 0
    misses: list[str] = field(default_factory=list)  # "T4 -> A1, A4, A2 (true A2)"

    def add(self, other: Parents) -> None:
        """Adds another plan's counts to these."""
        self.asked += other.asked
        self.first += other.first
        self.top3 += other.top3
        self.misses += other.misses

    @property
    def top1_accuracy(self) -> float:
        """Share of objectives whose first suggestion is one of their true parents."""
        return self.first / self.asked if self.asked else math.nan

    @property
    def top3_accuracy(self) -> float:
        """Share of objectives with one of their true parents among the first three."""
        return self.top3 / self.asked if self.asked else math.nan


def score_parents(plan: Plan, space: Space, twins: frozenset[Pair] = frozenset()) -> Parents:
    """Asks where each objective with `supports` belongs (its supports ignored) and scores
    the answer against those supports. An objective's planted duplicate (``twins``) is left
    out of the plan while it is asked: the twin was planted for the overlap scan, and its
    supports would otherwise hand the ranking the answer ("like T2, which supports it")."""
    score = Parents()
    for objective in plan.objectives:
        if not objective.supports:
            continue
        twin = {key for pair in twins if objective.id in pair for key in pair} - {objective.id}
        asked = replace(plan, objectives=tuple(o for o in plan.objectives if o.id not in twin))
        ranked = [s.objective for s in suggest.parents(asked, objective.id, top=3, space=space)]
        true = set(objective.supports)
        score.asked += 1
        score.first += bool(ranked) and ranked[0] in true
        score.top3 += bool(true & set(ranked[:3]))
        if not ranked or ranked[0] not in true:
            where = "top-3" if true & set(ranked[:3]) else "miss"
            score.misses.append(
                f"{objective.id} -> {', '.join(ranked)} (true {', '.join(sorted(true))}; {where})"
            )
    return score


# --- overlaps ------------------------------------------------------------------------


@dataclass
class Overlaps:
    """What an overlap scan reported of one kind, against the planted duplicates."""

    reported: int = 0
    right: int = 0
    planted: int = 0
    near_misses: int = 0  # near-miss pairs reported (each is also a wrong one)
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, other: Overlaps) -> None:
        """Adds another plan's counts to these."""
        self.reported += other.reported
        self.right += other.right
        self.planted += other.planted
        self.near_misses += other.near_misses
        self.wrong += other.wrong
        self.missed += other.missed

    @property
    def precision(self) -> float:
        """Share of the reported pairs that are planted duplicates (nan: none reported)."""
        return self.right / self.reported if self.reported else math.nan

    @property
    def recall(self) -> float:
        """Share of the planted duplicates that were reported."""
        return self.right / self.planted if self.planted else math.nan


def score_overlaps(
    plan: Plan, truth: PlanTruth, space: Space, *, threshold: float | None = None
) -> dict[str, Overlaps]:
    """The plan's overlap scan in ``space`` (at the default threshold unless given), scored
    against the planted pairs, by kind ("objective", "metric")."""
    found = suggest.overlaps(plan, space=space, threshold=threshold)
    scores = {}
    for kind in ("objective", "metric"):
        planted = truth.duplicates[kind]
        reported = {frozenset((o.first, o.second)): o for o in found if o.kind == kind}
        score = Overlaps(len(reported), len(planted & reported.keys()), len(planted))
        score.near_misses = len(truth.near_misses[kind] & reported.keys())
        score.wrong = [
            f"{o.first}-{o.second} {o.similarity:.2f}"
            for pair, o in reported.items()
            if pair not in planted
        ]
        score.missed = ["-".join(sorted(pair)) for pair in planted - reported.keys()]
        scores[kind] = score
    return scores


# --- drafts --------------------------------------------------------------------------


def _metric_field(name: str) -> Callable[[Draft], Any]:
    return lambda draft: getattr(draft.objective.metrics[0], name)


FIELDS: dict[str, Callable[[Draft], Any]] = {
    "level": lambda draft: draft.objective.level,
    "this_year": lambda draft: draft.this_year,
    **{name: _metric_field(name) for name in Metric.__dataclass_fields__},
}


def _agrees(expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, str):
        return str(got) == str(expected)
    if isinstance(expected, int | float):
        return isinstance(got, int | float) and math.isclose(got, expected, rel_tol=REL)
    return bool(got == expected)


def draft_of(case: DraftCase) -> Draft:
    """The draft of a case's sentence."""
    return draft_objective(case.sentence, as_of=case.as_of, level=case.level)


def draft_mismatches(case: DraftCase) -> list[str]:
    """How the draft of ``case`` differs from what is expected (empty: read exactly right)."""
    try:
        draft = draft_of(case)
    except InvalidInput as error:
        return [f"refused: {error}"]
    wrong = []
    for name, expected in case.expect.items():
        got = FIELDS[name](draft)
        if not _agrees(expected, got):
            wrong.append(f"{name} {got!r}, expected {expected!r}")
    return wrong


def refused(case: DraftCase) -> bool:
    """Whether a draft of ``case`` is refused with InvalidInput."""
    try:
        draft_of(case)
    except InvalidInput:
        return True
    return False
