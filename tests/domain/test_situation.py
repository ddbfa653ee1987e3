"""The current position: situation items, the objectives that address them, risks' levels,
and what the engine and the assistant make of them, from hand-made plans."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from domain_factories import aligned_plan, findings_of, make_objective, make_plan, subjects

from hoshin.domain.assist.situation import AddressSuggestion, suggest_addresses, unaddressed
from hoshin.domain.assist.space import space_of
from hoshin.domain.assist.words import objective_text
from hoshin.domain.model import Plan, Risk, SituationItem
from hoshin.domain.validation import Problem, plan_problems

W1 = SituationItem("W1", "weakness", "Warranty claims twice the industry's")
T1 = SituationItem("T1", "threat", "Imports undercut our price")
S1 = SituationItem("S1", "strength", "A loyal dealer network")
O1 = SituationItem("O1", "opportunity", "Utilities buy uptime")


def positioned(*addresses: tuple[str, ...]) -> Plan:
    """The aligned plan (no findings) with W1, T1, S1 and O1, its two objectives addressing
    ``addresses`` in order."""
    base = aligned_plan()
    objectives = tuple(
        replace(o, addresses=keys) for o, keys in zip(base.objectives, addresses, strict=False)
    )
    return replace(
        base, situation=(W1, T1, S1, O1), objectives=objectives + base.objectives[len(addresses) :]
    )


# --- validation ---------------------------------------------------------------------------


def test_an_objective_addressing_an_unknown_item_is_a_problem_at_its_place() -> None:
    plan = positioned(("W1", "W9"))
    assert plan_problems(plan) == [
        Problem(("objectives", 0, "addresses", 1), "unknown situation item 'W9'")
    ]


def test_an_item_named_twice_in_addresses_is_a_problem() -> None:
    plan = positioned((), ("T1", "W1", "T1"))
    assert plan_problems(plan) == [
        Problem(("objectives", 1, "addresses", 2), "'T1' is named more than once")
    ]


def test_situation_ids_are_unique_among_the_situation_but_may_repeat_other_ids() -> None:
    # b1 is an objective of the aligned plan: an item may have its id; W1 twice may not
    plan = replace(
        aligned_plan(),
        situation=(W1, SituationItem("b1", "strength", "Brand"), replace(T1, id="W1")),
    )
    assert plan_problems(plan) == [
        Problem(("situation", 2, "id"), "duplicate id 'W1' (first used at situation/0)")
    ]


def test_a_plan_that_addresses_known_items_has_no_problem() -> None:
    assert plan_problems(positioned(("W1",), ("T1", "O1", "S1"))) == []


# --- findings -----------------------------------------------------------------------------


def test_a_weakness_and_a_threat_no_objective_addresses_are_warnings() -> None:
    # S1 (a strength) and O1 (an opportunity) unaddressed are choices, not gaps
    plan = positioned()
    assert subjects(plan, "unaddressed_position") == ["W1", "T1"]
    found = next(f for f in findings_of(plan) if f.subject == "W1")
    assert found.severity == "warning"
    assert "weakness W1 'Warranty claims twice the industry's' is addressed by no objective" in (
        found.message
    )


def test_an_item_any_objective_addresses_is_answered() -> None:
    assert subjects(positioned(("W1",), ("T1",)), "unaddressed_position") == []
    assert subjects(positioned(("W1", "T1")), "unaddressed_position") == []
    assert subjects(positioned((), ("W1",)), "unaddressed_position") == ["T1"]


def test_a_plan_without_a_situation_has_no_position_finding() -> None:
    assert subjects(aligned_plan(), "unaddressed_position") == []


def with_risks(*risks: Risk, done: bool = False) -> Plan:
    """The aligned plan whose action has ``risks``."""
    base = aligned_plan()
    return replace(base, actions=(replace(base.actions[0], risks=risks, done=done),))


def test_a_high_risk_without_a_contingency_is_a_warning() -> None:
    plan = with_risks(Risk("Supplier late", level="high", trigger="No sample by March"))
    assert subjects(plan, "uncovered_risk") == ["act1"]
    message = next(f.message for f in findings_of(plan) if f.code == "uncovered_risk")
    assert message == (
        "action act1 'Do the work' has a high risk without a contingency: 'Supplier late'"
    )


def test_a_covered_high_risk_a_lower_one_a_done_action_and_no_level_are_no_warning() -> None:
    assert subjects(with_risks(Risk("Late", "Second source", level="high")), "uncovered_risk") == []
    assert subjects(with_risks(Risk("Late", level="medium")), "uncovered_risk") == []
    assert subjects(with_risks(Risk("Late")), "uncovered_risk") == []
    done = with_risks(Risk("Late", level="high"), done=True)  # it can no longer happen
    assert subjects(done, "uncovered_risk") == []


def test_each_high_risk_without_a_contingency_is_one_warning() -> None:
    plan = with_risks(Risk("Late", level="high"), Risk("Strike", "", level="high"))
    assert subjects(plan, "uncovered_risk") == ["act1", "act1"]


# --- the assistant's suggestions ------------------------------------------------------------


def suggestion_plan() -> Plan:
    """o1 'Cut warranty claims', o2 'Grow service revenue', o3 'Train welders' (addresses T1),
    and the four items."""
    objectives = (
        make_objective(id="o1", title="Cut warranty claims"),
        make_objective(id="o2", title="Grow service revenue"),
        make_objective(id="o3", title="Train welders", addresses=("T1",)),
    )
    return make_plan(objectives=objectives, situation=(W1, T1, S1, O1))


def test_unaddressed_items_are_the_weaknesses_threats_and_opportunities_none_addresses() -> None:
    # T1 is addressed by o3; S1 is a strength
    assert [i.id for i in unaddressed(suggestion_plan())] == ["W1", "O1"]


def test_suggestions_rank_by_cosine_plus_the_share_of_shared_terms() -> None:
    plan = suggestion_plan()
    o1, o2, o3 = (objective_text(o) for o in plan.objectives)
    space = space_of(
        [o1, o2, o3, W1.text, O1.text, T1.text],
        np.array(
            [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.6, 0.8, 0], [0, 0.6, 0.8], [0, 0, 1]],
            dtype=np.float32,
        ),
    )
    found = suggest_addresses(plan, space)
    # W1's terms: warranty, claim, twice, industry (4). o1 shares warranty and claim:
    # 0.6 + 0.3 x 2/4 = 0.75; o2 shares none: 0.8; o3: cosine 0, under the floor 0.3.
    # O1's terms: utility, buy, uptime; none shared: o3 0.8, o2 0.6; o1 0 is left out.
    assert [(s.item, s.objective, round(s.score, 6)) for s in found] == [
        ("W1", "o2", 0.8),
        ("W1", "o1", 0.75),
        ("O1", "o3", 0.8),
        ("O1", "o2", 0.6),
    ]
    assert found[1] == AddressSuggestion(
        "W1", "o1", "Cut warranty claims", found[1].score, ("warranty", "claim")
    )


def test_top_limits_each_items_suggestions_and_scores_stay_within_one() -> None:
    plan = suggestion_plan()
    o1, o2, o3 = (objective_text(o) for o in plan.objectives)
    space = space_of(
        [o1, o2, o3, W1.text, O1.text],
        np.array(
            [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 0, 1]],
            dtype=np.float32,
        ),
    )
    found = suggest_addresses(plan, space, top=1)
    # W1 against o1: cosine 1 + 0.3 x 2/4 = 1.15, clipped to 1
    assert [(s.item, s.objective, s.score) for s in found] == [("W1", "o1", 1.0), ("O1", "o3", 1.0)]


def test_no_suggestions_without_unaddressed_items_or_objectives() -> None:
    plan = suggestion_plan()
    space = space_of(["x"], np.array([[1.0]], dtype=np.float32))
    assert suggest_addresses(replace(plan, situation=(S1,)), space) == []
    assert suggest_addresses(replace(plan, objectives=()), space) == []
