"""The labelled set's scoring (tests/assist/quality.py) on answers made up by hand: what the
bench prints is only as right as this arithmetic."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from assist.quality import DraftCase, PlanTruth, draft_mismatches, score_overlaps, score_parents
from hoshin.domain.assist.overlaps import Overlap
from hoshin.domain.assist.parents import ParentSuggestion
from hoshin.domain.assist.space import space_of
from hoshin.domain.model import Objective, Organization, Plan
from hoshin.service.assist import suggest

PLAN = Plan(
    Organization("Scoring Ltd"),
    objectives=(
        Objective("B1", "Grow", "breakthrough"),
        Objective("B2", "Shrink", "breakthrough"),
        Objective("A1", "Sell more", "annual", owner="ann", supports={"B1": 1.0}),
        Objective("A2", "Sell a lot more", "annual", owner="bob", supports={"B1": 1.0}),
        Objective("A3", "Spend less", "annual", owner="cy", supports={"B2": 1.0}),
    ),
)
SPACE = space_of(["x"], np.ones((1, 1), dtype=np.float32))  # never read: suggest is faked


def _pairs(*pairs: tuple[str, str]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair) for pair in pairs)


def _overlap(kind: Any, first: str, second: str, similarity: float) -> Overlap:
    return Overlap(kind, first, first, second, second, similarity, "merge")


def test_overlaps_precision_recall_and_near_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reported: objectives A1-A2 (planted) and A1-A3 (a near-miss); metric m1-m2 (planted)
    and m3-m4 (not). Planted: A1-A2 and A2-A3; m1-m2.
    objectives: precision 1 of 2 = 0.5, recall 1 of 2 = 0.5, one near-miss reported;
    metrics: precision 1 of 2 = 0.5, recall 1 of 1 = 1.0."""
    found = [
        _overlap("objective", "A2", "A1", 0.9),  # order within a pair does not matter
        _overlap("objective", "A1", "A3", 0.8),
        _overlap("metric", "m1", "m2", 0.85),
        _overlap("metric", "m3", "m4", 0.81),
    ]
    monkeypatch.setattr(suggest, "overlaps", lambda *a, **k: found)
    truth = PlanTruth(
        "made-up.yaml",
        {"objective": _pairs(("A1", "A2"), ("A2", "A3")), "metric": _pairs(("m1", "m2"))},
        {"objective": _pairs(("A1", "A3")), "metric": frozenset()},
    )
    scores = score_overlaps(PLAN, truth, SPACE)
    objectives, metrics = scores["objective"], scores["metric"]
    assert (objectives.reported, objectives.right, objectives.planted) == (2, 1, 2)
    assert objectives.precision == 0.5 and objectives.recall == 0.5
    assert objectives.near_misses == 1
    assert objectives.wrong == ["A1-A3 0.80"] and objectives.missed == ["A2-A3"]
    assert (metrics.precision, metrics.recall) == (0.5, 1.0)
    assert metrics.wrong == ["m3-m4 0.81"] and metrics.missed == []


def test_nothing_reported_has_no_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suggest, "overlaps", lambda *a, **k: [])
    truth = PlanTruth("x", {"objective": _pairs(("A1", "A2")), "metric": frozenset()},
                      {"objective": frozenset(), "metric": frozenset()})  # fmt: skip
    scores = score_overlaps(PLAN, truth, SPACE)
    assert math.isnan(scores["objective"].precision) and scores["objective"].recall == 0.0


def test_parents_top1_top3_and_the_twin_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake ranks B2 first for A1 (true B1: wrong first, right in the top 3) and the
    true parent first for A2 and A3: top-1 2 of 3, top-3 3 of 3. A1 and A2 are planted
    twins: each is asked with the other out of the plan."""
    seen: dict[str, set[str]] = {}

    def parents(plan: Plan, objective_id: str, **_: Any) -> list[ParentSuggestion]:
        seen[objective_id] = {o.id for o in plan.objectives}
        first = {"A1": "B2", "A2": "B1", "A3": "B2"}[objective_id]
        second = "B1" if first == "B2" else "B2"
        return [ParentSuggestion(first, "", 0.9, ()), ParentSuggestion(second, "", 0.5, ())]

    monkeypatch.setattr(suggest, "parents", parents)
    score = score_parents(PLAN, SPACE, _pairs(("A1", "A2")))
    assert (score.asked, score.first, score.top3) == (3, 2, 3)
    assert score.top1_accuracy == pytest.approx(2 / 3) and score.top3_accuracy == 1.0
    assert score.misses == ["A1 -> B2, B1 (true B1; top-3)"]
    assert "A2" not in seen["A1"] and "A1" not in seen["A2"] and {"A1", "A2"} <= seen["A3"]


def test_a_draft_field_that_differs_is_named() -> None:
    """ "cut lead time from 9 to 4 weeks by Q4 2027" read on 2026-03-10: this year's target
    is 9 - 5 * 9 / 21 = 6.857; an expectation of 7 (off by more than 1 in 1,000) and of
    the wrong unit are both named, the right baseline is not."""
    case = DraftCase(
        "cut lead time from 9 to 4 weeks by Q4 2027",
        date(2026, 3, 10),
        None,
        {"baseline": 9, "this_year": 7, "unit": "days"},
    )
    wrong = draft_mismatches(case)
    assert [line.split()[0] for line in wrong] == ["this_year", "unit"]
    assert draft_mismatches(DraftCase(case.sentence, case.as_of, None, {"this_year": 6.857})) == []
