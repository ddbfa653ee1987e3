"""Backward schedule: latest dates back from deadlines, earliest dates forward, slack, chains."""

from __future__ import annotations

import pytest
from domain_factories import day, make_action, make_objective, month

from hoshin.domain.model import Action, Objective
from hoshin.domain.schedule import (
    ActionDates,
    ObjectiveSchedule,
    action_length,
    backward_schedule,
    objective_schedules,
    remaining_days,
)


def objective_due(key: str, end: str) -> Objective:
    """An objective whose deadline is the last day of ``end``."""
    return make_objective(id=key, end=month(end))


def schedules(
    actions: list[Action], objectives: list[Objective], as_of: str
) -> dict[str, ObjectiveSchedule]:
    """The objective schedules of ``actions`` at ``as_of``."""
    dates = backward_schedule(actions, objectives, day(as_of))
    return objective_schedules(objectives, actions, dates)


# --- length and remaining work ---------------------------------------------------------


def test_length_is_duration_days_when_given() -> None:
    # duration wins over the 30 days between start and due
    action = make_action(duration_days=5, start=day("2026-06-01"), due=day("2026-06-30"))
    assert action_length(action) == 5


def test_length_from_dates_counts_both_ends() -> None:
    # 2026-06-01 .. 2026-06-30 inclusive: 30 - 1 + 1 = 30 days
    action = make_action(start=day("2026-06-01"), due=day("2026-06-30"))
    assert action_length(action) == 30


def test_an_action_of_one_day_starts_and_ends_the_same_day() -> None:
    action = make_action(start=day("2026-06-10"), due=day("2026-06-10"))
    assert action_length(action) == 1


@pytest.mark.parametrize(
    "action",
    [
        make_action(),
        make_action(start=day("2026-06-01")),
        make_action(due=day("2026-06-30")),
    ],
)
def test_action_without_duration_and_without_both_dates_has_no_length(action: Action) -> None:
    assert action_length(action) is None
    assert remaining_days(action) is None


@pytest.mark.parametrize(
    ("length", "progress", "remaining"),
    [
        (10, 0.0, 10),  # ceil(10 * 1.00) = 10
        (10, 30.0, 7),  # ceil(10 * 0.70) = 7, not 8 through float noise
        (10, 35.0, 7),  # ceil(10 * 0.65) = ceil(6.5) = 7
        (10, 50.0, 5),  # ceil(10 * 0.50) = 5
        (10, 99.0, 1),  # ceil(10 * 0.01) = ceil(0.1) = 1
        (3, 50.0, 2),  # ceil(3 * 0.50) = ceil(1.5) = 2
        (30, 10.0, 27),  # ceil(30 * 0.90) = 27
        (10, 100.0, 0),  # all the work is done
    ],
)
def test_remaining_days_is_the_ceiling_of_the_work_left(
    length: int, progress: float, remaining: int
) -> None:
    action = make_action(duration_days=length, progress=progress)
    assert remaining_days(action) == remaining


# --- latest dates ----------------------------------------------------------------------


def test_action_of_30_days_due_june_30_must_start_june_1() -> None:
    # latest start = 2027-06-30 - 30 + 1 day = 2027-06-01
    action = make_action(duration_days=30, due=day("2027-06-30"))
    dates = backward_schedule([action], [], day("2027-05-22"))["a1"]
    assert dates.latest_finish == day("2027-06-30")
    assert dates.latest_start == day("2027-06-01")
    # earliest start is the as-of date; finish 2027-05-22 + 30 - 1 = 2027-06-20
    assert dates.earliest_start == day("2027-05-22")
    assert dates.earliest_finish == day("2027-06-20")
    # slack = 2027-06-01 - 2027-05-22 = 10 days
    assert dates.slack_days == 10


def test_deadline_of_a_served_objective_bounds_the_latest_finish() -> None:
    # own due 2026-12-31, served objective ends 2026-09 (deadline 2026-09-30): the earliest wins
    # latest start = 2026-09-30 - 10 + 1 = 2026-09-21
    action = make_action(duration_days=10, due=day("2026-12-31"), serves=("o1",))
    dates = backward_schedule([action], [objective_due("o1", "2026-09")], day("2026-06-01"))
    assert dates["a1"].latest_finish == day("2026-09-30")
    assert dates["a1"].latest_start == day("2026-09-21")


def test_own_due_before_the_objective_deadline_bounds_the_latest_finish() -> None:
    action = make_action(duration_days=10, due=day("2026-08-31"), serves=("o1",))
    dates = backward_schedule([action], [objective_due("o1", "2026-09")], day("2026-06-01"))
    assert dates["a1"].latest_finish == day("2026-08-31")


