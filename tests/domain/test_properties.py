"""Properties of the roll-up, the trajectories and the backward schedule (hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from domain_factories import make_action, make_maintain_metric, make_metric, make_objective
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hoshin.domain.model import Action, Metric, Objective
from hoshin.domain.months import Month
from hoshin.domain.rollup import roll_up
from hoshin.domain.schedule import backward_schedule, objective_schedules
from hoshin.domain.status import MetricResult, evaluate_metric
from hoshin.domain.trajectory import planned_value

BASE_MONTH = Month.of(2026, 1)
BASE_DAY = date(2026, 1, 1)

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.01, max_value=100.0, allow_nan=False, allow_infinity=False)
months = st.integers(min_value=-24, max_value=60).map(lambda k: BASE_MONTH + k)


@st.composite
def metrics(draw: st.DrawFn, key: str) -> Metric:
    """A linear or compound increase/decrease metric, with actuals anywhere around its path."""
    compound = draw(st.booleans())
    baseline = draw(positive if compound else values)
    target = draw((positive if compound else values).filter(lambda t: t != baseline))
    start = draw(months)
    length = draw(st.integers(min_value=1, max_value=60))
    observed = draw(st.dictionaries(months, values, max_size=6))
    return make_metric(
        id=key,
        direction="increase" if target > baseline else "decrease",
        baseline=baseline,
        baseline_period=start,
        target=target,
        target_period=start + length,
        trajectory="compound" if compound else "linear",
        weight=draw(weights),
        actuals=observed,
    )


@st.composite
def band_metrics(draw: st.DrawFn, key: str) -> Metric:
    """A ``maintain`` metric with a band around 0 and actuals in and out of it."""
    low = draw(st.floats(min_value=-100.0, max_value=0.0))
    return make_maintain_metric(
        id=key,
        minimum=low,
        maximum=draw(st.floats(min_value=0.0, max_value=100.0)),
        weight=draw(weights),
        actuals=draw(st.dictionaries(months, values, max_size=3)),
    )


@dataclass(frozen=True)
class Hierarchy:
    """Objectives whose supports only point at objectives earlier in the list (no cycles)."""

    objectives: list[Objective]
    results: dict[str, MetricResult]


@st.composite
def hierarchies(draw: st.DrawFn) -> Hierarchy:
    count = draw(st.integers(min_value=1, max_value=7))
    as_of = draw(months)
    objectives: list[Objective] = []
    results: dict[str, MetricResult] = {}
    for i in range(count):
        own = [
            draw(metrics(f"m{i}_{j}") | band_metrics(f"m{i}_{j}"))
            for j in range(draw(st.integers(min_value=0, max_value=3)))
        ]
        for metric in own:
            results[metric.id] = evaluate_metric(metric, as_of)
        parents = (
            draw(st.lists(st.integers(min_value=0, max_value=i - 1), unique=True)) if i else []
        )
        supports = {f"o{p}": draw(weights) for p in parents}
        objectives.append(
            make_objective(
                id=f"o{i}",
                metrics=tuple(own),
                supports=supports,
                tolerance=draw(st.floats(min_value=0.0, max_value=1.0)),
            )
        )
    return Hierarchy(objectives, results)


@settings(deadline=None, max_examples=200)
@given(hierarchies())
def test_objective_progress_stays_between_zero_and_one(hierarchy: Hierarchy) -> None:
    for result in roll_up(hierarchy.objectives, hierarchy.results).values():
        if result.status == "unmeasured":
            assert result.progress is None
            assert result.planned_progress is None
            continue
        assert result.progress is not None
        assert 0.0 <= result.progress <= 1.0


@settings(deadline=None, max_examples=200)
@given(metrics("m1"), months)
def test_metric_progress_stays_between_zero_and_one(metric: Metric, as_of: Month) -> None:
    progress = evaluate_metric(metric, as_of).progress
    assert progress is None or 0.0 <= progress <= 1.0


@settings(deadline=None, max_examples=200)
@given(metrics("m1"), months)
def test_roll_up_of_a_single_metric_equals_its_progress(metric: Metric, as_of: Month) -> None:
    measured = evaluate_metric(metric, as_of)
    result = roll_up([make_objective(id="o1", metrics=(metric,))], {"m1": measured})["o1"]
    # w * p / w: equal up to the rounding of one multiplication and one division
    expected = 0.0 if measured.progress is None else measured.progress
    assert result.progress == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert result.planned_progress == pytest.approx(measured.planned_progress, rel=1e-12, abs=1e-12)
    assert (result.status == "no_data") is (measured.status == "no_data")


@settings(deadline=None, max_examples=200)
@given(
    baseline=st.floats(min_value=0.01, max_value=1e6),
    rate=st.floats(min_value=-0.9, max_value=2.0).filter(lambda r: r != 0),
    years=st.integers(min_value=1, max_value=6),
    data=st.data(),
)
def test_compound_trajectory_at_whole_years_is_baseline_times_growth_to_the_years(
    baseline: float, rate: float, years: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(min_value=0, max_value=years), label="k")
    metric = make_metric(
        direction="increase" if rate > 0 else "decrease",
        baseline=baseline,
        baseline_period=BASE_MONTH,
        target=None,
        rate_per_year=rate,
        target_period=BASE_MONTH + 12 * years,
        trajectory="compound",
    )
    # b * (1 + r)^k after k whole years
    assert planned_value(metric, BASE_MONTH + 12 * k) == pytest.approx(
        baseline * (1 + rate) ** k, rel=1e-9
    )


@settings(deadline=None, max_examples=200)
@given(metrics("m1"), months)
def test_linear_and_compound_plans_stay_between_baseline_and_target(
    metric: Metric, when: Month
) -> None:
    planned = planned_value(metric, when)
    assert planned is not None
    assert metric.baseline is not None
    assert metric.target is not None
    low, high = sorted((metric.baseline, metric.target))
    assert planned == pytest.approx(min(max(planned, low), high), rel=1e-9)


# --- schedule --------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """Actions (each requiring only earlier ones) serving o1, and an as-of date."""

    actions: list[Action]
    end: Month
    as_of: date


@st.composite
def projects(draw: st.DrawFn) -> Project:
    count = draw(st.integers(min_value=1, max_value=8))
    actions: list[Action] = []
    for i in range(count):
        requires = (
            draw(st.lists(st.integers(min_value=0, max_value=i - 1), unique=True, max_size=3))
            if i
            else []
        )
        own_start = draw(st.none() | st.integers(min_value=0, max_value=400))
        own_due = draw(st.none() | st.integers(min_value=0, max_value=500))
        actions.append(
            make_action(
                id=f"a{i}",
                duration_days=draw(st.integers(min_value=1, max_value=90)),
                progress=draw(st.integers(min_value=0, max_value=100)),
                start=None if own_start is None else BASE_DAY + timedelta(days=own_start),
                due=None if own_due is None else BASE_DAY + timedelta(days=own_due),
                requires=tuple(f"a{r}" for r in requires),
                serves=("o1",) if draw(st.booleans()) else (),
                done=draw(st.booleans()),
            )
        )
    end = BASE_MONTH + draw(st.integers(min_value=0, max_value=24))
    as_of = BASE_DAY + timedelta(days=draw(st.integers(min_value=0, max_value=300)))
    return Project(actions, end, as_of)


def plan_at(project: Project, end: Month) -> tuple[dict[str, int | None], bool, int]:
    """(slack of each action, feasible, days late) of o1 when o1 ends in ``end``."""
    objectives = [make_objective(id="o1", end=end)]
    dates = backward_schedule(project.actions, objectives, project.as_of)
    schedule = objective_schedules(objectives, project.actions, dates)["o1"]
    slacks = {key: value.slack_days for key, value in dates.items()}
    return slacks, schedule.feasible, schedule.days_late


@settings(deadline=None, max_examples=300)
@given(projects(), st.integers(min_value=1, max_value=36))
def test_moving_the_deadline_later_never_makes_a_feasible_objective_infeasible(
    project: Project, later: int
) -> None:
    _, feasible_before, late_before = plan_at(project, project.end)
    _, feasible_after, late_after = plan_at(project, project.end + later)
    if feasible_before:
        assert feasible_after
    assert late_after <= late_before


@settings(deadline=None, max_examples=300)
@given(projects(), st.integers(min_value=1, max_value=36))
def test_moving_the_deadline_later_never_lowers_slack(project: Project, later: int) -> None:
    before, _, _ = plan_at(project, project.end)
    after, _, _ = plan_at(project, project.end + later)
    for key, slack in before.items():
        if slack is not None:
            slack_after = after[key]
            assert slack_after is not None
            assert slack_after >= slack


@settings(deadline=None, max_examples=300)
@given(projects(), st.data())
def test_moving_an_action_due_date_later_never_lowers_slack(
    project: Project, data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(project.actions) - 1), label="i")
    days = data.draw(st.integers(min_value=1, max_value=120), label="days")
    action = project.actions[index]
    assume(action.due is not None)  # a discarded example, not one that passes unchecked
    assert action.due is not None
    moved = list(project.actions)
    moved[index] = replace(action, due=action.due + timedelta(days=days))
    before, feasible_before, _ = plan_at(project, project.end)
    after, feasible_after, _ = plan_at(replace(project, actions=moved), project.end)
    for key, slack in before.items():
        if slack is not None:
            slack_after = after[key]
            assert slack_after is not None
            assert slack_after >= slack
    if feasible_before:
        assert feasible_after


@settings(deadline=None, max_examples=300)
@given(projects())
def test_scheduled_windows_are_consistent(project: Project) -> None:
    # earliest and latest windows of an action span the same remaining days, and a
    # requirement finishes (earliest) before its dependent starts (earliest)
    dates = backward_schedule(
        project.actions, [make_objective(id="o1", end=project.end)], project.as_of
    )
    for action in project.actions:
        window = dates[action.id]
        if window.earliest_start is None or window.earliest_finish is None:
            continue
        assert window.earliest_start >= project.as_of
        if window.latest_start is not None and window.latest_finish is not None:
            early = (window.earliest_finish - window.earliest_start).days
            late = (window.latest_finish - window.latest_start).days
            assert early == late
            assert window.slack_days == (window.latest_start - window.earliest_start).days
        for required in action.requires:
            finish = dates[required].earliest_finish
            if finish is not None:
                assert finish < window.earliest_start
