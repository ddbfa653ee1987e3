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

from hoshin.domain.analysis import analyze
from hoshin.domain.annual import (
    active_in,
    carry_forward,
    finished,
    fiscal_year,
    fiscal_year_of,
    metric_year,
    review_order,
    unfinished,
)
from hoshin.domain.model import Metric, Objective
from hoshin.domain.months import Month
from hoshin.domain.rollup import RollUp
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
     (0.9, "green", False), (None, "no_data", False)],
)  # fmt: skip
def test_finished_means_target_reached_and_green(
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
        "A1", "A1-2027", "Run a daily fall-risk huddle on 100% of ward days in 2026",
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
