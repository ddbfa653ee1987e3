"""Parent suggestions: the blend computed by hand in a space of hand-made vectors, the
reasons, the unit signals, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.domain.assist.parents import (
    LEVEL_ABOVE,
    Candidate,
    candidate_of,
    suggest_parents,
)
from hoshin.domain.assist.space import Space, space_of
from hoshin.domain.assist.words import objective_text
from hoshin.domain.model import Metric, Objective, Organization, Person, Plan, Unit
from hoshin.errors import InvalidInput

UNITS = (
    Unit("hq", "Headquarters", lead="ana"),
    Unit("quality", "Quality", parent="hq", lead="ben"),
    Unit("sales", "Sales", parent="hq", lead="cy"),
)
PEOPLE = (
    Person("ana", "Ana", "hq"),
    Person("ben", "Ben", "quality"),
    Person("cy", "Cy", "sales"),
    Person("dee", "Dee", "quality"),
)
B1 = Objective(
    "B1",
    "Halve warranty claims by 2029",
    "breakthrough",
    owner="ana",
    unit="hq",
    metrics=(Metric("m-b1", "Warranty claims per 1,000 pumps"),),
)
B2 = Objective(
    "B2",
    "Grow service revenue to EUR 45M",
    "breakthrough",
    owner="ana",
    unit="hq",
    metrics=(Metric("m-b2", "Service revenue"),),
)
# A1's supports are wrong on purpose: the suggestion ignores them.
A1 = Objective(
    "A1",
    "Cut warranty claims from seal failures",
    "annual",
    owner="ben",
    unit="quality",
    supports={"B2": 1.0},
    metrics=(Metric("m-a1", "Warranty claims from seals"),),
)
A2 = Objective(
    "A2",
    "Sell service contracts with every new pump",
    "annual",
    owner="cy",
    unit="sales",
    supports={"B2": 1.0},
)
PLAN = Plan(Organization("Pumps"), units=UNITS, people=PEOPLE, objectives=(B1, B2, A1, A2))


def hand_space(vectors: dict[str, list[float]]) -> Space:
    """A space of hand-made unit vectors (2-d, so the cosines are exact)."""
    texts = list(vectors)
    return space_of(texts, np.array([vectors[t] for t in texts], dtype=np.float32), "model")


SPACE = hand_space(
    {
        candidate_of(A1).text(): [1.0, 0.0],
        objective_text(B1): [0.8, 0.6],  # cos with A1: 0.8
        objective_text(B2): [0.0, 1.0],  # cos with A1: 0
        objective_text(A2): [0.6, 0.8],  # cos with A1: 0.6, and A2 supports B2
    }
)


def test_the_blend_by_hand() -> None:
    first, second = suggest_parents(PLAN, candidate_of(A1), SPACE)
    # B1: meaning 0.44 * 0.8 = 0.352; no other supporter; A1's title terms {cut, warranty,
    # claim, seal, failur} share warranty and claim with B1's text: 0.12 * 2/5 = 0.048;
    # metric terms {warranty, claim, seal} and {warranty, claim, pump}: Dice 4/6 >= 0.5:
    # 0.12; B1's unit hq is Quality's parent: 0.12 / 3 = 0.04. 0.352+0.048+0.12+0.04 = 0.56
    assert (first.objective, first.title, first.score) == ("B1", B1.title, 0.56)
    assert first.reasons == (
        "similar in meaning (0.80)",
        "shares the terms warranty, claims",  # as A1 writes them (terms: warranty, claim)
        "shares the metric 'Warranty claims per 1,000 pumps'",
        "from the unit above (Headquarters)",
    )
    # B2: meaning 0; A2 supports it, cos 0.6: 0.2 * 0.6 = 0.12; the unit above: 0.04
    assert (second.objective, second.score) == ("B2", 0.16)
    assert second.reasons == (
        "like A2, which supports it (0.60)",
        "from the unit above (Headquarters)",
    )


def test_its_own_supports_are_no_evidence() -> None:
    # A1 supports B2 and its cosine with itself is 1: yet B2 gets nothing from it
    second = suggest_parents(PLAN, candidate_of(A1), SPACE)[1]
    assert not any("A1" in reason for reason in second.reasons)


def test_top_cuts_the_list() -> None:
    assert [s.objective for s in suggest_parents(PLAN, candidate_of(A1), SPACE, top=1)] == ["B1"]
    assert suggest_parents(PLAN, candidate_of(A1), SPACE, top=0) == []


def test_a_breakthrough_has_no_level_above() -> None:
    with pytest.raises(InvalidInput, match="no level above"):
        suggest_parents(PLAN, candidate_of(B1), SPACE)


def test_no_objective_at_the_level_above() -> None:
    team = Candidate("Fit new seals", "team", unit="quality")
    only_breakthroughs = Plan(Organization("Pumps"), objectives=(B1, B2))
    assert suggest_parents(only_breakthroughs, team, hand_space({team.text(): [1, 0]})) == []


def test_a_candidate_reads_like_an_objective() -> None:
    assert candidate_of(A1).text() == objective_text(A1)
    assert Candidate("Cut scrap", "team").text() == "Cut scrap"
    assert Candidate("Cut scrap", "team", metric_names=("Scrap", "Rework")).text() == (
        "Cut scrap. Scrap; Rework"
    )
    assert LEVEL_ABOVE["individual"] == "team" and "breakthrough" not in LEVEL_ABOVE


def test_same_unit_and_the_unit_leads_objective() -> None:
    # Team candidates of Quality: T1 (Quality) and T2 (owned by Ben, Quality's lead, in
    # Sales) and T3 (Sales, owned by Cy): every cosine 0, no shared word
    t1 = Objective("T1", "Alpha", "annual", owner="dee", unit="quality")
    t2 = Objective("T2", "Beta", "annual", owner="ben", unit="sales")
    t3 = Objective("T3", "Gamma", "annual", owner="cy", unit="sales")
    plan = Plan(Organization("Pumps"), units=UNITS, people=PEOPLE, objectives=(t1, t2, t3))
    candidate = Candidate("Delta", "team", owner="dee")  # no unit: Dee's, Quality
    space = hand_space(
        {
            candidate.text(): [1.0, 0.0],
            **{objective_text(o): [0.0, 1.0] for o in (t1, t2, t3)},
        }
    )
    found = suggest_parents(plan, candidate, space)
    # same unit: 0.12 * 1; the lead's: 0.12 / 3 = 0.04; Sales is no unit above Quality: 0
    assert [(s.objective, s.score) for s in found] == [("T1", 0.12), ("T2", 0.04), ("T3", 0.0)]
    assert found[0].reasons == ("same unit (Quality)",)
    assert found[1].reasons == ("owned by the lead of Quality",)
    assert found[2].reasons == ()


def test_a_lexical_space_says_wording() -> None:
    space = space_of(list(SPACE.rows), SPACE.matrix, "lexical")
    assert suggest_parents(PLAN, candidate_of(A1), space)[0].reasons[0] == (
        "similar in wording (0.80)"
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=4, max_size=4))
def test_scores_in_0_1_best_first(rows: list[tuple[float, float]]) -> None:
    matrix = np.array([[x, y] if (x, y) != (0, 0) else [1, 0] for x, y in rows], np.float32)
    matrix /= np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-6, None)
    space = space_of(list(SPACE.rows), matrix, "model")
    found = suggest_parents(PLAN, candidate_of(A1), space)
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