def test_the_earliest_deadline_of_several_served_objectives_wins() -> None:
    # deadlines 2026-11-30 and 2026-07-31; no own due
    action = make_action(duration_days=10, serves=("o1", "o2"))
    objectives = [objective_due("o1", "2026-11"), objective_due("o2", "2026-07")]
    dates = backward_schedule([action], objectives, day("2026-06-01"))
    assert dates["a1"].latest_finish == day("2026-07-31")


def test_objective_deadline_is_the_last_day_of_its_end_month() -> None:
    # end 2028-02 in a leap year: deadline 2028-02-29
    action = make_action(duration_days=1, serves=("o1",))
    dates = backward_schedule([action], [objective_due("o1", "2028-02")], day("2026-06-01"))
    assert dates["a1"].latest_finish == day("2028-02-29")
    assert dates["a1"].latest_start == day("2028-02-29")


def test_required_action_must_finish_the_day_before_its_dependent_latest_start() -> None:
    # b (10 days, due 06-30) requires a (5 days):
    #   latest start b = 06-30 - 10 + 1 = 06-21; latest finish a = 06-20; latest start a = 06-16
    # forward from 06-01: a 06-01 .. 06-05; b starts the day after: 06-06 .. 06-15
    # slack a = 06-16 - 06-01 = 15; slack b = 06-21 - 06-06 = 15
    a = make_action(id="a", duration_days=5)
    b = make_action(id="b", duration_days=10, due=day("2026-06-30"), requires=("a",))
    dates = backward_schedule([a, b], [], day("2026-06-01"))
    assert dates["a"] == ActionDates(
        earliest_start=day("2026-06-01"),
        earliest_finish=day("2026-06-05"),
        latest_start=day("2026-06-16"),
        latest_finish=day("2026-06-20"),
        slack_days=15,
    )
    assert dates["b"] == ActionDates(
        earliest_start=day("2026-06-06"),
        earliest_finish=day("2026-06-15"),
        latest_start=day("2026-06-21"),
        latest_finish=day("2026-06-30"),
        slack_days=15,
    )


def test_the_earliest_latest_start_of_several_dependents_bounds_the_required_action() -> None:
    # b (10 days, due 06-30): latest start 06-21; c (5 days, due 06-20): latest start 06-16
    # a must finish by min(06-20, 06-15) = 06-15; a is 5 days: latest start 06-11
    a = make_action(id="a", duration_days=5)
    b = make_action(id="b", duration_days=10, due=day("2026-06-30"), requires=("a",))
    c = make_action(id="c", duration_days=5, due=day("2026-06-20"), requires=("a",))
    dates = backward_schedule([a, b, c], [], day("2026-06-01"))
    assert dates["a"].latest_finish == day("2026-06-15")
    assert dates["a"].latest_start == day("2026-06-11")


def test_the_own_due_of_a_required_action_still_bounds_it() -> None:
    # b (10 days, due 06-30) requires a: a must finish by 06-20, but a's own due is 06-10
    a = make_action(id="a", duration_days=5, due=day("2026-06-10"))
    b = make_action(id="b", duration_days=10, due=day("2026-06-30"), requires=("a",))
    dates = backward_schedule([a, b], [], day("2026-06-01"))
    assert dates["a"].latest_finish == day("2026-06-10")


def test_latest_dates_use_the_remaining_days() -> None:
    # 10 days at 30% done: ceil(10 * 0.7) = 7 days left; due 06-30: latest start 06-24;
    # from 06-01: earliest finish 06-07
    action = make_action(duration_days=10, progress=30.0, due=day("2026-06-30"))
    dates = backward_schedule([action], [], day("2026-06-01"))["a1"]
    assert dates.latest_start == day("2026-06-24")
    assert dates.earliest_finish == day("2026-06-07")
    assert dates.slack_days == 23  # 06-24 - 06-01


def test_length_from_start_and_due_fits_exactly_between_them() -> None:
    # 06-01 .. 06-10: 10 days; as-of 05-15 is before the start, so the action starts 06-01
    action = make_action(start=day("2026-06-01"), due=day("2026-06-10"))
    dates = backward_schedule([action], [], day("2026-05-15"))["a1"]
    assert dates == ActionDates(
        earliest_start=day("2026-06-01"),
        earliest_finish=day("2026-06-10"),
        latest_start=day("2026-06-01"),
        latest_finish=day("2026-06-10"),
        slack_days=0,
    )


# --- earliest dates --------------------------------------------------------------------


