"""The guided start's steps and a metric's targets before it is saved, from hand-made plans."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hoshin.domain.guide import current_step, first_months, is_empty, steps_done, year_targets
from hoshin.domain.model import Metric, Objective, Organization, Person, Plan, Unit, Vision
from hoshin.domain.months import Month

EMPTY = Plan(Organization("Fresh"))
VISION = Vision("By 2031, every part works first time", horizon=2031)


def m(text: str) -> Month:
    return Month.parse(text)


def complaints(key: str = "c") -> Metric:
    """120 in 2026-06 to 30 by 2029-12, linear."""
    return Metric(key, "Complaints", "decrease", baseline=120, baseline_period=m("2026-06"),
                  target=30, target_period=m("2029-12"))  # fmt: skip


def breakthrough(key: str, *, measured: bool = True) -> Objective:
    metrics = (complaints(f"{key}-m"),) if measured else ()
    return Objective(key, f"Breakthrough {key}", "breakthrough", metrics=metrics)


def test_an_empty_plan_is_guided_from_the_vision() -> None:
    assert is_empty(EMPTY)
    assert current_step(EMPTY) == "vision"
    assert not is_empty(replace(EMPTY, vision=VISION))
    assert not is_empty(replace(EMPTY, objectives=(breakthrough("B1"),)))


@pytest.mark.parametrize(
    ("objectives", "step"),
    [
        ((), "breakthrough"),
        # two measured and one without a metric: fewer than three measured
        ((breakthrough("B1"), breakthrough("B2"), breakthrough("B3", measured=False)),
         "breakthrough"),
        # three measured, none supported by an annual objective yet
        ((breakthrough("B1"), breakthrough("B2"), breakthrough("B3")), "annual"),
        # each supported: units and people next
        ((breakthrough("B1"), breakthrough("B2"), breakthrough("B3"),
          Objective("A1", "a", "annual", supports={"B1": 1, "B2": 1}),
          Objective("A2", "b", "annual", supports={"B3": 1})), "people"),
    ],
)  # fmt: skip
def test_the_step_is_the_first_the_plan_has_not_done(
    objectives: tuple[Objective, ...], step: str
) -> None:
    assert current_step(replace(EMPTY, vision=VISION, objectives=objectives)) == step


def test_a_vision_without_horizon_is_not_done_and_inviting_always_comes_last() -> None:
    no_horizon = replace(EMPTY, vision=Vision("Somewhere"))
    assert steps_done(no_horizon)["vision"] is False
    whole = replace(
        EMPTY, vision=VISION, units=(Unit("u", "U"),), people=(Person("p", "P"),),
        objectives=(breakthrough("B1"), breakthrough("B2"), breakthrough("B3"),
                    Objective("A1", "a", "annual", supports={"B1": 1, "B2": 1, "B3": 1})),
    )  # fmt: skip
    assert steps_done(whole) == {"vision": True, "breakthrough": True, "annual": True,
                                 "people": True, "invite": False}  # fmt: skip
    assert current_step(whole) == "invite"


def test_year_targets_are_each_decembers_planned_value_and_the_target_months() -> None:
    """120 to 30 over the 42 months 2026-06..2029-12, 90/42 a month: 2026-12 (6 months)
    120 - 540/42 = 107.142857; 2027-12 (18) 81.428571; 2028-12 (30) 55.714286; 2029-12 30."""
    found = [(str(month), round(value, 4)) for month, value in year_targets(complaints())]
    assert found == [("2026-12", 107.1429), ("2027-12", 81.4286), ("2028-12", 55.7143),
                     ("2029-12", 30.0)]  # fmt: skip


def test_a_target_month_within_a_year_is_its_own_milestone() -> None:
    """60 in 2026-06 to 95 by 2027-03 (9 months): 2026-12 is 6 months on, 60 + 35 * 6/9."""
    answered = Metric("a", "Answered", baseline=60, baseline_period=m("2026-06"), target=95,
                      target_period=m("2027-03"))  # fmt: skip
    found = [(str(month), round(value, 4)) for month, value in year_targets(answered)]
    assert found == [("2026-12", 83.3333), ("2027-03", 95.0)]


def test_first_months_follow_the_baseline_month_compounding() -> None:
    """100 in 2026-01 halving each year to 25 by 2028-01, compound: month k is
    100 * 0.5 ** (k / 12), 2026-02 = 94.3874, 2026-03 = 89.0899, 2027-01 = 50."""
    halving = Metric("h", "Defects", "decrease", baseline=100, baseline_period=m("2026-01"),
                     target=25, target_period=m("2028-01"), trajectory="compound")  # fmt: skip
    months = first_months(halving)
    assert len(months) == 12
    assert [(str(a), round(b, 4)) for a, b in months[:2]] == [("2026-02", 94.3874),
                                                              ("2026-03", 89.0899)]  # fmt: skip
    assert str(months[-1][0]) == "2027-01"
    assert months[-1][1] == pytest.approx(50)
