"""The bowling chart: plan, actual and status of each month of the as-of fiscal year."""

from __future__ import annotations

import pytest
from domain_factories import actuals, make_maintain_metric, make_metric, month

from hoshin.domain.months import Month
from hoshin.domain.status import BowlingCell, bowling


def test_bowling_has_one_cell_per_month_of_the_calendar_fiscal_year() -> None:
    cells = bowling(make_metric(), month("2026-06"), 1)
    assert [str(cell.period) for cell in cells] == [f"2026-{n:02d}" for n in range(1, 13)]


def test_bowling_follows_a_fiscal_year_that_opens_in_april() -> None:
    # as-of 2026-02 with fiscal_year_start 4: the fiscal year runs 2025-04 .. 2026-03
    cells = bowling(make_metric(), month("2026-02"), 4)
    assert cells[0].period == month("2025-04")
    assert cells[-1].period == month("2026-03")
    assert len(cells) == 12


def test_bowling_plan_is_the_planned_value_of_each_month() -> None:
    # b=0 in 2025-12, t=120 in 2026-12: the plan of month k of 2026 is 10*k
    cells = bowling(make_metric(), month("2026-06"), 1)
    assert [cell.plan for cell in cells] == [10.0 * k for k in range(1, 13)]


def test_bowling_plan_before_the_baseline_period_is_the_baseline() -> None:
    # fiscal year 2025-04 .. 2026-03: 2025-04 .. 2025-12 are at or before the baseline
    # period (plan 0), then 10, 20, 30
    cells = bowling(make_metric(), month("2026-02"), 4)
    assert [cell.plan for cell in cells] == [0.0] * 9 + [10.0, 20.0, 30.0]


def test_bowling_cells_carry_actual_and_the_status_of_their_own_month() -> None:
    # b=0, t=120: plan of 2026-01..03 is 10, 20, 30
    metric = make_metric(actuals=actuals({"2026-01": 10.0, "2026-02": 15.0, "2026-03": 10.0}))
    cells = bowling(metric, month("2026-06"), 1)
    assert cells[:4] == [
        BowlingCell(month("2026-01"), 10.0, 10.0, "green"),  # (10 - 10) / 120 = 0
        BowlingCell(month("2026-02"), 20.0, 15.0, "amber"),  # (15 - 20) / 120 = -0.042
        BowlingCell(month("2026-03"), 30.0, 10.0, "red"),  # (10 - 30) / 120 = -0.167
        BowlingCell(month("2026-04"), 40.0, None, "no_data"),  # no actual
    ]


def test_bowling_month_without_an_actual_has_no_data() -> None:
    cells = bowling(make_metric(), month("2026-06"), 1)
    assert {cell.status for cell in cells} == {"no_data"}
    assert {cell.actual for cell in cells} == {None}


@pytest.mark.parametrize(
    ("value", "status"),
    [(100.0, "green"), (89.0, "red"), (111.0, "red")],
)
def test_bowling_of_a_maintain_metric_has_no_plan_and_band_status(
    value: float, status: str
) -> None:
    metric = make_maintain_metric(actuals={Month.of(2026, 5): value})
    cells = bowling(metric, month("2026-06"), 1)
    assert [cell.plan for cell in cells] == [None] * 12
    may = cells[4]
    assert (may.period, may.actual, may.status) == (month("2026-05"), value, status)
