"""Metric status at the as-of month: current value, progress, planned progress, R/A/G."""

from __future__ import annotations

from dataclasses import replace

import pytest
from domain_factories import actuals, make_maintain_metric, make_metric, month

from hoshin.domain.model import DEFAULT_TOLERANCE, Metric
from hoshin.domain.status import Status, against_plan, evaluate_metric, month_status
from hoshin.domain.trajectory import course


def ten_month_metric(**overrides: object) -> Metric:
    """b=0, t=100 from 2026-01 to 2026-11 (T=10): planned 50 in 2026-06 (elapsed 5)."""
    fields: dict[str, object] = {
        "baseline": 0.0,
        "baseline_period": month("2026-01"),
        "target": 100.0,
        "target_period": month("2026-11"),
    }
    fields.update(overrides)
    return make_metric(**fields)


def test_current_value_is_the_latest_actual_at_or_before_the_as_of_month() -> None:
    metric = make_metric(actuals=actuals({"2026-02": 15.0, "2026-04": 35.0, "2026-07": 90.0}))
    result = evaluate_metric(metric, month("2026-06"))
    # 2026-07 is after the as-of month; 2026-04 is the latest before it
    assert result.current == 35.0
    assert result.current_period == month("2026-04")


def test_an_actual_in_the_as_of_month_is_the_current_value() -> None:
    metric = make_metric(actuals=actuals({"2026-05": 50.0, "2026-06": 61.0}))
    result = evaluate_metric(metric, month("2026-06"))
    assert (result.current, result.current_period) == (61.0, month("2026-06"))


def test_current_value_is_compared_with_the_plan_of_its_own_month() -> None:
    # b=0, t=120, 2025-12 -> 2026-12: plan of 2026-03 is 30, of the as-of month 2026-06 is 60.
    # The actual 30 of 2026-03 is on plan (deviation 0): green, not red against 60.
    metric = make_metric(actuals=actuals({"2026-03": 30.0}))
    result = evaluate_metric(metric, month("2026-06"))
    assert result.planned == 30.0
    assert result.planned_progress == 0.25  # (30 - 0) / (120 - 0)
    assert result.status == "green"


@pytest.mark.parametrize(
    ("actual", "progress"),
    [
        (60.0, 0.5),  # (60 - 0) / (120 - 0)
        (30.0, 0.25),  # (30 - 0) / 120
        (0.0, 0.0),
        (120.0, 1.0),
        (150.0, 1.0),  # 1.25 clamped to 1
        (-12.0, 0.0),  # -0.1 clamped to 0
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target_clamped(
    actual: float, progress: float
) -> None:
    metric = make_metric(actuals=actuals({"2026-06": actual}))
    assert evaluate_metric(metric, month("2026-06")).progress == progress


def test_progress_of_a_decrease_metric() -> None:
    # b=100, t=50: current 80 -> (80 - 100) / (50 - 100) = 0.4
    metric = make_metric(
        direction="decrease",
        baseline=100.0,
        target=50.0,
        actuals=actuals({"2026-06": 80.0}),
    )
    assert evaluate_metric(metric, month("2026-06")).progress == 0.4


def test_decrease_metric_above_its_baseline_has_progress_zero() -> None:
    # b=100, t=50: current 110 -> (110 - 100) / (50 - 100) = -0.2, clamped to 0
    metric = make_metric(
        direction="decrease",
        baseline=100.0,
        target=50.0,
        actuals=actuals({"2026-06": 110.0}),
    )
    assert evaluate_metric(metric, month("2026-06")).progress == 0.0


def test_planned_progress_without_actuals_is_that_of_the_as_of_month() -> None:
    # b=0, t=120: the plan of 2026-06 is 60, so planned progress 60/120 = 0.5
    result = evaluate_metric(make_metric(), month("2026-06"))
    assert result.planned == 60.0
    assert result.planned_progress == 0.5


def test_metric_without_actuals_has_no_data() -> None:
    result = evaluate_metric(make_metric(), month("2026-06"))
    assert result.status == "no_data"
    assert result.current is None
    assert result.current_period is None
    assert result.progress is None


def test_actuals_only_after_the_as_of_month_mean_no_data() -> None:
    metric = make_metric(actuals=actuals({"2026-07": 70.0}))
    assert evaluate_metric(metric, month("2026-06")).status == "no_data"


def test_planned_progress_uses_a_target_override() -> None:
    # b=0, t=120; the 2026-06 plan is overridden to 90: planned progress 90/120 = 0.75
    metric = make_metric(targets={month("2026-06"): 90.0}, actuals=actuals({"2026-06": 90.0}))
    result = evaluate_metric(metric, month("2026-06"))
    assert result.planned == 90.0
    assert result.planned_progress == 0.75
    assert result.status == "green"


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        # b=0, t=100, planned 50 in 2026-06; deviation = (current - 50) / (100 - 0)
        (50.0, "green"),  # 0
        (60.0, "green"),  # +0.10
        (100.0, "green"),  # +0.50
        (49.0, "amber"),  # -0.01
        (40.0, "amber"),  # -0.10, exactly the tolerance: still amber
        (39.0, "red"),  # -0.11
        (0.0, "red"),  # -0.50
    ],
)
def test_status_of_an_increase_metric(actual: float, status: Status) -> None:
    metric = ten_month_metric(actuals=actuals({"2026-06": actual}))
    assert evaluate_metric(metric, month("2026-06")).status == status


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        # b=100, t=0, 2026-01 -> 2026-11: planned 100 + (0-100)*5/10 = 50 in 2026-06;
        # deviation = (current - 50) / (0 - 100): lower is better
        (50.0, "green"),  # 0
        (40.0, "green"),  # -10 / -100 = +0.10
        (55.0, "amber"),  # 5 / -100 = -0.05
        (60.0, "amber"),  # 10 / -100 = -0.10, exactly the tolerance
        (61.0, "red"),  # 11 / -100 = -0.11
    ],
)
def test_status_of_a_decrease_metric_counts_lower_as_better(actual: float, status: Status) -> None:
    metric = ten_month_metric(
        direction="decrease", baseline=100.0, target=0.0, actuals=actuals({"2026-06": actual})
    )
    assert evaluate_metric(metric, month("2026-06")).status == status


