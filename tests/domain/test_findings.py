"""Findings: each code fires on its condition and stays quiet just outside it.

Every test starts from ``aligned_plan()``, which has no finding at 2026-06-15, and changes
one thing.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from domain_factories import (
    AS_OF,
    actuals,
    aligned_plan,
    analysis_of,
    day,
    findings_of,
    make_action,
    make_countermeasure,
    make_maintain_metric,
    make_metric,
    make_objective,
    month,
    subjects,
)

from hoshin.domain.findings import CODES
from hoshin.domain.model import Action, Countermeasure, Metric, Objective, Plan, Vision


def with_objectives(*extra: Objective, plan: Plan | None = None) -> Plan:
    """The aligned plan with ``extra`` objectives added."""
    base = plan or aligned_plan()
    return replace(base, objectives=(*base.objectives, *extra))


def with_actions(*actions: Action) -> Plan:
    """The aligned plan with its action replaced by ``actions``."""
    return replace(aligned_plan(), actions=actions)


def with_metric(metric: Metric, *measures: Countermeasure) -> Plan:
    """The aligned plan whose annual objective is measured by ``metric`` alone."""
    base = aligned_plan()
    breakthrough, annual = base.objectives
    return replace(
        base,
        objectives=(breakthrough, replace(annual, metrics=(metric,))),
        countermeasures=measures,
    )


def test_the_aligned_plan_has_no_findings() -> None:
    assert findings_of(aligned_plan()) == []


def test_every_finding_has_a_code_from_the_catalogue_with_its_severity() -> None:
    plan = with_objectives(make_objective(id="t1", level="team", owner=None, title="Improve"))
    found = findings_of(plan)
    assert found
    for item in found:
        assert CODES[item.code][0] == item.severity
        assert item.message


def test_warnings_come_before_infos() -> None:
    # vague_title is an info, orphan and no_owner are warnings
    plan = with_objectives(make_objective(id="t1", level="team", owner=None, title="Improve"))
    severities = [item.severity for item in findings_of(plan)]
    assert "info" in severities
    assert severities == sorted(severities, key=lambda severity: severity != "warning")


# --- orphan ----------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["annual", "team", "individual"])
def test_orphan_is_a_non_breakthrough_objective_that_supports_nothing(level: str) -> None:
    plan = with_objectives(make_objective(id="x1", level=level))
    assert subjects(plan, "orphan") == ["x1"]


def test_breakthrough_that_supports_nothing_is_not_an_orphan() -> None:
    plan = with_objectives(make_objective(id="b2", level="breakthrough"))
    assert subjects(plan, "orphan") == []


def test_objective_that_supports_another_is_not_an_orphan() -> None:
    plan = with_objectives(make_objective(id="t1", level="team", supports={"a-obj": 1.0}))
    assert subjects(plan, "orphan") == []


# --- not_deployed ----------------------------------------------------------------------


def test_breakthrough_without_an_annual_supporter_is_not_deployed() -> None:
    plan = with_objectives(make_objective(id="b2", level="breakthrough"))
    assert subjects(plan, "not_deployed") == ["b2"]


def test_breakthrough_supported_only_by_a_team_objective_is_not_deployed() -> None:
    plan = with_objectives(
        make_objective(id="b2", level="breakthrough"),
        make_objective(id="t1", level="team", supports={"b2": 1.0}),
    )
    assert subjects(plan, "not_deployed") == ["b2"]


def test_annual_objective_nothing_supports_and_no_action_serves_is_not_deployed() -> None:
    plan = with_objectives(make_objective(id="a2", supports={"b1": 1.0}))
    assert subjects(plan, "not_deployed") == ["a2"]


def test_annual_objective_served_by_an_action_is_deployed() -> None:
    # in the aligned plan, a-obj has no supporter, only the action act1
    assert subjects(aligned_plan(), "not_deployed") == []


def test_annual_objective_supported_by_a_team_objective_is_deployed() -> None:
    plan = with_objectives(
        make_objective(id="a2", supports={"b1": 1.0}),
        make_objective(id="t1", level="team", supports={"a2": 1.0}),
    )
    assert subjects(plan, "not_deployed") == []


@pytest.mark.parametrize("level", ["team", "individual"])
def test_team_and_individual_objectives_are_never_not_deployed(level: str) -> None:
    plan = with_objectives(make_objective(id="x1", level=level, supports={"a-obj": 1.0}))
    assert subjects(plan, "not_deployed") == []


# --- unmeasured ------------------------------------------------------------------------


def test_objective_without_metric_or_measured_supporter_is_unmeasured() -> None:
    plan = with_objectives(make_objective(id="t1", level="team", supports={"a-obj": 1.0}))
    assert subjects(plan, "unmeasured") == ["t1"]


def test_objective_measured_through_a_supporter_is_not_unmeasured() -> None:
    # a2 has no metric of its own; t1 under it has one
    plan = with_objectives(
        make_objective(id="a2", supports={"b1": 1.0}),
        make_objective(
            id="t1", level="team", supports={"a2": 1.0}, metrics=(make_metric(id="m9"),)
        ),
    )
    assert subjects(plan, "unmeasured") == []


# --- no_owner --------------------------------------------------------------------------


def test_objective_without_owner_is_reported() -> None:
    plan = with_objectives(make_objective(id="t1", level="team", owner=None))
    assert subjects(plan, "no_owner") == ["t1"]


def test_action_without_owner_is_reported() -> None:
    plan = with_actions(make_action(id="act1", owner=None, serves=("a-obj",), duration_days=5))
    assert subjects(plan, "no_owner") == ["act1"]


# --- no_deadline -----------------------------------------------------------------------


def test_objective_without_end_month_has_no_deadline() -> None:
    plan = with_objectives(make_objective(id="t1", level="team", end=None))
    assert subjects(plan, "no_deadline") == ["t1"]


# --- stale_metric ----------------------------------------------------------------------
# m1: monthly, baseline period 2025-12, target period 2026-12. As of 2026-06-15 the last
# month is 2026-05.


def test_metric_with_an_actual_for_last_month_is_not_stale() -> None:
    plan = with_metric(make_metric(actuals=actuals({"2026-05": 50.0})))
    assert subjects(plan, "stale_metric") == []


def test_metric_without_an_actual_for_last_month_is_stale() -> None:
    plan = with_metric(make_metric(actuals=actuals({"2026-04": 40.0})))
    assert subjects(plan, "stale_metric") == ["m1"]


def test_an_actual_in_the_as_of_month_does_not_make_up_for_last_month() -> None:
    plan = with_metric(make_metric(actuals=actuals({"2026-04": 40.0, "2026-06": 60.0})))
    assert subjects(plan, "stale_metric") == ["m1"]


@pytest.mark.parametrize(
    ("as_of", "stale"),
    [
        # last month = the month before the as-of month; window: after 2025-12, up to 2026-12
        ("2025-12-20", False),  # last month 2025-11: before the baseline period
        ("2026-01-15", False),  # last month 2025-12: the baseline period itself, not after it
        ("2026-02-01", True),  # last month 2026-01: first month after the baseline period
        ("2027-01-31", True),  # last month 2026-12: the target period, not after it
        ("2027-02-01", False),  # last month 2027-01: after the target period
    ],
)
def test_stale_metric_window_edges(as_of: str, stale: bool) -> None:
    plan = with_metric(make_metric(actuals={}))
    assert ("m1" in subjects(plan, "stale_metric", day(as_of))) is stale


@pytest.mark.parametrize(
    ("actual_month", "stale"),
    [
        # as of 2026-06-15 (last month 2026-05), fiscal years from January: the last quarter
        # ended is 2026-01..2026-03, so its actual is due for 2026-03; an actual in that
        # quarter or after it (to 2026-05) answers it
        ("2026-05", False),
        ("2026-04", False),
        ("2026-03", False),
        ("2026-02", False),
        ("2026-01", False),
        ("2025-12", True),  # of the quarter before
        ("2026-06", True),  # the as-of month is not in the window
    ],
)
def test_quarterly_metric_is_stale_without_an_actual_since_its_last_fiscal_quarter_began(
    actual_month: str, stale: bool
) -> None:
    metric = make_metric(frequency="quarterly", actuals=actuals({actual_month: 30.0}))
    assert (subjects(with_metric(metric), "stale_metric") == ["m1"]) is stale


@pytest.mark.parametrize(
    ("fiscal_start", "actual_month", "stale"),
    [
        # as of 2026-06-15 (last month 2026-05). From February the quarters end in January,
        # April, July, October: the last ended is 2026-02..2026-04, so 2026-01 is too early.
        (2, "2026-01", True),
        (2, "2026-02", False),
        # From April they end in June, September, December, March: 2026-01..2026-03 is due.
        (4, "2026-01", False),
        (4, "2025-12", True),
    ],
)
def test_the_fiscal_year_start_gives_a_quarterly_metric_its_quarters(
    fiscal_start: int, actual_month: str, stale: bool
) -> None:
    metric = make_metric(frequency="quarterly", actuals=actuals({actual_month: 30.0}))
    plan = with_metric(metric)
    plan = replace(plan, organization=replace(plan.organization, fiscal_year_start=fiscal_start))
    assert (subjects(plan, "stale_metric") == ["m1"]) is stale


def test_a_quarterly_metric_is_not_stale_before_its_first_quarter_ends() -> None:
    # baseline period 2025-12; as of 2026-02-01 the last month is 2026-01, but the first
    # quarter after the baseline (2026-01..2026-03) has not ended: its actual is not due yet
    metric = make_metric(frequency="quarterly", actuals={})
    assert "m1" not in subjects(with_metric(metric), "stale_metric", day("2026-02-01"))
    # as of 2026-04-01 (last month 2026-03) it is due
    assert "m1" in subjects(with_metric(metric), "stale_metric", day("2026-04-01"))


def test_maintain_metric_without_periods_is_stale_without_last_month() -> None:
    # a maintain metric has no baseline or target period, so no window limits it
    plan = with_metric(make_maintain_metric(actuals=actuals({"2026-04": 100.0})))
    assert subjects(plan, "stale_metric") == ["m1"]


# --- missing_countermeasure ------------------------------------------------------------
# m1: b=0, t=120 (2025-12 -> 2026-12); plan of 2026-05 is 50; plan of 2026-04 is 40.


def red_in_may() -> Metric:
    """Actual 30 against the plan 50 of 2026-05: deviation -20 / 120 = -0.167 -> red."""
    return make_metric(actuals=actuals({"2026-05": 30.0}))


def test_red_metric_without_countermeasure_is_reported() -> None:
    assert subjects(with_metric(red_in_may()), "missing_countermeasure") == ["m1"]


def test_red_metric_with_a_countermeasure_for_that_month_is_not_reported() -> None:
    plan = with_metric(red_in_may(), make_countermeasure(metric="m1", period=month("2026-05")))
    assert subjects(plan, "missing_countermeasure") == []


def test_a_closed_countermeasure_still_answers_the_red_month() -> None:
    measure = make_countermeasure(metric="m1", period=month("2026-05"), status="closed")
    assert subjects(with_metric(red_in_may(), measure), "missing_countermeasure") == []


def test_countermeasure_for_another_month_does_not_answer_the_red_month() -> None:
    plan = with_metric(red_in_may(), make_countermeasure(metric="m1", period=month("2026-04")))
    assert subjects(plan, "missing_countermeasure") == ["m1"]


def test_countermeasure_for_another_metric_does_not_answer_the_red_month() -> None:
    plan = with_metric(red_in_may(), make_countermeasure(metric="m0", period=month("2026-05")))
    assert subjects(plan, "missing_countermeasure") == ["m1"]


def test_amber_metric_needs_no_countermeasure() -> None:
    # 45 against 50: deviation -5 / 120 = -0.042 -> amber
    plan = with_metric(make_metric(actuals=actuals({"2026-05": 45.0})))
    assert subjects(plan, "missing_countermeasure") == []


def test_red_month_before_the_latest_month_needs_no_countermeasure() -> None:
    # 2026-04: 10 against 40 (red); 2026-05: 50 against 50 (green, the latest month)
    plan = with_metric(make_metric(actuals=actuals({"2026-04": 10.0, "2026-05": 50.0})))
    assert subjects(plan, "missing_countermeasure") == []


def test_red_maintain_metric_without_countermeasure_is_reported() -> None:
    plan = with_metric(make_maintain_metric(actuals=actuals({"2026-05": 120.0})))
    assert subjects(plan, "missing_countermeasure") == ["m1"]


# --- overdue_countermeasure ------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        ("2026-06-14", "open", True),  # the day before the as-of date
        ("2026-06-15", "open", False),  # due today: not yet past
        ("2026-06-14", "in_progress", True),  # started is not done
        ("2026-06-14", "closed", False),
    ],
)
def test_open_countermeasure_past_its_due_date_is_overdue(
    due: str, status: str, overdue: bool
) -> None:
    measure = make_countermeasure(id="c1", metric="m1", due=day(due), status=status)
    plan = replace(aligned_plan(), countermeasures=(measure,))
    assert (subjects(plan, "overdue_countermeasure") == ["c1"]) is overdue
    assert measure.overdue(day("2026-06-15")) is overdue  # the pages' flag is the same rule


def test_overdue_finding_says_a_started_countermeasure_is_in_progress() -> None:
    measure = make_countermeasure(id="c1", metric="m1", due=day("2026-06-01"),
                                  status="in_progress")  # fmt: skip
    plan = replace(aligned_plan(), countermeasures=(measure,))
    found = [f for f in findings_of(plan, day("2026-06-15")) if f.subject == "c1"]
    assert [f.message for f in found] == [
        "countermeasure c1 for m1 (2026-05) was due 2026-06-01 and is still in progress"
    ]


# --- late_action -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "late"),
    [
        ("2026-06-14", False, True),  # due the day before the as-of date 2026-06-15
        ("2026-01-31", False, True),
        ("2026-06-15", False, False),  # due on the as-of date: not past it
        ("2026-06-16", False, False),
        ("2026-06-14", True, False),  # done
    ],
)
def test_late_action_is_past_its_due_date_and_not_done(due: str, done: bool, late: bool) -> None:
    action = make_action(id="act1", serves=("a-obj",), duration_days=5, due=day(due), done=done)
    assert (subjects(with_actions(action), "late_action") == ["act1"]) is late


def test_action_without_due_is_never_late() -> None:
    action = make_action(id="act1", serves=("a-obj",), duration_days=5)
    assert subjects(with_actions(action), "late_action") == []


# --- infeasible_schedule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "infeasible"),
    [
        # a-obj's deadline is 2026-12-31; as of 2026-06-15:
        (200, False),  # latest start 12-31 - 200 + 1 = 06-15: slack 0
        (201, True),  # latest start 06-14: slack -1
    ],
)
def test_infeasible_schedule_when_the_chain_cannot_finish_by_the_deadline(
    duration: int, infeasible: bool
) -> None:
    action = make_action(id="act1", serves=("a-obj",), duration_days=duration)
    assert (subjects(with_actions(action), "infeasible_schedule") == ["a-obj"]) is infeasible


# --- over_allocated --------------------------------------------------------------------


def loads(*spans: tuple[str, str, float], owner: str = "p1") -> Plan:
    """The aligned plan with actions of ``owner`` over (start, due, fte)."""
    return with_actions(
        *(
            make_action(
                id=f"x{i}", owner=owner, serves=("a-obj",), start=day(s), due=day(d), fte=fte
            )
            for i, (s, d, fte) in enumerate(spans)
        )
    )


def test_person_above_one_fte_on_an_overlapping_day_is_over_allocated() -> None:
    # 0.6 over July and 0.6 from 07-31: both run on 07-31 (both ends count), 1.2 > 1.0
    plan = loads(("2026-07-01", "2026-07-31", 0.6), ("2026-07-31", "2026-08-31", 0.6))
    assert subjects(plan, "over_allocated") == ["p1"]


def test_actions_that_follow_each_other_do_not_add_up() -> None:
    # the second starts the day after the first is due: never more than 0.6
    plan = loads(("2026-07-01", "2026-07-31", 0.6), ("2026-08-01", "2026-08-31", 0.6))
    assert subjects(plan, "over_allocated") == []


def test_exactly_one_fte_is_not_over_allocated() -> None:
    plan = loads(("2026-07-01", "2026-07-31", 0.5), ("2026-07-01", "2026-07-31", 0.5))
    assert subjects(plan, "over_allocated") == []


def test_exactly_one_fte_in_inexact_fractions_is_not_over_allocated() -> None:
    # 0.1 + 0.2 + 0.7 = 1.0000000000000002 in floating point, but it is 1.0
    plan = loads(
        ("2026-07-01", "2026-07-31", 0.1),
        ("2026-07-01", "2026-07-31", 0.2),
        ("2026-07-01", "2026-07-31", 0.7),
    )
    assert subjects(plan, "over_allocated") == []


def test_actions_of_different_people_do_not_add_up() -> None:
    plan = with_actions(
        make_action(id="x1", owner="p1", start=day("2026-07-01"), due=day("2026-07-31"), fte=0.8),
        make_action(id="x2", owner="p2", start=day("2026-07-01"), due=day("2026-07-31"), fte=0.8),
    )
    assert subjects(plan, "over_allocated") == []


# --- short_horizon ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("horizon", "short"),
    [
        # earliest objective start 2026: 2026, 2027, 2028, 2029, 2030 are five years
        (2029, True),
        (2030, False),
        (2031, False),
        (2026, True),
    ],
)
def test_short_horizon_needs_five_calendar_years_from_the_first_start(
    horizon: int, short: bool
) -> None:
    plan = replace(aligned_plan(), vision=Vision(statement="Be first", horizon=horizon))
    assert (subjects(plan, "short_horizon") == ["vision"]) is short


def test_short_horizon_counts_from_the_earliest_objective_start() -> None:
    # an objective starting 2025-10: 2025 .. 2029 are five years, so 2029 is enough
    early = make_objective(id="t1", level="team", start=month("2025-10"), supports={"a-obj": 1.0})
    base = replace(aligned_plan(), vision=Vision(statement="Be first", horizon=2029))
    assert subjects(with_objectives(early, plan=base), "short_horizon") == []
    assert subjects(base, "short_horizon") == ["vision"]


def test_vision_without_horizon_is_short() -> None:
    plan = replace(aligned_plan(), vision=Vision(statement="Be first"))
    assert subjects(plan, "short_horizon") == ["vision"]


# --- the planner's extra findings ------------------------------------------------------


def history(target: float) -> Metric:
    """Actuals 0, 10, .., 60 from 2025-12 to 2026-06 (+10 a month) and ``target`` in 2026-12:
    the latest actual is 60 in 2026-06, with 6 months left."""
    values = {"2025-12": 0.0, **{f"2026-{n:02d}": 10.0 * n for n in range(1, 7)}}
    return make_metric(target=target, actuals=actuals(values))


@pytest.mark.parametrize(
    ("target", "unachievable"),
    [
        # recent pace from 2025-12 (6 months before the latest actual): (60 - 0) / 6 = 10 a month;
        # twice that is 20
        (180.0, False),  # needed (180 - 60) / 6 = 20: not more than twice the pace
        (186.0, True),  # needed (186 - 60) / 6 = 21 > 20
    ],
)
def test_unachievable_rate_is_a_needed_pace_over_twice_the_recent_pace(
    target: float, unachievable: bool
) -> None:
    plan = with_metric(history(target))
    found = subjects(plan, "unachievable_rate", day("2026-07-15"))
    assert (found == ["m1"]) is unachievable


def test_unachievable_rate_needs_an_actual_six_months_before_the_latest() -> None:
    # 2026-01 .. 2026-06 only: the earliest is 5 months before the latest, too little history
    values = {f"2026-{n:02d}": 10.0 * n for n in range(1, 7)}
    plan = with_metric(make_metric(target=1000.0, actuals=actuals(values)))
    assert subjects(plan, "unachievable_rate", day("2026-07-15")) == []


def test_metric_on_pace_is_not_unachievable() -> None:
    # needed (120 - 60) / 6 = 10 a month, recent pace 10 a month
    plan = with_metric(history(120.0))
    assert subjects(plan, "unachievable_rate", day("2026-07-15")) == []


def test_metric_on_or_ahead_of_plan_is_not_unachievable() -> None:
    """Plan overridden to 10 for 2026-06; actuals 0 (2025-12) .. 12 (2026-06): green.
    needed (120 - 12) / 6 = 18 a month against a recent (12 - 0) / 6 = 2: over twice,
    yet a metric at or ahead of its plan gets no warning about its pace."""
    values = {"2025-12": 0.0, **{f"2026-{n:02d}": 2.0 * n for n in range(1, 7)}}
    metric = make_metric(actuals=actuals(values), targets={month("2026-06"): 10.0})
    plan = with_metric(metric)
    assert analysis_of(plan, day("2026-07-15")).metrics["m1"].status == "green"
    assert subjects(plan, "unachievable_rate", day("2026-07-15")) == []
    behind = with_metric(replace(metric, targets={}))  # plan 60 in 2026-06: 12 is red
    assert subjects(behind, "unachievable_rate", day("2026-07-15")) == ["m1"]


@pytest.mark.parametrize(("count", "overloaded"), [(5, False), (6, True)])
def test_owner_of_more_than_five_objectives_at_one_level_is_overloaded(
    count: int, overloaded: bool
) -> None:
    extra = [
        make_objective(id=f"t{i}", level="team", owner="p2", supports={"a-obj": 1.0})
        for i in range(count)
    ]
    plan = with_objectives(*extra)
    assert (subjects(plan, "owner_overloaded") == ["p2"]) is overloaded


@pytest.mark.parametrize(
    ("level", "title", "vague"),
    [
        ("team", "Improve customer service", True),
        ("annual", "Optimize the supply chain", True),
        ("team", "Improve on-time delivery to 95%", False),  # it gives a number
        ("team", "Cut returns to 2% of orders", False),
        ("breakthrough", "Be world-class", False),  # a breakthrough may inspire
        ("team", "Support the sales team", True),  # the verb that opens the title
        ("annual", "Drive adoption of the new ERP", True),
        ("team", "Leverage our partners", True),
        ("team", "Cut customer support response time", False),  # a noun, not the verb
    ],
)
def test_vague_title_without_a_number(level: str, title: str, vague: bool) -> None:
    plan = with_objectives(make_objective(id="x1", level=level, title=title))
    assert (subjects(plan, "vague_title") == ["x1"]) is vague


@pytest.mark.parametrize(
    ("action", "unscheduled"),
    [
        (make_action(id="act1", serves=("a-obj",)), True),
        (make_action(id="act1", serves=("a-obj",), due=day("2026-09-30")), True),
        (make_action(id="act1", serves=("a-obj",), done=True), False),
        (make_action(id="act1", serves=("a-obj",), duration_days=5), False),
        (
            make_action(
                id="act1", serves=("a-obj",), start=day("2026-07-01"), due=day("2026-07-31")
            ),
            False,
        ),
    ],
)
def test_open_action_without_length_is_unscheduled(action: Action, unscheduled: bool) -> None:
    assert (subjects(with_actions(action), "unscheduled_action") == ["act1"]) is unscheduled


def test_findings_use_the_as_of_date() -> None:
    # the same action is not late on its due date and late the day after
    action = make_action(id="act1", serves=("a-obj",), duration_days=5, due=AS_OF)
    assert subjects(with_actions(action), "late_action") == []
    later = day("2026-06-16")
    assert subjects(with_actions(action), "late_action", later) == ["act1"]
