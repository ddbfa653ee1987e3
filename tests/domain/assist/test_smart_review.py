"""The SMART review: a hand-made plan where each criterion fails for a known reason, and
one objective that passes all five. As of 2026-06-15; fiscal years are calendar years."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.analysis import analyze
from hoshin.domain.assist.review import (
    CRITERIA,
    Failing,
    SmartReview,
    review_objectives,
    review_record,
)
from hoshin.domain.model import (
    LEVELS,
    Action,
    Direction,
    Metric,
    Objective,
    Organization,
    Plan,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.errors import NotFound

AS_OF = date(2026, 6, 15)


def month(text: str) -> Month:
    return Month.parse(text)


def metric(key: str, name: str, **fields: object) -> Metric:
    """A decreasing metric from 24 in 2025-12 to 20 in 2026-12, no actuals, unless told."""
    values: dict[str, object] = {
        "direction": "decrease",
        "baseline": 24.0,
        "baseline_period": month("2025-12"),
        "target": 20.0,
        "target_period": month("2026-12"),
    }
    values.update(fields)
    return Metric(id=key, name=name, **values)  # type: ignore[arg-type]


def objective(key: str, title: str, **fields: object) -> Objective:
    """An annual objective of 2026 owned by p1 that supports B1, unless told."""
    values: dict[str, object] = {
        "level": "annual",
        "owner": "p1",
        "start": month("2026-01"),
        "end": month("2026-12"),
        "supports": {"B1": 1.0},
    }
    values.update(fields)
    return Objective(id=key, title=title, **values)  # type: ignore[arg-type]


BREAKTHROUGH = objective(
    "B1",
    "Halve warranty claims by 2029",
    level="breakthrough",
    end=month("2029-12"),
    supports={},
    metrics=(metric("MB", "Warranty claims", target=12.0, target_period=month("2029-12")),),
)
# Passes all five: a number in its title, a metric, no finding, under B1, ends with B1's year.
PASSING = objective(
    "A1",
    "Cut warranty claims from 24 to 20 per 1,000 pumps in 2026",
    metrics=(metric("M1", "Warranty claims per 1,000 pumps"),),
)
VAGUE_UNMEASURED = objective("A2", "Improve customer service")
ORPHAN = objective(
    "A3", "Cut scrap from 8 to 4 % in 2026", supports={}, metrics=(metric("M3", "Scrap"),)
)
UNDER_ORPHAN = objective(
    "T1",
    "Train 40 technicians in root-cause analysis",
    level="team",
    end=month("2026-09"),
    supports={"A3": 1.0},
    metrics=(metric("M4", "Technicians trained", direction="increase", baseline=0.0, target=40.0),),
)
NO_END = objective(
    "A4",
    "Raise on-time delivery from 82 to 95 %",
    end=None,
    metrics=(metric("M5", "On-time delivery", direction="increase", baseline=82.0, target=95.0),),
)
ENDS_LATE = objective(
    "T2",
    "Run 12 supplier audits",
    level="team",
    end=month("2027-06"),
    supports={"A1": 1.0},
    metrics=(metric("M6", "Supplier audits", direction="increase", baseline=0.0, target=12.0),),
)
# Behind plan: 50 in 2025-06, 52 in 2026-05 (0.18 a month over 11 months) and 100 needed by
# 2026-12: (100 - 52) / 7 = 6.86 a month, over twice 0.18: the engine's unachievable_rate.
SLOW = objective(
    "A5",
    "Raise first-pass yield from 50 to 100 units a shift",
    metrics=(
        metric(
            "M7",
            "First-pass yield",
            direction="increase",
            baseline=50.0,
            baseline_period=month("2025-06"),
            target=100.0,
            actuals={month("2025-06"): 50.0, month("2026-05"): 52.0},
        ),
    ),
)
# Its one action needs 30 days from today (2026-06-15 .. 2026-07-14) and is due 2026-06-30:
# 14 days late.
LATE_ACTIONS = objective(
    "A6", "Open 2 service centres in 2026", metrics=(metric("M8", "Service centres open"),)
)
ACTIONS = (
    Action(id="X1", title="Retrain the line", owner="p1", serves=("A5",), moves=("M7",)),
    Action(
        id="X2",
        title="Lease the sites",
        owner="p1",
        serves=("A6",),
        due=date(2026, 6, 30),
        duration_days=30,
    ),
)
PLAN = Plan(
    organization=Organization(name="Pumps Ltd"),
    vision=Vision(statement="The pump nobody sends back", horizon=2030),
    objectives=(
        BREAKTHROUGH,
        PASSING,
        VAGUE_UNMEASURED,
        ORPHAN,
        UNDER_ORPHAN,
        NO_END,
        ENDS_LATE,
        SLOW,
        LATE_ACTIONS,
    ),
    actions=ACTIONS,
)


def reviews(plan: Plan = PLAN, **options: object) -> dict[str, SmartReview]:
    found = review_objectives(plan, analyze(plan, AS_OF), **options)  # type: ignore[arg-type]
    return {item.objective: item for item in found}


def failing(key: str, plan: Plan = PLAN) -> list[tuple[str, str]]:
    """(criterion, code) of what ``key`` fails."""
    return [(item.criterion, item.code) for item in reviews(plan)[key].failing]


def test_every_objective_is_reviewed_in_plan_order() -> None:
    found = review_objectives(PLAN, analyze(PLAN, AS_OF))
    assert [item.objective for item in found] == [o.id for o in PLAN.objectives]


def test_an_objective_with_a_number_a_metric_a_parent_and_an_end_passes_all() -> None:
    review = reviews()["A1"]
    assert review.failing == ()
    assert review.passes == CRITERIA


def test_a_vague_title_without_a_metric_is_neither_specific_nor_measurable() -> None:
    review = reviews()["A2"]
    assert failing("A2") == [("specific", "vague_title"), ("measurable", "unmeasured")]
    assert review.passes == ("achievable", "relevant", "time_bound")
    specific, measurable = review.failing
    assert "'Improve'" in specific.problem
    # no metric and no catalogue: the shape of a specific title, ending with A2's end
    assert specific.suggestion == (
        "replace 'Improve' with what changes by how much, e.g. "
        "'raise or cut <what you count> from <now> to <target> by 2026-12'"
    )
    assert measurable.suggestion.endswith("with a baseline and a target by 2026-12")


def test_the_target_is_asked_by_the_objectives_own_end() -> None:
    ends_in_september = replace(VAGUE_UNMEASURED, end=month("2026-09"))
    review = reviews(replace(PLAN, objectives=(BREAKTHROUGH, ends_in_september)))["A2"]
    specific, measurable = review.failing
    assert specific.suggestion.endswith("by 2026-09'")
    assert measurable.suggestion.endswith("with a baseline and a target by 2026-09")


def test_a_vague_title_with_a_metric_is_shown_the_title_its_metric_makes() -> None:
    vague = replace(PASSING, title="Improve warranty claims")
    review = reviews(replace(PLAN, objectives=(BREAKTHROUGH, vague)))["A1"]
    assert [item.code for item in review.failing] == ["vague_title"]
    # M1 falls from 24 to 20 by 2026-12
    assert review.failing[0].suggestion.endswith(
        "'cut warranty claims per 1,000 pumps from 24 to 20 by 2026-12'"
    )


def test_a_vague_title_with_a_band_is_shown_the_band() -> None:
    band = Metric(id="M1", name="First-pass yield", direction="maintain", minimum=96.0, unit="%")
    vague = replace(PASSING, title="Optimise first-pass yield", metrics=(band,))
    review = reviews(replace(PLAN, objectives=(BREAKTHROUGH, vague)))["A1"]
    assert review.failing[0].suggestion == (
        "replace 'Optimise' with what changes by how much, e.g. "
        "'keep first-pass yield at or above 96 %'"
    )


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    direction: Direction


CSAT = Indicator("Customer satisfaction (CSAT)", "%", "increase")


def test_a_metric_from_the_catalogue_fills_both_suggestions() -> None:
    asked: list[str] = []

    def measure_for(title: str) -> Indicator:
        asked.append(title)
        return CSAT

    review = reviews(only="A2", measure_for=measure_for)["A2"]
    specific, measurable = review.failing
    assert specific.suggestion.endswith(
        "'raise customer satisfaction (CSAT) from <now> to <target> % by 2026-12'"
    )
    assert measurable.suggestion == (
        "measure it with 'Customer satisfaction (CSAT)' from the catalogue (in %, higher is "
        "better), with a baseline and a target"
    )
    assert asked == ["Improve customer service", "Improve customer service"]


def test_an_orphan_is_not_relevant_and_neither_is_what_supports_it() -> None:
    assert failing("A3") == [("relevant", "orphan")]
    assert failing("T1") == [("relevant", "unaligned")]
    under = reviews()["T1"].failing[0]
    assert under.problem == "it supports A3, which does not trace up to a breakthrough objective"
    assert reviews()["A3"].failing[0].suggestion == (
        "link it to the breakthrough objective it serves"
    )


@dataclass(frozen=True)
class Ranked:
    objective: str
    title: str
    reasons: tuple[str, ...]


def test_a_ranked_parent_is_the_suggested_link() -> None:
    def parent_for(child: Objective) -> Ranked:
        assert child.id == "A3"
        return Ranked("B1", BREAKTHROUGH.title, ("shares the term claim",))

    review = reviews(only="A3", parent_for=parent_for)["A3"]
    assert review.failing[0].suggestion == (
        "link it to B1 'Halve warranty claims by 2029' (shares the term claim)"
    )


def test_no_end_month_is_not_time_bound_and_the_fiscal_year_end_is_suggested() -> None:
    assert failing("A4") == [("time_bound", "no_deadline")]
    # annual, under B1 (ends 2029-12): the end of the fiscal year 2026 comes first
    assert (
        reviews()["A4"].failing[0].suggestion == "end it by 2026-12 (the end of fiscal year 2026)"
    )


def test_a_team_objective_without_an_end_is_offered_its_parents_end() -> None:
    open_ended = replace(ENDS_LATE, end=None)
    plan = replace(PLAN, objectives=(BREAKTHROUGH, PASSING, open_ended))
    assert reviews(plan)["T2"].failing[0].suggestion == (
        "end it by 2026-12 (the end of A1, which it supports)"
    )


def test_a_fiscal_year_from_april_ends_in_march() -> None:
    plan = replace(PLAN, organization=Organization(name="Pumps Ltd", fiscal_year_start=4))
    # 2026-06-15 is in fiscal year 2026: 2026-04 .. 2027-03
    assert reviews(plan)["A4"].failing[0].suggestion == (
        "end it by 2027-03 (the end of fiscal year 2026)"
    )


def test_a_breakthrough_without_an_end_is_offered_the_vision_horizon() -> None:
    plan = replace(PLAN, objectives=(replace(BREAKTHROUGH, end=None),))
    assert reviews(plan)["B1"].failing[0].suggestion == "end it by 2030-12 (the vision's horizon)"
    plan = replace(plan, vision=Vision())
    # no horizon: fiscal year 2026 + 3 = 2029
    assert reviews(plan)["B1"].failing[0].suggestion == (
        "end it by 2029-12 (the end of fiscal year 2029, 3 years on)"
    )


def test_ending_after_what_it_supports_is_not_time_bound() -> None:
    assert failing("T2") == [("time_bound", "late_end")]
    late = reviews()["T2"].failing[0]
    assert late.problem == (
        "it ends 2027-06, after the end of A1 'Cut warranty claims from 24 to 20 per 1,000 "
        "pumps in 2026' (2026-12), which it supports"
    )
    assert late.suggestion.startswith("end it by 2026-12")


def test_a_breakthrough_ending_after_the_vision_horizon_is_not_time_bound() -> None:
    plan = replace(PLAN, objectives=(replace(BREAKTHROUGH, end=month("2031-12")),))
    assert failing("B1", plan) == [("time_bound", "past_horizon")]
    assert reviews(plan)["B1"].failing[0].suggestion.startswith("end it by 2030-12")


def test_a_breakthrough_may_inspire_without_a_number() -> None:
    plan = replace(PLAN, objectives=(replace(BREAKTHROUGH, title="Be world-class in service"),))
    assert reviews(plan)["B1"].failing == ()


def test_a_pace_beyond_the_metrics_history_is_not_achievable() -> None:
    assert failing("A5") == [("achievable", "unachievable_rate")]
    slow = reviews()["A5"].failing[0]
    assert "must rise 6.86 a month" in slow.problem
    assert "moved 0.182 a month" in slow.problem  # (52 - 50) / 11
    assert slow.suggestion.startswith("the actions moving it (X1) must change its pace")


def test_a_metric_no_action_moves_is_told_to_get_one() -> None:
    plan = replace(PLAN, actions=())
    assert (
        reviews(plan)["A5"]
        .failing[0]
        .suggestion.startswith("no open action moves M7: plan one that changes its pace")
    )


def test_an_action_chain_that_cannot_finish_is_not_achievable() -> None:
    assert failing("A6") == [("achievable", "infeasible_schedule")]
    late = reviews()["A6"].failing[0]
    assert late.problem == (
        "its actions cannot finish in time: 14 days late on the critical path X2"
    )


def test_one_objective_alone_is_reviewed_as_in_the_whole_plan() -> None:
    whole = reviews()
    for key in whole:
        assert reviews(only=key) == {key: whole[key]}


def test_some_objectives_are_reviewed_in_the_order_asked_as_in_the_whole_plan() -> None:
    whole = reviews()
    found = review_objectives(PLAN, analyze(PLAN, AS_OF), only=["T1", "A3", "A1"])
    assert found == [whole["T1"], whole["A3"], whole["A1"]]


def test_an_unknown_objective_is_not_found() -> None:
    with pytest.raises(NotFound, match="no objective 'Z9'"):
        reviews(only="Z9")
    with pytest.raises(NotFound, match="no objective 'Z9'"):
        reviews(only=["A1", "Z9"])


def test_the_record_says_what_passes_and_what_fails() -> None:
    assert review_record(reviews()["A4"]) == {
        "objective": "A4",
        "title": "Raise on-time delivery from 82 to 95 %",
        "passes": ["specific", "measurable", "achievable", "relevant"],
        "failing": [
            {
                "criterion": "time_bound",
                "code": "no_deadline",
                "problem": "it has no end month, so nothing can be planned back from its deadline",
                "suggestion": "end it by 2026-12 (the end of fiscal year 2026)",
            }
        ],
        "rewrite": None,
    }


def test_a_failing_criterion_is_never_also_a_pass() -> None:
    for review in reviews().values():
        failed = {item.criterion for item in review.failing}
        assert failed.isdisjoint(review.passes)
        assert failed | set(review.passes) == set(CRITERIA)


@st.composite
def linked_plans(draw: st.DrawFn) -> Plan:
    """Objectives at random levels, each supporting some of those before it (no cycle)."""
    count = draw(st.integers(min_value=1, max_value=12))
    objectives: list[Objective] = []
    for at in range(count):
        level = draw(st.sampled_from(LEVELS))
        earlier = [o.id for o in objectives]
        chosen = (
            draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
        )
        objectives.append(
            objective(f"O{at}", f"Objective {at}", level=level, supports=dict.fromkeys(chosen, 1.0))
        )
    return Plan(organization=Organization(name="Any"), objectives=tuple(objectives))


@given(linked_plans())
def test_the_relevant_share_is_the_engines_alignment_coverage(plan: Plan) -> None:
    analysis = analyze(plan, AS_OF)
    below = [
        review
        for review, o in zip(review_objectives(plan, analysis), plan.objectives, strict=True)
        if o.level != "breakthrough"
    ]
    if below:
        relevant = sum("relevant" in review.passes for review in below)
        assert relevant / len(below) == pytest.approx(analysis.summary.alignment_coverage)


def test_failing_is_a_plain_value() -> None:
    assert Failing("specific", "p", "s") == Failing("specific", "p", "s", "")
