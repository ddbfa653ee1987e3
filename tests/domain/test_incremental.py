"""Reanalysis after new actuals: the same answer as analysing the changed plan again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.incremental import ActualChange, index_plan, reanalyze, with_actuals
from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.planfile import read_plan

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
MID_JUNE = date(2026, 6, 15)


def recorded(plan: Plan, analysis: Analysis, changes: list[ActualChange]) -> tuple[Plan, Analysis]:
    index = index_plan(plan)
    changed = with_actuals(plan, index, changes)
    return changed, reanalyze(changed, index, analysis, [key for key, _, _ in changes])


def test_a_june_actual_on_plan_turns_its_objective_and_those_above_it() -> None:
    """examples/small.yaml at 2026-06-15 (tests/cli/test_check.py works it out): T1 red,
    A1 and B1 amber. Record trained = 25 for 2026-06.

    trained: 0 -> 40 over 8 months; June is 5 months in: planned 25, progress 25/40 =
      0.625 = planned progress -> deviation 0 -> green; so T1 green (0.625 | 0.625).
    A1 = huddles (0.6 | 0.5) and T1 (0.625 | 0.625): 0.6125 vs 0.5625 -> +0.05 -> green.
    B1 = falls (0.6 | 2/3) and A1: 0.60625 vs 0.61458 -> -0.0083 -> amber.
    """
    before = analyze(SMALL, MID_JUNE)
    plan, after = recorded(SMALL, before, [("trained", Month.of(2026, 6), 25.0)])
    assert [after.objectives[key].status for key in ("T1", "A1", "B1")] == [
        "green",
        "green",
        "amber",
    ]
    assert after.objectives["A1"].progress == pytest.approx(0.6125)
    assert after.objectives["B1"].progress == pytest.approx(0.60625)
    assert after.summary.by_status == {
        "green": 2, "amber": 1, "red": 0, "no_data": 0, "unmeasured": 0
    }  # fmt: skip
    assert after == analyze(plan, MID_JUNE)


def test_a_red_june_without_countermeasure_is_found_in_its_place() -> None:
    """Record falls = 30 for 2026-06 as well. Planned for June (13 of 24 months):
    40 * (10/40)**(13/24) = 18.88; deviation (30 - 18.88)/(10 - 40) = -0.37 -> red, and no
    countermeasure answers falls in 2026-06: a missing_countermeasure warning, which comes
    before the infeasible_schedule warning (its check runs first). B1 = falls (0.3333 |
    0.7041) and A1 (0.6125 | 0.5625): 0.4729 vs 0.6333 -> red.
    """
    before = analyze(SMALL, MID_JUNE)
    june = Month.of(2026, 6)
    plan, after = recorded(SMALL, before, [("trained", june, 25.0), ("falls", june, 30.0)])
    assert after.metrics["falls"].planned == pytest.approx(18.877, abs=1e-3)
    assert after.objectives["B1"].status == "red"
    assert after.objectives["B1"].progress == pytest.approx(0.47292, abs=1e-5)
    assert [(f.code, f.subject) for f in after.findings] == [
        ("missing_countermeasure", "falls"),
        ("infeasible_schedule", "B1"),
    ]
    assert after == analyze(plan, MID_JUNE)


def test_the_plan_keeps_everything_else_and_the_actuals_stay_in_month_order() -> None:
    plan, _ = recorded(SMALL, analyze(SMALL, MID_JUNE), [("falls", Month.of(2026, 1), 33.0)])
    falls = plan.objectives[0].metrics[0]
    assert list(falls.actuals) == [Month.of(2026, m) for m in (1, 3, 4, 5)]
    assert plan.objectives[1:] == SMALL.objectives[1:]
    assert plan.actions is SMALL.actions


DEMO_DAY = date(2026, 11, 15)
DEMO = demo_plan(DEMO_DAY)
DEMO_METRICS = [m.id for m in DEMO.metrics()]
changes = st.lists(
    st.tuples(
        st.sampled_from(DEMO_METRICS),
        st.integers(min_value=-30, max_value=6).map(lambda k: Month.of_date(DEMO_DAY) + k),
        st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(changes, min_size=1, max_size=4))
def test_reanalysis_equals_a_fresh_analysis_after_any_sequence_of_actuals(
    steps: list[list[ActualChange]],
) -> None:
    # The demo plan (40 objectives, every kind of finding) and random check-ins, a few at a
    # time: after each step the kept analysis equals analysing the whole plan again.
    plan, analysis = DEMO, analyze(DEMO, DEMO_DAY)
    for step in steps:
        plan, analysis = recorded(plan, analysis, step)
        assert analysis == analyze(plan, DEMO_DAY)