def test_earliest_start_is_the_as_of_date_when_the_own_start_is_past() -> None:
    # start 2026-05-01 is before the as-of date 2026-06-15
    action = make_action(duration_days=5, start=day("2026-05-01"))
    dates = backward_schedule([action], [], day("2026-06-15"))["a1"]
    assert dates.earliest_start == day("2026-06-15")
    assert dates.earliest_finish == day("2026-06-19")  # 06-15 + 5 - 1


def test_earliest_start_is_the_own_start_when_it_is_later() -> None:
    action = make_action(duration_days=5, start=day("2026-07-01"))
    dates = backward_schedule([action], [], day("2026-06-15"))["a1"]
    assert dates.earliest_start == day("2026-07-01")
    assert dates.earliest_finish == day("2026-07-05")


def test_earliest_start_is_the_day_after_the_latest_earliest_finish_of_requirements() -> None:
    # from 06-01: a (5 days) finishes 06-05, b (8 days) finishes 06-08: c starts 06-09
    a = make_action(id="a", duration_days=5)
    b = make_action(id="b", duration_days=8)
    c = make_action(id="c", duration_days=2, requires=("a", "b"))
    dates = backward_schedule([a, b, c], [], day("2026-06-01"))
    assert dates["c"].earliest_start == day("2026-06-09")
    assert dates["c"].earliest_finish == day("2026-06-10")


def test_a_required_action_with_a_later_start_delays_its_dependent() -> None:
    # a starts 07-01 (3 days): 07-01 .. 07-03; b requires it: starts 07-04
    a = make_action(id="a", duration_days=3, start=day("2026-07-01"))
    b = make_action(id="b", duration_days=2, requires=("a",))
    dates = backward_schedule([a, b], [], day("2026-06-01"))
    assert dates["b"].earliest_start == day("2026-07-04")


def test_slack_is_latest_start_minus_earliest_start() -> None:
    # 5 days due 06-30: latest start 06-26; as-of 06-01: slack 25
    action = make_action(duration_days=5, due=day("2026-06-30"))
    dates = backward_schedule([action], [], day("2026-06-01"))["a1"]
    assert dates.slack_days == 25


def test_slack_is_negative_when_the_action_cannot_finish_in_time() -> None:
    # 40 days due 06-30: latest start 06-30 - 40 + 1 = 05-22; as-of 06-01: slack -10
    action = make_action(duration_days=40, due=day("2026-06-30"))
    dates = backward_schedule([action], [], day("2026-06-01"))["a1"]
    assert dates.latest_start == day("2026-05-22")
    assert dates.slack_days == -10


# --- done and unscheduled actions ------------------------------------------------------


def test_done_action_has_no_dates() -> None:
    action = make_action(duration_days=5, due=day("2026-06-30"), done=True)
    assert backward_schedule([action], [], day("2026-06-01"))["a1"] == ActionDates()


def test_done_required_action_does_not_delay_its_dependent() -> None:
    # a (done, would run 07-01 .. 07-10) is required by b: b may start on the as-of date
    a = make_action(id="a", duration_days=10, start=day("2026-07-01"), done=True)
    b = make_action(id="b", duration_days=5, requires=("a",))
    dates = backward_schedule([a, b], [], day("2026-06-01"))
    assert dates["b"].earliest_start == day("2026-06-01")


def test_done_dependent_does_not_bound_the_action_it_requires() -> None:
    # b is done, so its due 06-30 does not pull a's latest finish to 06-20; a's own due holds
    a = make_action(id="a", duration_days=5, due=day("2026-12-31"))
    b = make_action(id="b", duration_days=10, due=day("2026-06-30"), requires=("a",), done=True)
    dates = backward_schedule([a, b], [], day("2026-06-01"))
    assert dates["a"].latest_finish == day("2026-12-31")


def test_action_with_neither_duration_nor_dates_is_not_scheduled() -> None:
    action = make_action(due=day("2026-06-30"))
    assert backward_schedule([action], [], day("2026-06-01"))["a1"] == ActionDates()


def test_backward_schedule_refuses_a_cycle_of_requires() -> None:
    a = make_action(id="a", duration_days=1, requires=("b",))
    b = make_action(id="b", duration_days=1, requires=("a",))
    with pytest.raises(ValueError, match="cycle"):
        backward_schedule([a, b], [], day("2026-06-01"))


# --- objective schedules ---------------------------------------------------------------


def test_objective_without_actions_is_feasible_with_no_critical_actions() -> None:
    result = schedules([], [objective_due("o1", "2026-12")], "2026-06-01")["o1"]
    assert result == ObjectiveSchedule(feasible=True, days_late=0, critical=())


def test_objective_with_only_done_actions_is_feasible() -> None:
    # the action was due long ago, but it is done
    action = make_action(duration_days=40, due=day("2026-01-31"), serves=("o1",), done=True)
    result = schedules([action], [objective_due("o1", "2026-06")], "2026-06-01")["o1"]
    assert result == ObjectiveSchedule(feasible=True, days_late=0, critical=())