def test_default_tolerance_is_ten_percent() -> None:
    assert make_metric().tolerance == DEFAULT_TOLERANCE == 0.10


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        # tolerance 0.2; planned 50, b=0, t=100
        (35.0, "amber"),  # -0.15: red with the default 0.10, amber with 0.20
        (30.0, "amber"),  # -0.20, exactly the tolerance
        (29.0, "red"),  # -0.21
    ],
)
def test_status_uses_the_metric_tolerance(actual: float, status: Status) -> None:
    metric = ten_month_metric(tolerance=0.2, actuals=actuals({"2026-06": actual}))
    assert evaluate_metric(metric, month("2026-06")).status == status


def test_zero_tolerance_turns_any_shortfall_red() -> None:
    # planned 50, current 49: deviation -0.01 < -0
    metric = ten_month_metric(tolerance=0.0, actuals=actuals({"2026-06": 49.0}))
    assert evaluate_metric(metric, month("2026-06")).status == "red"


def test_status_of_a_compound_metric() -> None:
    # b=100, t=400, 2026-01 -> 2028-01: planned 100 * 4^(12/24) = 200 in 2027-01;
    # current 180: deviation (180 - 200) / (400 - 100) = -0.0667 -> amber
    # current 160: deviation -40 / 300 = -0.1333 -> red
    base = make_metric(
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=400.0,
        target_period=month("2028-01"),
        trajectory="compound",
    )
    amber = replace(base, actuals=actuals({"2027-01": 180.0}))
    red = replace(base, actuals=actuals({"2027-01": 160.0}))
    assert evaluate_metric(amber, month("2027-01")).status == "amber"
    assert evaluate_metric(red, month("2027-01")).status == "red"
    # progress (180 - 100) / 300 = 0.2666...
    assert evaluate_metric(amber, month("2027-01")).progress == pytest.approx(80 / 300)


@pytest.mark.parametrize(
    ("actual", "status", "progress"),
    [
        # band 90..110
        (100.0, "green", 1.0),
        (90.0, "green", 1.0),  # the band includes its ends
        (110.0, "green", 1.0),
        (89.0, "red", 0.0),
        (111.0, "red", 0.0),
    ],
)
def test_maintain_metric_is_green_inside_its_band_and_red_outside(
    actual: float, status: Status, progress: float
) -> None:
    metric = make_maintain_metric(actuals=actuals({"2026-05": actual}))
    result = evaluate_metric(metric, month("2026-06"))
    assert result.status == status
    assert result.progress == progress
    assert result.planned_progress == 1.0
    assert result.planned is None
    assert result.current == actual
    assert result.current_period == month("2026-05")


def test_maintain_metric_with_only_a_minimum() -> None:
    metric = make_maintain_metric(maximum=None, actuals=actuals({"2026-05": 1000.0}))
    assert evaluate_metric(metric, month("2026-06")).status == "green"


def test_maintain_metric_with_only_a_maximum() -> None:
    metric = make_maintain_metric(minimum=None, actuals=actuals({"2026-05": 111.0}))
    assert evaluate_metric(metric, month("2026-06")).status == "red"


def test_maintain_metric_without_actuals_has_no_data_and_planned_progress_one() -> None:
    result = evaluate_metric(make_maintain_metric(), month("2026-06"))
    assert result.status == "no_data"
    assert result.progress is None
    assert result.planned is None
    assert result.planned_progress == 1.0


# Baseline 0, target 100 (span 100) or the reverse (span -100), planned 50, tolerance 0.1:
# the deviation is (value - planned) / span; amber down to -0.1, red below.
@pytest.mark.parametrize(
    ("value", "span", "status"),
    [
        (50.0, 100.0, "green"),  # on plan: 0
        (60.0, 100.0, "green"),  # ahead: +0.1
        (45.0, 100.0, "amber"),  # -0.05
        (40.0, 100.0, "amber"),  # -0.1, the tolerance itself
        (39.0, 100.0, "red"),  # -0.11
        (45.0, -100.0, "green"),  # fewer than planned on the way down: +0.05
        (55.0, -100.0, "amber"),  # -0.05
        (61.0, -100.0, "red"),  # -0.11
    ],
)
def test_against_plan_judges_the_deviation_as_a_share_of_the_way(
    value: float, span: float, status: Status
) -> None:
    assert against_plan(value, 50.0, span, 0.1) == status


@pytest.mark.parametrize("actual", [0.0, 39.0, 40.0, 45.0, 50.0, 75.0])
def test_the_current_status_and_the_months_status_are_one_rule(actual: float) -> None:
    """evaluate_metric (the current month) and month_status (the bowling chart's) agree."""
    metric = ten_month_metric(actuals=actuals({"2026-06": actual}))
    current = evaluate_metric(metric, month("2026-06")).status
    assert current == month_status(metric, course(metric), month("2026-06"), actual)
