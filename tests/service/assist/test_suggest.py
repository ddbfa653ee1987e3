"""Parent suggestions and overlaps with the shipped model: a plan whose right parent is
clear, a candidate typed in a form, planted duplicates, and the overlap findings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.parents import Candidate, suggest_parents
from hoshin.domain.assist.space import joined
from hoshin.domain.assist.words import objective_text, plan_texts
from hoshin.domain.model import Metric, Objective, Organization, Person, Plan, Unit
from hoshin.domain.months import Month
from hoshin.errors import InvalidInput, NotFound
from hoshin.service.assist import suggest
from hoshin.service.assist.spaces import model_space

UNITS = (
    Unit("hq", "Headquarters", lead="ana"),
    Unit("machining", "Machining", parent="hq"),
    Unit("sales", "Sales", parent="hq"),
    Unit("safety", "Safety", parent="hq"),
)
PEOPLE = (
    Person("ana", "Ana", "hq"),
    Person("ivo", "Ivo", "machining"),
    Person("sol", "Sol", "sales"),
    Person("tam", "Tam", "safety"),
)


def objective(key: str, title: str, level: str, unit: str, owner: str, **more: object) -> Objective:
    return Objective(key, title, level, owner=owner, unit=unit, **more)  # type: ignore[arg-type]


SCRAP = Metric(
    "scrap",
    "Machining scrap",
    direction="decrease",
    unit="EUR k",
    baseline=120.0,
    baseline_period=Month.of(2025, 12),
    target=72.0,
    target_period=Month.of(2026, 12),
)
PLAN = Plan(
    Organization("Pumps"),
    units=UNITS,
    people=PEOPLE,
    objectives=(
        objective("B1", "Halve scrap and rework costs by 2029", "breakthrough", "hq", "ana"),
        objective("B2", "Double service revenue by 2029", "breakthrough", "hq", "ana"),
        objective("B3", "Zero lost-time injuries by 2028", "breakthrough", "hq", "ana"),
        # A1 is linked to B2 by mistake: the suggestion ignores it
        objective(
            "A1",
            "Cut machining scrap by 40%",
            "annual",
            "machining",
            "ivo",
            supports={"B2": 1.0},
            metrics=(SCRAP,),
        ),
        objective("A2", "Sell 300 new service contracts", "annual", "sales", "sol"),
        objective("A3", "Halve machining scrap", "annual", "safety", "tam"),
        objective("A4", "Hire 20 welders for the new plant", "annual", "sales", "sol"),
    ),
)


def test_the_right_parent_first_whatever_it_supports_now() -> None:
    found = suggest.parents(PLAN, "A1")
    assert [s.objective for s in found] == ["B1", "B2", "B3"]
    assert found[0].reasons[0].startswith("similar in meaning (")
    assert all(0 <= s.score <= 1 for s in found)


def test_an_unknown_objective_and_a_breakthrough() -> None:
    with pytest.raises(NotFound, match="no objective A9"):
        suggest.parents(PLAN, "A9")
    with pytest.raises(InvalidInput, match="no level above"):
        suggest.parents(PLAN, "B1")


def test_a_candidate_typed_in_a_form_is_embedded_into_a_given_space() -> None:
    space = model_space(plan_texts(PLAN))  # the plan's cached space knows no typed title
    candidate = Candidate("Sell more spare parts and service visits", "annual", unit="sales")
    assert candidate.text() not in space
    (best,) = suggest.parents_for(PLAN, candidate, top=1, space=space)
    assert best.objective == "B2"


def test_the_lexical_fallback_is_computed_again_with_the_candidate() -> None:
    space = lexical_space(plan_texts(PLAN))
    candidate = Candidate("Fewer lost-time injuries in the plant", "annual")
    (best,) = suggest.parents_for(PLAN, candidate, top=1, space=space)
    # shares lost, time, injury with B3 (and "similar in wording"): nothing else does
    assert best.objective == "B3"
    assert best.reasons[0].startswith("similar in wording (")


def test_a_planted_duplicate_in_another_unit_and_no_false_one() -> None:
    scan = suggest.overlap_scan(PLAN)
    # A1 "Cut machining scrap by 40%. Machining scrap" and A3 "Halve machining scrap"
    # (Safety): cosine 0.77; the others are far apart (0.35 or less)
    assert [(o.first, o.second) for o in scan.overlaps] == [("A1", "A3")]
    assert scan.overlaps[0].similarity >= 0.65 and scan.total == 1
    assert suggest.overlaps(PLAN) == list(scan.overlaps)
    assert suggest.overlaps(PLAN, threshold=0.99) == []


def test_overlap_findings_and_check_assist() -> None:
    (finding,) = suggest.overlap_findings(suggest.overlaps(PLAN))
    assert (finding.code, finding.severity, finding.subject) == ("overlap", "info", "A3")
    assert finding.message.startswith("overlaps A1 'Cut machining scrap by 40%' (similarity 0.")
    assert finding.message.endswith(
        "merge A3 into A1 (same annual level, in Machining and in Safety)"
    )
    analysis = analyze(PLAN, date(2026, 6, 15))
    assisted = suggest.with_overlaps(PLAN, analysis)
    assert assisted.findings == [*analysis.findings, finding]


def test_the_space_knows_what_the_ranking_reads() -> None:
    # every objective text of the two levels ranked and read: the parents' and siblings'
    space = model_space(plan_texts(PLAN))
    assert all(objective_text(o) in space for o in PLAN.objectives)


def test_the_supporters_are_kept_for_the_plan_and_its_space() -> None:
    space = model_space(plan_texts(PLAN))
    candidate = Candidate("Sell spare parts online", "annual")
    first = suggest._supporters(PLAN, candidate, space)
    assert first is not None and suggest._supporters(PLAN, candidate, space) is first
    # the one annual objective that supports something: A1, row 0, supports B2 (parent 1)
    assert list(first.ids) == ["A1"] and first.links.tolist() == [[1], [0]]
    edited = replace(PLAN, objectives=PLAN.objectives[:-1])  # a new plan: made again
    assert suggest._supporters(edited, candidate, space) is not first
    assert suggest._supporters(PLAN, candidate, lexical_space(plan_texts(PLAN))) is None
    # the kept ones rank as the ones made for one ask
    assert suggest.parents_for(PLAN, candidate, space=space) == suggest_parents(
        PLAN, candidate, joined(space, model_space([candidate.text()]))
    )
