"""The demo plan of ``hoshin demo``: valid, stable, and with something to show on any day."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from hoshin.demo.plan import demo_plan
from hoshin.demo.pump_maker import WEAKER_LINKS
from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.model import Metric, Plan
from hoshin.domain.months import Month
from hoshin.domain.responsible import metric_owner, unit_leads
from hoshin.domain.validation import plan_problems
from hoshin.planfile import dump_plan, parse_plan

# Mid-year, and early in a year when the annual objectives have two months of data.
DAYS = [date(2026, 6, 15), date(2027, 3, 1)]
by_day = pytest.mark.parametrize("today", DAYS, ids=str)


def analysed(today: date) -> tuple[Plan, Analysis]:
    """The demo plan written on ``today`` and its analysis as of that day."""
    plan = demo_plan(today)
    return plan, analyze(plan, today)


def metric(plan: Plan, key: str) -> Metric:
    """The metric with id ``key``."""
    return next(m for m in plan.metrics() if m.id == key)


@by_day
def test_demo_plan_breaks_no_rule(today: date) -> None:
    assert plan_problems(demo_plan(today)) == []


@by_day
def test_demo_plan_reads_back_equal_from_its_plan_file(today: date) -> None:
    plan = demo_plan(today)
    assert parse_plan(dump_plan(plan), "demo.yaml") == plan


@by_day
def test_demo_plan_is_the_same_every_time_for_one_day(today: date) -> None:
    assert demo_plan(today) == demo_plan(today)


def test_demo_plans_of_different_days_follow_the_day() -> None:
    first, later = (demo_plan(day) for day in DAYS)
    assert first.vision.horizon == 2030
    assert later.vision.horizon == 2031


@by_day
def test_demo_has_about_forty_objectives_at_every_level(today: date) -> None:
    plan = demo_plan(today)
    levels = Counter(o.level for o in plan.objectives)
    assert 35 <= len(plan.objectives) <= 45
    assert 3 <= levels["breakthrough"] <= 5
    assert 8 <= levels["annual"] <= 10
    assert 12 <= levels["team"] <= 18
    assert 10 <= levels["individual"] <= 15
    assert 25 <= len(plan.people) <= 30
    assert 5 <= len(plan.units) <= 8
    assert 25 <= len(plan.actions) <= 35


@by_day
def test_plan_starts_last_january_and_the_vision_reaches_five_years(today: date) -> None:
    plan = demo_plan(today)
    first = min(o.start for o in plan.objectives if o.start is not None)
    assert first == Month.of(today.year - 1, 1)
    assert plan.vision.horizon is not None
    assert plan.vision.horizon >= first.year + 4
    assert len(plan.vision.values) in (4, 5)
    assert plan.vision.statement
    assert plan.vision.purpose


@by_day
def test_every_metric_has_two_years_of_actuals_up_to_last_month(today: date) -> None:
    last = Month.of_date(today).minus(1)
    for m in demo_plan(today).metrics():
        months = sorted(m.actuals)
        if m.frequency == "quarterly":
            assert len(months) == 8, m.id
            assert all(month.number % 3 == 0 for month in months), m.id
            assert last - months[-1] < 3, m.id
        else:
            assert months == [last.minus(back) for back in range(23, -1, -1)], m.id


@by_day
def test_demo_has_metrics_of_every_kind(today: date) -> None:
    plan = demo_plan(today)
    metrics = plan.metrics()
    linear = {m.direction for m in metrics if m.trajectory == "linear" and m.target is not None}
    assert {"increase", "decrease"} <= linear
    assert {-0.5, 0.2} <= {m.rate_per_year for m in metrics}
    assert any(m.trajectory == "compound" and m.target is not None for m in metrics)
    band = [m for m in metrics if m.direction == "maintain"]
    assert band
    assert all(m.minimum is not None and m.maximum is not None for m in band)
    assert any(m.frequency == "quarterly" for m in metrics)
    assert any(m.targets for m in metrics)
    assert any(m.weight != 1 for m in metrics)
    assert any(weight != 1 for o in plan.objectives for weight in o.supports.values())


@by_day
def test_objectives_are_green_amber_and_red(today: date) -> None:
    _, analysis = analysed(today)
    statuses = Counter(result.status for result in analysis.objectives.values())
    assert statuses["green"] >= 1
    assert statuses["amber"] >= 1
    assert statuses["red"] >= 1
    # Most of the plan is on track.
    assert statuses["green"] > statuses["amber"] + statuses["red"]


@by_day
def test_findings_show_a_readable_handful_of_problems(today: date) -> None:
    _, analysis = analysed(today)
    codes = Counter(finding.code for finding in analysis.findings)
    expected = {"missing_countermeasure", "infeasible_schedule", "late_action", "over_allocated"}
    assert expected <= set(codes)
    assert "short_horizon" not in codes
    assert "stale_metric" not in codes
    assert 5 <= len(analysis.findings) <= 15


@by_day
def test_red_metrics_have_countermeasures_except_one(today: date) -> None:
    plan, analysis = analysed(today)
    red = {key for key, result in analysis.metrics.items() if result.status == "red"}
    answered = {c.metric for c in plan.countermeasures if c.status == "open"}
    assert len(red) >= 3
    assert len(red - answered) == 1
    missing = [f.subject for f in analysis.findings if f.code == "missing_countermeasure"]
    assert missing == sorted(red - answered)


@by_day
def test_the_late_action_makes_its_objective_infeasible(today: date) -> None:
    plan, analysis = analysed(today)
    late = [f.subject for f in analysis.findings if f.code == "late_action"]
    infeasible = [key for key, s in analysis.schedules.items() if not s.feasible]
    assert len(late) == 1
    assert len(infeasible) == 1
    schedule = analysis.schedules[infeasible[0]]
    assert schedule.days_late > 0
    assert late[0] in schedule.critical
    action = next(a for a in plan.actions if a.id == late[0])
    assert infeasible[0] in action.serves


@by_day
def test_one_person_is_booked_above_full_time(today: date) -> None:
    _, analysis = analysed(today)
    over = [f.subject for f in analysis.findings if f.code == "over_allocated"]
    assert over == ["hughes"]


@by_day
def test_a_metric_has_the_same_latest_status_whatever_the_day(today: date) -> None:
    _, analysis = analysed(today)
    expected = {
        "fpy": "green",
        "service-revenue": "amber",
        "seal-failures": "red",
        "callout-4h": "red",
        "fg-cover": "green",
        "nps": "green",
    }
    assert {key: analysis.metrics[key].status for key in expected} == expected


@pytest.mark.parametrize(
    "today",
    [date(2026, 1, 1), date(2027, 12, 31), date(2028, 2, 29), date(2029, 8, 20)],
    ids=str,
)
def test_demo_stays_sensible_on_any_day(today: date) -> None:
    plan, analysis = analysed(today)
    assert plan_problems(plan) == []
    statuses = {result.status for result in analysis.objectives.values()}
    assert {"green", "amber", "red"} <= statuses
    codes = {finding.code for finding in analysis.findings}
    assert {
        "missing_countermeasure",
        "infeasible_schedule",
        "late_action",
        "over_allocated",
    } <= codes
    assert not codes & {"short_horizon", "stale_metric", "orphan", "not_deployed", "no_owner"}
    assert 5 <= len(analysis.findings) <= 15


def test_actuals_are_rounded_like_the_measure() -> None:
    plan = demo_plan(DAYS[0])
    assert all(
        value == round(value) for value in metric(plan, "service-contracts").actuals.values()
    )
    assert all(
        0 <= value <= 100 for m in plan.metrics() if m.unit == "%" for value in m.actuals.values()
    )


def test_every_weaker_link_of_the_demo_is_a_link_of_its_plan() -> None:
    # seven links are medium or weak (demo.pump_maker.WEAKER_LINKS), so the X-matrix shows
    # all three marks; each must name a real link, or the table would drop it silently
    plan = demo_plan(date(2026, 12, 5))
    weaker = {(o.id, key): s for o in plan.objectives for key, s in o.supports_strength.items()}
    for action in plan.actions:
        weaker |= {(action.id, key): s for key, s in action.serves_strength.items()}
        weaker |= {(action.id, key): s for key, s in action.moves_strength.items()}
    assert weaker == dict(WEAKER_LINKS)
    assert Counter(weaker.values()) == {"medium": 5, "weak": 2}


def test_every_unit_has_a_lead_and_some_metrics_their_own_owner() -> None:
    """Reminders and escalations have someone to reach: each of the 7 units is led (the
    machining cell escalates to Eriksson, then Nowak of operations, then Okafor), 6 of the
    metrics are entered by someone else than their objective's owner (the quality
    engineer Haddad keeps the warranty claims of Larsen's B1), and everyone has an e-mail."""
    plan = demo_plan(DAYS[0])
    assert all(unit.lead is not None for unit in plan.units)
    assert unit_leads(plan.units, "machining") == ("eriksson", "nowak", "okafor")
    own = {m.id: m.owner for m in plan.metrics() if m.owner is not None}
    assert own == {
        "warranty-claims": "haddad", "service-revenue": "whitaker", "ltifr": "benali",
        "seal-failures": "dubois", "callout-4h": "kim", "machining-ppm": "tanaka",
    }  # fmt: skip
    b1 = next(o for o in plan.objectives if o.id == "B1")
    assert (b1.owner, metric_owner(b1.metrics[0], b1)) == ("larsen", "haddad")
    assert all(p.email and p.email.endswith("@northbeck.example") for p in plan.people)
