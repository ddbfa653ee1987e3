"""Planned values: linear and compound trajectories, flat outside them, month overrides."""

from __future__ import annotations

import pytest
from domain_factories import make_maintain_metric, make_metric, month

from hoshin.domain.trajectory import IncompleteMetric, end_value, metric_plan, planned_value


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # b=100, t=50, baseline 2026-01, target 2026-11: T=10 months
        ("2026-01", 100.0),  # elapsed 0: b
        ("2026-03", 90.0),  # elapsed 2: 100 + (50-100)*2/10 = 90
        ("2026-05", 80.0),  # elapsed 4: 100 + (50-100)*4/10 = 80
        ("2026-06", 75.0),  # elapsed 5: 100 + (50-100)*5/10 = 75
        ("2026-11", 50.0),  # elapsed 10: t
    ],
)
def test_linear_trajectory_moves_evenly_from_baseline_to_target(
    period: str, expected: float
) -> None:
    metric = make_metric(
        direction="decrease",
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=50.0,
        target_period=month("2026-11"),
    )
    assert planned_value(metric, month(period)) == expected


def test_linear_trajectory_across_a_year_end() -> None:
    # b=0, t=120, 2025-12 -> 2026-12 (T=12); 2026-03 is elapsed 3: 0 + 120*3/12 = 30
    metric = make_metric()
    assert planned_value(metric, month("2026-03")) == 30.0


@pytest.mark.parametrize("period", ["2025-01", "2025-11", "2025-12"])
def test_planned_value_is_the_baseline_up_to_the_baseline_period(period: str) -> None:
    # baseline 0 in 2025-12
    assert planned_value(make_metric(), month(period)) == 0.0


@pytest.mark.parametrize("period", ["2026-12", "2027-01", "2030-06"])
def test_planned_value_is_the_target_from_the_target_period_on(period: str) -> None:
    # target 120 in 2026-12
    assert planned_value(make_metric(), month(period)) == 120.0


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # b=100, t=400, baseline 2026-01, target 2028-01: T=24
        ("2026-01", 100.0),  # 100 * 4^(0/24)
        ("2027-01", 200.0),  # 100 * 4^(12/24) = 100 * 2
        ("2028-01", 400.0),  # 100 * 4^(24/24)
    ],
)
def test_compound_trajectory_with_a_target(period: str, expected: float) -> None:
    metric = make_metric(
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=400.0,
        target_period=month("2028-01"),
        trajectory="compound",
    )
    assert planned_value(metric, month(period)) == expected


def test_compound_trajectory_between_whole_years_is_geometric() -> None:
    # b=100, t=400, T=24; elapsed 6: 100 * 4^(6/24) = 100 * sqrt(2) = 141.4213562373095
    metric = make_metric(
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=400.0,
        target_period=month("2028-01"),
        trajectory="compound",
    )
    assert planned_value(metric, month("2026-07")) == pytest.approx(141.4213562373095)


def test_compound_trajectory_halves_each_year() -> None:
    # b=1000, rate_per_year=-0.5 over 2026-01 -> 2028-01: t = 1000 * 0.5^2 = 250
    metric = make_metric(
        direction="decrease",
        baseline=1000.0,
        baseline_period=month("2026-01"),
        target=None,
        rate_per_year=-0.5,
        target_period=month("2028-01"),
        trajectory="compound",
    )
    assert end_value(metric) == pytest.approx(250.0)
    assert planned_value(metric, month("2027-01")) == pytest.approx(500.0)  # 1000 * 0.5^1
    assert planned_value(metric, month("2028-01")) == pytest.approx(250.0)  # 1000 * 0.5^2
    # half a year: 1000 * 0.5^0.5 = 707.1067811865476
    assert planned_value(metric, month("2026-07")) == pytest.approx(707.1067811865476)


def test_rate_of_twenty_percent_adds_a_fifth_each_year() -> None:
    # b=100, rate 0.2, 2026-01 -> 2028-01: 100 * 1.2 = 120 after a year, 100 * 1.2^2 = 144 after two
    metric = make_metric(
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=None,
        rate_per_year=0.2,
        target_period=month("2028-01"),
        trajectory="compound",
    )
    assert planned_value(metric, month("2027-01")) == pytest.approx(120.0)
    assert end_value(metric) == pytest.approx(144.0)


def test_rate_per_year_target_uses_months_over_twelve_as_the_exponent() -> None:
    # b=100, rate 0.2, 18 months: 100 * 1.2^(18/12) = 100 * 1.2^1.5 = 131.45341380123987
    metric = make_metric(
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=None,
        rate_per_year=0.2,
        target_period=month("2027-07"),
        trajectory="compound",
    )
    assert end_value(metric) == pytest.approx(131.45341380123987)


def test_end_value_is_the_target_when_there_is_no_rate() -> None:
    assert end_value(make_metric(target=75.0)) == 75.0


def test_a_month_in_targets_uses_that_value() -> None:
    # the linear path gives 0 + 120*6/12 = 60 in 2026-06; the override says 42
    metric = make_metric(targets={month("2026-06"): 42.0})
    assert planned_value(metric, month("2026-06")) == 42.0
    # the months around it keep the trajectory: 50 and 70
    assert planned_value(metric, month("2026-05")) == 50.0
    assert planned_value(metric, month("2026-07")) == 70.0


def test_a_target_override_applies_to_a_compound_metric_too() -> None:
    metric = make_metric(
        baseline=100.0,
        baseline_period=month("2026-01"),
        target=400.0,
        target_period=month("2028-01"),
        trajectory="compound",
        targets={month("2027-01"): 180.0},
    )
    assert planned_value(metric, month("2027-01")) == 180.0


def test_metric_plan_has_every_month_from_baseline_to_target_period() -> None:
    # b=0, t=40, 2026-01 -> 2026-05 (T=4): 0, 10, 20, 30, 40
    metric = make_metric(
        baseline_period=month("2026-01"), target=40.0, target_period=month("2026-05")
    )
    assert metric_plan(metric) == {
        month("2026-01"): 0.0,
        month("2026-02"): 10.0,
        month("2026-03"): 20.0,
        month("2026-04"): 30.0,
        month("2026-05"): 40.0,
    }


def test_metric_plan_shows_the_overrides() -> None:
    metric = make_metric(
        baseline_period=month("2026-01"),
        target=40.0,
        target_period=month("2026-05"),
        targets={month("2026-03"): 25.0},
    )
    assert metric_plan(metric)[month("2026-03")] == 25.0


def test_maintain_metric_has_no_planned_value_and_an_empty_plan() -> None:
    metric = make_maintain_metric()
    assert planned_value(metric, month("2026-06")) is None
    assert metric_plan(metric) == {}


def test_an_increase_metric_without_a_target_is_incomplete() -> None:
    with pytest.raises(IncompleteMetric):
        planned_value(make_metric(target=None), month("2026-06"))