def test_objective_with_zero_slack_is_feasible_and_its_action_is_critical() -> None:
    # 30 days to the 06-30 deadline from 06-01: latest start 06-01, slack 0
    action = make_action(duration_days=30, serves=("o1",))
    result = schedules([action], [objective_due("o1", "2026-06")], "2026-06-01")["o1"]
    assert result == ObjectiveSchedule(feasible=True, days_late=0, critical=("a1",))


def test_objective_is_infeasible_when_an_action_of_its_chain_has_negative_slack() -> None:
    # 40 days to the 06-30 deadline from 06-01: latest start 05-22, slack -10
    action = make_action(duration_days=40, serves=("o1",))
    result = schedules([action], [objective_due("o1", "2026-06")], "2026-06-01")["o1"]
    assert result == ObjectiveSchedule(feasible=False, days_late=10, critical=("a1",))


def test_days_late_is_minus_the_minimum_slack() -> None:
    # deadline 06-30, as-of 06-01:
    #   a1: 33 days, latest start 05-29, slack -3
    #   a2: 37 days, latest start 05-25, slack -7
    #   a3: 20 days, latest start 06-11, slack +10
    # days late = -(-7) = 7; critical: a2 alone
    actions = [
        make_action(id="a1", duration_days=33, serves=("o1",)),
        make_action(id="a2", duration_days=37, serves=("o1",)),
        make_action(id="a3", duration_days=20, serves=("o1",)),
    ]
    result = schedules(actions, [objective_due("o1", "2026-06")], "2026-06-01")["o1"]
    assert result == ObjectiveSchedule(feasible=False, days_late=7, critical=("a2",))


def test_critical_actions_are_all_those_with_the_minimum_slack() -> None:
    # b (10 days, due 06-30) requires a (5 days): both have slack 15 (see the chain test above)
    a = make_action(id="a", duration_days=5)
    b = make_action(id="b", duration_days=10, requires=("a",), serves=("o1",))
    result = schedules([a, b], [objective_due("o1", "2026-06")], "2026-06-01")["o1"]
    assert result.feasible
    assert result.days_late == 0
    assert sorted(result.critical) == ["a", "b"]


def test_chain_includes_the_actions_required_recursively() -> None:
    # o1 (deadline 2026-12-31) is served by b only; b requires a; a requires z.
    #   z: 2 days, no bound of its own; a: 10 days, own due 06-05
    #   latest: a finishes 06-05, starts 05-27; z finishes 05-26, starts 05-25
    #   earliest from 06-01: z 06-01 .. 06-02; a 06-03 .. 06-12; b 06-13 .. 06-17
    #   slack z = 05-25 - 06-01 = -7; slack a = 05-27 - 06-03 = -7
    #   b: latest start 12-31 - 5 + 1 = 12-27; slack 12-27 - 06-13 = 197
    z = make_action(id="z", duration_days=2)
    a = make_action(id="a", duration_days=10, due=day("2026-06-05"), requires=("z",))
    b = make_action(id="b", duration_days=5, requires=("a",), serves=("o1",))
    dates = backward_schedule([z, a, b], [objective_due("o1", "2026-12")], day("2026-06-01"))
    assert (dates["z"].slack_days, dates["a"].slack_days, dates["b"].slack_days) == (-7, -7, 197)
    result = objective_schedules([objective_due("o1", "2026-12")], [z, a, b], dates)["o1"]
    assert result.feasible is False
    assert result.days_late == 7
    assert sorted(result.critical) == ["a", "z"]


def test_actions_of_another_objective_do_not_count() -> None:
    # a1 serves o2 and is late; o1's own action has slack
    late = make_action(id="a1", duration_days=40, serves=("o2",))
    fine = make_action(id="a2", duration_days=5, serves=("o1",))
    objectives = [objective_due("o1", "2026-06"), objective_due("o2", "2026-06")]
    result = schedules([late, fine], objectives, "2026-06-01")
    assert result["o1"].feasible
    assert result["o2"] == ObjectiveSchedule(feasible=False, days_late=10, critical=("a1",))


def test_objective_without_a_deadline_still_feels_the_due_of_its_actions() -> None:
    # o1 has no end; its action is 40 days due 06-30: slack -10
    action = make_action(duration_days=40, due=day("2026-06-30"), serves=("o1",))
    o1 = make_objective(id="o1", end=None)
    result = schedules([action], [o1], "2026-06-01")["o1"]
    assert result == ObjectiveSchedule(feasible=False, days_late=10, critical=("a1",))
