"""Contributors awaiting their first data: the month it is due, and how a parent's progress
moves with a supporter's links, from hand-computed roll-ups."""

from __future__ import annotations

from datetime import date

import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.awaiting import awaited, first_actual_due, parent_moves
from hoshin.domain.model import Metric, Objective, Organization, Plan
from hoshin.domain.months import Month
from hoshin.domain.rollup import supporters_of

AS_OF = date(2026, 6, 10)


def m(text: str) -> Month:
    return Month.parse(text)


def huddles(key: str, actuals: dict[str, float]) -> Metric:
    """0 in 2026-01 to 100 by 2026-12: planned 100 * 4/11 = 36.4 in 2026-05."""
    done = {m(k): v for k, v in actuals.items()}
    return Metric(key, "Huddles", baseline=0, baseline_period=m("2026-01"), target=100,
                  target_period=m("2026-12"), actuals=done)  # fmt: skip


# B1 = A1 (50 in 2026-05: progress 0.5) and A2 (no actual: 0), weight 1 each: 0.25.
# T1 supports A2 with a metric due first in 2026-03 (quarterly from 2025-12), no actual.
PLAN = Plan(
    Organization("Clinic"),
    objectives=(
        Objective("B1", "b", "breakthrough"),
        Objective("A1", "a", "annual", supports={"B1": 1},
                  metrics=(huddles("h1", {"2026-05": 50}),)),
        Objective("A2", "a", "annual", supports={"B1": 1}, start=m("2026-02"),
                  metrics=(Metric("beds", "Beds", baseline=10, baseline_period=m("2026-05"),
                                  target=20, target_period=m("2026-12")),)),
        Objective("T1", "t", "team", supports={"A2": 1},
                  metrics=(Metric("audits", "Audits", baseline=1, baseline_period=m("2025-12"),
                                  target=4, target_period=m("2026-12"), frequency="quarterly"),)),
        Objective("T2", "t", "team", supports={"A1": 1}),  # unmeasured: left out
    ),
)  # fmt: skip
ANALYSIS = analyze(PLAN, AS_OF)
OBJECTIVES = {o.id: o for o in PLAN.objectives}
SUPPORTERS = supporters_of(PLAN.objectives)


def moves(
    key: str | None, supports: dict[str, float]
) -> list[tuple[str, float | None, float | None, bool, bool]]:
    found = parent_moves(key, "annual", supports, objectives=OBJECTIVES, supporters=SUPPORTERS,
                         results=ANALYSIS.objectives, metrics=ANALYSIS.metrics)  # fmt: skip
    return [(x.parent, x.before, x.after, x.awaiting, x.measured) for x in found]


def quarterly(baseline: str) -> Metric:
    return Metric("x", "x", baseline_period=m(baseline), frequency="quarterly")


# A fiscal year from January ends its quarters in March, June, September and December; one
# from April in June, September, December and March (domain.cadence). The first actual is
# due in the first such month after the baseline month (a monthly metric: the next month).
@pytest.mark.parametrize(
    ("metric", "start", "fiscal", "due"),
    [
        (Metric("x", "x", baseline_period=m("2026-05")), None, 1, "2026-06"),
        (Metric("x", "x", baseline_period=m("2026-05")), None, 4, "2026-06"),
        # January's year: after 2025-12 the quarter January-March ends in 2026-03.
        (quarterly("2025-12"), None, 1, "2026-03"),
        # After 2026-01 the same quarter, 2026-03 (not three months on, 2026-04).
        (quarterly("2026-01"), None, 1, "2026-03"),
        # April's year: after 2026-05 the quarter April-June ends in 2026-06 (not 2026-08,
        # which ends no quarter).
        (quarterly("2026-05"), None, 4, "2026-06"),
        # 2026-06 ends its quarter itself; the next, July-September, ends in 2026-09.
        (quarterly("2026-06"), None, 4, "2026-09"),
        # After 2026-03 (the last month of April's fiscal year): April-June, 2026-06.
        (quarterly("2026-03"), None, 4, "2026-06"),
        # After 2025-11: December's quarter of April's year is October-December, 2025-12.
        (quarterly("2025-11"), None, 4, "2025-12"),
        (Metric("x", "x", direction="maintain", minimum=4), m("2026-02"), 4, "2026-02"),
        (Metric("x", "x", baseline_period=m("2026-05"), actuals={m("2026-06"): 1}), None, 1,
         None),
    ],
)  # fmt: skip
def test_the_first_actual_is_due_in_the_first_month_due_after_the_baseline(
    metric: Metric, start: Month | None, fiscal: int, due: str | None
) -> None:
    found = first_actual_due(metric, start, fiscal_start=fiscal)
    assert (None if found is None else str(found)) == due


def test_an_objective_without_data_awaits_its_earliest_first_actual() -> None:
    """A2's beds are due first in 2026-06; below it T1's audits in 2026-03: the earliest.
    B1 has A1's data; A1 has data; T2 is unmeasured."""
    assert ANALYSIS.objectives["A2"].status == "no_data"
    found = {k: awaited(k, OBJECTIVES, SUPPORTERS, ANALYSIS.objectives, fiscal_start=1)
             for k in OBJECTIVES}  # fmt: skip
    assert {k: None if v is None else str(v) for k, v in found.items()} == {
        "B1": None, "A1": None, "A2": "2026-03", "T1": "2026-03", "T2": None,
    }  # fmt: skip


def test_a_fiscal_year_from_february_moves_a_quarterly_first_actual() -> None:
    """From February the quarters end in April, July, October and January: after T1's
    baseline 2025-12 the quarter November-January ends in 2026-01, before A2's 2026-06."""
    found = awaited("A2", OBJECTIVES, SUPPORTERS, ANALYSIS.objectives, fiscal_start=2)
    assert str(found) == "2026-01"


def test_a_new_objective_linked_to_b1_takes_it_from_25_to_17_percent_until_it_reports() -> None:
    """B1 now: (0.5 + 0) / 2 = 0.25; with a third supporter of weight 1 counted as 0 once
    it has a metric: 0.5 / 3 = 0.1667."""
    assert ANALYSIS.objectives["B1"].progress == pytest.approx(0.25)
    ((parent, before, after, counted, measured),) = moves(None, {"B1": 1.0})
    assert (parent, counted, measured) == ("B1", True, False)
    assert before == pytest.approx(0.25)
    assert after == pytest.approx(0.5 / 3)


def test_reweighting_and_unlinking_a_supporter_with_data_moves_its_parent() -> None:
    """A1 (0.5) at weight 3 with A2 (0) at 1: 1.5 / 4 = 0.375. Unlinked, B1 has only A2:
    progress 0, and it moves as the roll-up says, awaiting nothing of A1."""
    ((_, before, after, counted, _),) = moves("A1", {"B1": 3.0})
    assert before == pytest.approx(0.25)
    assert (after, counted) == (0.375, False)
    ((parent, before, after, counted, _),) = moves("A1", {})
    assert (parent, after, counted) == ("B1", 0.0, False)


def test_an_unmeasured_objective_counts_once_it_has_a_metric() -> None:
    """T2 moved from A1 to B1: A1 keeps only its own metric (0.5, unchanged); B1 would be
    (0.5 + 0 + 0) / 3 once T2 has a metric."""
    found = moves("T2", {"B1": 1.0})
    assert [(p, c, ms) for p, _, _, c, ms in found] == [("B1", True, False), ("A1", False, False)]
    assert found[0][2] == pytest.approx(0.5 / 3)
    assert found[1][1] == found[1][2] == pytest.approx(0.5)
