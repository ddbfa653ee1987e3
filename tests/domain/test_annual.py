"""The annual review's pure rules, on examples/small.yaml and small hand-made values.

small.yaml (fiscal years open in January) judged as of 2026-12-31, the last day of fiscal
year 2026: every latest actual is May's (tests/cli/test_check.py), so
  huddles 60 vs planned 50 -> green, progress 0.6; target 100 in 2026-10
  trained 10 vs planned 20 -> red, progress 0.25; target 40 in 2026-09
  falls 22 vs planned 20 -> amber, progress 0.6; target 40 * 0.5**2 = 10 in 2027-05
  T1 = trained -> red; A1 = huddles and T1, weight 1 each: (0.6 + 0.25) / 2 = 0.425
  against (0.5 + 0.5) / 2 = 0.5 -> amber. A1 is the year's only annual objective, and
  unfinished: it is carried forward into 2027.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.annual import (
    active_in,
    carry_forward,
    draft_metric,
    draft_objective,
    finished,
    fiscal_year,
    fiscal_year_of,
    metric_year,
    review_order,
    undated,
    unfinished,
)
from hoshin.domain.model import Metric, Objective
from hoshin.domain.months import Month
from hoshin.domain.rollup import RollUp
from hoshin.domain.validation import plan_problems
from hoshin.planfile import read_plan

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
YEAR_END = date(2026, 12, 31)


def m(text: str) -> Month:
    return Month.parse(text)


def objective(key: str) -> Objective:
    return next(o for o in SMALL.objectives if o.id == key)


@pytest.mark.parametrize(
    ("day", "start", "year", "first", "last_day"),
    [
        (date(2027, 1, 15), 1, 2027, "2027-01", date(2027, 12, 31)),
        (date(2026, 3, 31), 4, 2025, "2025-04", date(2026, 3, 31)),  # April opens the year
        (date(2026, 4, 1), 4, 2026, "2026-04", date(2027, 3, 31)),
    ],
)
def test_fiscal_year_of_a_day_opens_at_the_fiscal_start(
    day: date, start: int, year: int, first: str, last_day: date
) -> None:
    found = fiscal_year_of(day, start)
    assert (found.year, found.first, found.last_day) == (year, m(first), last_day)
    assert found.next() == fiscal_year(year + 1, start)


@pytest.mark.parametrize(
    ("start", "end", "year", "fiscal_start", "active"),
    [
        ("2026-01", "2026-12", 2026, 1, True),  # A1 in its own year
        ("2026-01", "2026-12", 2027, 1, False),
        ("2026-01", "2026-09", 2026, 4, True),  # T1 overlaps 2026-04..2027-03
        ("2025-04", "2026-03", 2026, 4, False),  # ends the month before 2026-04
        ("2027-03", "2028-12", 2026, 4, True),  # starts in the year's last month
        (None, None, 2030, 1, True),  # no dates: always active
    ],
)
def test_active_when_start_to_end_overlaps_the_year(
    start: str | None, end: str | None, year: int, fiscal_start: int, active: bool
) -> None:
    dated = Objective(
        "X", "x", "annual", start=None if start is None else m(start),
        end=None if end is None else m(end),
    )  # fmt: skip
    assert active_in(dated, fiscal_year(year, fiscal_start)) is active


@pytest.mark.parametrize(
    ("progress", "status", "done"),
    [(1.0, "green", True), (0.425, "amber", False), (1.0, "amber", False),
     # on plan by its latest data (say November's, planned 0.9): achieved, not carried
     (0.9, "green", True), (None, "no_data", False), (None, "unmeasured", False)],
)  # fmt: skip
def test_finished_means_green_at_the_years_end(
    progress: float | None, status: str, done: bool
) -> None:
    assert finished(RollUp("annual", progress, 1.0, status)) is done  # type: ignore[arg-type]


def test_review_order_puts_breakthrough_then_annual_first() -> None:
    team, annual, breakthrough = objective("T1"), objective("A1"), objective("B1")
    assert [o.id for o in review_order([team, annual, breakthrough])] == ["B1", "A1", "T1"]


def test_year_end_result_of_each_metric_against_its_target() -> None:
    analysis = analyze(SMALL, YEAR_END)
    huddles = metric_year(objective("A1").metrics[0], analysis.metrics["huddles"])
    assert (huddles.result.current, huddles.result.current_period) == (60, m("2026-05"))
    assert (huddles.result.planned, huddles.target, huddles.reached) == (50, 100, False)
    falls = metric_year(objective("B1").metrics[0], analysis.metrics["falls"])
    assert falls.target == pytest.approx(10)
    assert falls.result.status == "amber"


def test_only_unfinished_annual_objectives_are_carried_forward() -> None:
    """A1 (0.425, amber) is unfinished; B1 is a breakthrough and T1 a team objective."""
    analysis = analyze(SMALL, YEAR_END)
    assert analysis.objectives["A1"].progress == pytest.approx(0.425)
    year = fiscal_year(2026, 1)
    assert [o.id for o in unfinished(list(SMALL.objectives), analysis.objectives, year)] == ["A1"]
    done = dict(analysis.objectives, A1=RollUp("annual", 1.0, 1.0, "green"))
    assert unfinished(list(SMALL.objectives), done, year) == []
    assert unfinished(list(SMALL.objectives), analysis.objectives, fiscal_year(2027, 1)) == []


def test_carry_forward_a1_into_2027_from_the_latest_actual() -> None:
    """huddles: latest 60 (2026-05) is the new baseline as of 2026-12; its target period
    2026-10 lies before 2027-01, so the target 100 moves to 2027-12."""
    draft = carry_forward(objective("A1"), fiscal_year(2026, 1))
    assert (draft.source, draft.id, draft.title) == (
        "A1", "A1-2027", "Run a daily fall-risk huddle on 100% of ward days",
    )  # fmt: skip
    assert (draft.owner, draft.unit, dict(draft.supports)) == ("ben", "ward-a", {"B1": 1.0})
    assert (draft.start, draft.end) == (m("2027-01"), m("2027-12"))
    (huddles,) = draft.metrics
    assert (huddles.id, huddles.name, huddles.direction) == (
        "huddles-2027",
        "Ward days with a huddle",
        "increase",
    )
    assert (huddles.baseline, huddles.baseline_period) == (60, m("2026-12"))
    assert (huddles.target, huddles.target_period) == (100, m("2027-12"))


def test_carry_forward_keeps_a_target_period_still_ahead_and_compounds_a_rate() -> None:
    """falls halves each year: 40 in 2025-05 -> 10 in 2027-05 (still ahead of 2027-01,
    kept); latest 22 (2026-05) is the baseline of 2026-12."""
    carried = replace(objective("A1"), metrics=objective("B1").metrics)
    (falls,) = carry_forward(carried, fiscal_year(2026, 1)).metrics
    assert (falls.baseline, falls.baseline_period) == (22, m("2026-12"))
    assert falls.target == pytest.approx(10)
    assert (falls.target_period, falls.trajectory) == (m("2027-05"), "compound")


def test_carry_forward_without_actuals_or_with_a_band() -> None:
    """No actual: the old baseline stays. A maintain band is copied as it is."""
    quiet = Metric("q", "Quiet", baseline=5, baseline_period=m("2026-01"), target=9,
                   target_period=m("2026-06"))  # fmt: skip
    band = Metric("b", "Band", direction="maintain", minimum=90, maximum=110,
                  actuals={m("2026-11"): 95})  # fmt: skip
    carried = Objective("A9", "Keep it", "annual", metrics=(quiet, band))
    first, second = carry_forward(carried, fiscal_year(2026, 1)).metrics
    assert (first.baseline, first.baseline_period, first.target, first.target_period) == (
        5, m("2026-01"), 9, m("2027-12"),
    )  # fmt: skip
    assert (second.direction, second.minimum, second.maximum) == ("maintain", 90, 110)
    assert (second.baseline, second.target_period) == (None, None)


def a_year(metric: Metric, *, end: str = "2026-12") -> Objective:
    """An annual objective of 2026 measured by ``metric``."""
    return Objective("A2", "Raise yield by Dec 2026", "annual", start=m("2026-01"), end=m(end),
                     metrics=(metric,))  # fmt: skip


def yield_metric(actual: float, *, target: float = 96, until: str = "2026-12") -> Metric:
    """First-pass yield from 91 (2025-12) to ``target`` by ``until``; ``actual`` in 2026-11."""
    return Metric(
        "fpy", "First-pass yield", "increase", unit="%", baseline=91, baseline_period=m("2025-12"),
        target=target, target_period=m(until), actuals={m("2026-11"): actual},
    )  # fmt: skip


def test_green_and_later_ending_annual_objectives_are_not_carried() -> None:
    """A2 green (on plan by November, 0.95 done): achieved. A3 amber but ending 2027-06:
    it goes on into 2027. A4 amber and ending 2026-12: carried."""
    objectives = [a_year(yield_metric(96)), replace(a_year(yield_metric(93)), id="A3",
                  end=m("2027-06")), replace(a_year(yield_metric(93)), id="A4")]  # fmt: skip
    results = {
        "A2": RollUp("annual", 0.95, 0.92, "green"),
        "A3": RollUp("annual", 0.4, 0.6, "red"),
        "A4": RollUp("annual", 0.4, 0.6, "red"),
    }
    assert [o.id for o in unfinished(objectives, results, fiscal_year(2026, 1))] == ["A4"]


def test_a_metric_that_reached_its_target_is_not_carried() -> None:
    """fpy 96 in 2026-11 = its target 96: as a draft its baseline would equal its target
    (the demo's A2 draft that could not be created); the draft keeps the other metric."""
    other = replace(yield_metric(93), id="scrap", name="Scrap")
    objective = replace(a_year(yield_metric(96)), metrics=(yield_metric(96), other))
    draft = carry_forward(objective, fiscal_year(2026, 1))
    assert [d.id for d in draft.metrics] == ["scrap-2027"]
    assert (draft.metrics[0].baseline, draft.metrics[0].target) == (93, 96)


def test_a_target_beyond_next_year_becomes_next_years_point_on_the_trajectory() -> None:
    """fpy 91 (2025-12) to 99 by 2029-12, linear over 48 months: 2027-12 lies 24 months
    on, so its planned value is 91 + 8 * 24 / 48 = 95; from 93 (2026-11) toward 95."""
    draft = carry_forward(a_year(yield_metric(93, target=99, until="2029-12")),
                          fiscal_year(2026, 1))  # fmt: skip
    (fpy,) = draft.metrics
    assert (fpy.baseline, fpy.baseline_period) == (93, m("2026-12"))
    assert fpy.target == pytest.approx(95)
    assert fpy.target_period == m("2027-12")


def test_a_metric_already_past_next_years_point_keeps_its_final_target() -> None:
    """The same course with 97 in 2026-11: beyond 2027-12's planned 95, so the draft aims
    at the final 99 by 2029-12 (a target of 95 would lie behind its baseline)."""
    draft = carry_forward(a_year(yield_metric(97, target=99, until="2029-12")),
                          fiscal_year(2026, 1))  # fmt: skip
    (fpy,) = draft.metrics
    assert (fpy.baseline, fpy.target, fpy.target_period) == (97, 99, m("2029-12"))


@pytest.mark.parametrize(
    ("title", "undated_title"),
    [
        ("Raise yield from 91% to 96% by Dec 2026", "Raise yield from 91% to 96%"),
        ("Keep 4 to 6 weeks of stock in every month of 2026", "Keep 4 to 6 weeks of stock"),
        ("Run a huddle on 100% of ward days in 2026", "Run a huddle on 100% of ward days"),
        ("Zero lost-time injuries (2026)", "Zero lost-time injuries"),
        ("Zero lost-time injuries (FY2026)", "Zero lost-time injuries"),
        ("Open the new line by the end of 2026.", "Open the new line."),
        ("Open the new line by 2026-09, on budget", "Open the new line, on budget"),
        ("Open the new line by September 2026", "Open the new line"),
        ("Open the new line by Q3 2026", "Open the new line"),
        ("Cut WIP to 8 days by Mar 2027", "Cut WIP to 8 days by Mar 2027"),  # not this year
        ("Win 2026 customers by Dec 2026", "Win 2026 customers"),  # a count, not a date
        ("In 2026", "In 2026"),  # nothing would be left
    ],
)  # fmt: skip
def test_undated_drops_the_years_date_from_a_title(title: str, undated_title: str) -> None:
    assert undated(title, fiscal_year(2026, 1)) == undated_title


def test_a_fiscal_year_over_two_calendar_years_drops_both() -> None:
    """Fiscal 2026 opening in April runs 2026-04 to 2027-03: "by Mar 2027" is its date."""
    assert undated("Cut WIP to 8 days by Mar 2027", fiscal_year(2026, 4)) == "Cut WIP to 8 days"


def test_every_default_draft_of_the_demo_makes_a_valid_plan() -> None:
    """The demo of 2026-12-05 judged at 2026-12-31 (November's actuals): A2 (fpy 96 = its
    target), A3, A5, A8 and A9 are green, so only the amber A1, A4, A6 and the red A7 are
    carried, and the plan with their drafts, untouched, has no problem."""
    plan = demo_plan(date(2026, 12, 5))
    year = fiscal_year(2026, plan.organization.fiscal_year_start)
    results = analyze(plan, year.last_day).objectives
    drafts = [carry_forward(o, year) for o in unfinished(list(plan.objectives), results, year)]
    assert [d.source for d in drafts] == ["A1", "A4", "A6", "A7"]
    assert all("2026" not in d.title for d in drafts)
    created = [
        replace(draft_objective(d), metrics=tuple(draft_metric(m) for m in d.metrics))
        for d in drafts
    ]
    assert plan_problems(replace(plan, objectives=(*plan.objectives, *created))) == []
