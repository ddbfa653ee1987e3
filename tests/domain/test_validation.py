"""plan_problems: every rule a plan must keep, each pinned to the path of the bad value."""

from __future__ import annotations

from dataclasses import replace

import pytest
from domain_factories import (
    aligned_plan,
    day,
    make_action,
    make_countermeasure,
    make_maintain_metric,
    make_metric,
    make_objective,
    make_plan,
    month,
)

from hoshin.domain.model import Action, Metric, Organization, Person, Plan, Unit
from hoshin.domain.validation import Path, metric_problems, plan_problems


def at(plan: Plan, path: Path) -> list[str]:
    """The messages of the problems of ``plan`` at ``path``."""
    return [problem.message for problem in plan_problems(plan) if problem.path == path]


def metric_messages(metric: Metric) -> dict[Path, str]:
    """The problems of one metric keyed by the path under the metric."""
    return {problem.path: problem.message for problem in metric_problems((), metric)}


def with_metric(metric: Metric) -> Plan:
    """The aligned plan whose annual objective is measured by ``metric`` alone."""
    base = aligned_plan()
    breakthrough, annual = base.objectives
    return replace(base, objectives=(breakthrough, replace(annual, metrics=(metric,))))


def with_actions(*actions: Action) -> Plan:
    """The aligned plan with ``actions`` instead of its own."""
    return replace(aligned_plan(), actions=actions)


def test_the_aligned_plan_has_no_problems() -> None:
    assert plan_problems(aligned_plan()) == []


def test_an_empty_plan_has_no_problems() -> None:
    assert plan_problems(make_plan()) == []


# --- ids -------------------------------------------------------------------------------


def test_duplicate_objective_id_is_a_problem_at_the_second_use() -> None:
    base = aligned_plan()
    plan = replace(base, objectives=(*base.objectives, make_objective(id="b1")))
    messages = at(plan, ("objectives", 2, "id"))
    assert len(messages) == 1
    assert "duplicate id 'b1'" in messages[0]
    assert "objectives/0" in messages[0]  # where it was first used


def test_ids_are_unique_across_kinds() -> None:
    # an action named like the breakthrough objective
    plan = with_actions(make_action(id="b1", serves=("a-obj",), duration_days=5))
    assert any("duplicate id 'b1'" in m for m in at(plan, ("actions", 0, "id")))


def test_metric_id_clashing_with_a_person_is_a_problem() -> None:
    plan = with_metric(make_metric(id="p1"))
    assert any("duplicate id 'p1'" in m for m in at(plan, ("objectives", 1, "metrics", 0, "id")))


# --- references ------------------------------------------------------------------------


def test_supports_of_an_unknown_objective_is_a_problem() -> None:
    base = aligned_plan()
    stray = make_objective(id="t1", level="team", supports={"nowhere": 1.0})
    plan = replace(base, objectives=(*base.objectives, stray))
    assert at(plan, ("objectives", 2, "supports", "nowhere")) == ["unknown objective 'nowhere'"]


@pytest.mark.parametrize(
    ("action", "path", "message"),
    [
        (
            make_action(id="x", serves=("ghost",)),
            ("actions", 0, "serves", "ghost"),
            "unknown objective 'ghost'",
        ),
        (
            make_action(id="x", moves=("m404",)),
            ("actions", 0, "moves", "m404"),
            "unknown metric 'm404'",
        ),
        (
            make_action(id="x", requires=("later",)),
            ("actions", 0, "requires", "later"),
            "unknown action 'later'",
        ),
        (make_action(id="x", owner="nobody"), ("actions", 0, "owner"), "unknown person 'nobody'"),
        (make_action(id="x", unit="hq"), ("actions", 0, "unit"), "unknown unit 'hq'"),
    ],
)
def test_unknown_references_of_an_action(action: Action, path: Path, message: str) -> None:
    assert at(with_actions(action), path) == [message]


def test_unknown_owner_of_an_objective_is_a_problem() -> None:
    base = aligned_plan()
    plan = replace(base, objectives=(*base.objectives, make_objective(id="x", owner="ghost")))
    assert at(plan, ("objectives", 2, "owner")) == ["unknown person 'ghost'"]


def test_unknown_owner_of_a_metric_is_a_problem_and_a_known_one_is_not() -> None:
    base = aligned_plan()
    breakthrough, annual = base.objectives
    owned = replace(breakthrough, metrics=(replace(breakthrough.metrics[0], owner="p2"),))
    ghost = replace(annual, metrics=(replace(annual.metrics[0], owner="ghost"),))
    plan = replace(base, objectives=(owned, ghost))
    assert at(plan, ("objectives", 0, "metrics", 0, "owner")) == []
    assert at(plan, ("objectives", 1, "metrics", 0, "owner")) == ["unknown person 'ghost'"]


def test_unknown_lead_of_a_unit_is_a_problem_and_a_known_one_is_not() -> None:
    units = (Unit("u1", "Sales", lead="p1"), Unit("u2", "Service", "u1", lead="ghost"))
    plan = replace(aligned_plan(), units=units)
    assert at(plan, ("units", 0, "lead")) == []
    assert at(plan, ("units", 1, "lead")) == ["unknown person 'ghost'"]


def test_countermeasure_for_an_unknown_metric_is_a_problem() -> None:
    plan = replace(aligned_plan(), countermeasures=(make_countermeasure(metric="m404"),))
    assert at(plan, ("countermeasures", 0, "metric")) == ["unknown metric 'm404'"]


def test_unit_with_an_unknown_parent_is_a_problem() -> None:
    plan = replace(aligned_plan(), units=(Unit(id="u1", name="Sales", parent="u9"),))
    assert at(plan, ("units", 0, "parent")) == ["unknown unit 'u9'"]


def test_person_in_an_unknown_unit_is_a_problem() -> None:
    plan = replace(aligned_plan(), people=(Person(id="p1", name="Pat", unit="u9"),))
    assert at(plan, ("people", 0, "unit")) == ["unknown unit 'u9'"]


def test_countermeasure_of_an_unknown_owner_is_a_problem() -> None:
    plan = replace(aligned_plan(), countermeasures=(make_countermeasure(owner="ghost"),))
    assert at(plan, ("countermeasures", 0, "owner")) == ["unknown person 'ghost'"]


def test_unit_that_is_its_own_parent_is_a_problem() -> None:
    plan = replace(aligned_plan(), units=(Unit(id="u1", name="Sales", parent="u1"),))
    assert at(plan, ("units", 0, "parent")) == ["a unit cannot be its own parent"]


def test_known_references_are_no_problem() -> None:
    plan = replace(
        aligned_plan(),
        units=(Unit(id="u1", name="Company"), Unit(id="u2", name="Sales", parent="u1")),
        actions=(
            make_action(id="x1", unit="u2", duration_days=2, moves=("m1",)),
            make_action(id="x2", serves=("a-obj",), duration_days=3, requires=("x1",)),
        ),
    )
    assert plan_problems(plan) == []


# --- cycles ----------------------------------------------------------------------------


def test_cycle_in_supports_is_a_problem() -> None:
    plan = make_plan(
        objectives=(
            make_objective(id="x", supports={"y": 1.0}),
            make_objective(id="y", supports={"z": 1.0}),
            make_objective(id="z", supports={"x": 1.0}),
        )
    )
    messages = [p.message for p in plan_problems(plan) if p.path[-1] == "supports"]
    assert len(messages) == 1
    assert "supports links form a cycle" in messages[0]
    assert "x -> y -> z -> x" in messages[0]


def test_cycle_in_requires_is_a_problem() -> None:
    plan = with_actions(
        make_action(id="x", duration_days=1, requires=("y",)),
        make_action(id="y", duration_days=1, requires=("x",)),
    )
    messages = [p.message for p in plan_problems(plan) if p.path[-1] == "requires"]
    assert len(messages) == 1
    assert "requires links form a cycle" in messages[0]


def test_objective_supporting_itself_is_a_problem() -> None:
    plan = make_plan(objectives=(make_objective(id="x", supports={"x": 1.0}),))
    assert at(plan, ("objectives", 0, "supports", "x")) == ["an objective cannot support itself"]


def test_action_requiring_itself_is_a_problem() -> None:
    plan = with_actions(make_action(id="x", duration_days=1, requires=("x",)))
    assert at(plan, ("actions", 0, "requires", "x")) == ["an action cannot require itself"]


def test_cycle_of_unit_parents_is_a_problem() -> None:
    plan = replace(
        aligned_plan(),
        units=(Unit(id="u1", name="A", parent="u2"), Unit(id="u2", name="B", parent="u1")),
    )
    assert any("cycle" in p.message for p in plan_problems(plan))


def test_diamond_of_supports_is_not_a_cycle() -> None:
    # t supports a1 and a2, both support b: two paths, no cycle
    plan = make_plan(
        objectives=(
            make_objective(id="b", level="breakthrough"),
            make_objective(id="a1", supports={"b": 1.0}),
            make_objective(id="a2", supports={"b": 1.0}),
            make_objective(id="t", level="team", supports={"a1": 1.0, "a2": 1.0}),
        )
    )
    assert plan_problems(plan) == []


# --- metrics ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "message"),
    [
        ("increase", 100.0, 90.0, "direction is increase but the target 90 is below the baseline"),
        ("decrease", 100.0, 110.0, "direction is decrease but the target 110 is above"),
    ],
)
def test_direction_that_disagrees_with_the_target_is_a_problem(
    direction: str, baseline: float, target: float, message: str
) -> None:
    metric = make_metric(direction=direction, baseline=baseline, target=target)
    assert message in metric_messages(metric)[("target",)]


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [("increase", 100.0, 110.0), ("decrease", 100.0, 90.0), ("decrease", 5.0, -5.0)],
)
def test_direction_that_agrees_with_the_target_is_no_problem(
    direction: str, baseline: float, target: float
) -> None:
    metric = make_metric(direction=direction, baseline=baseline, target=target)
    assert metric_messages(metric) == {}


def test_target_equal_to_the_baseline_is_a_problem() -> None:
    metric = make_metric(baseline=50.0, target=50.0)
    assert metric_messages(metric) == {("target",): "the target equals the baseline (50)"}


def test_rate_of_zero_is_a_target_equal_to_the_baseline() -> None:
    # 100 * (1 + 0)^1 = 100
    metric = make_metric(baseline=100.0, target=None, rate_per_year=0.0, trajectory="compound")
    assert metric_messages(metric) == {("rate_per_year",): "the target equals the baseline (100)"}


@pytest.mark.parametrize("baseline", [0.0, -10.0])
def test_compound_trajectory_with_a_non_positive_baseline_is_a_problem(baseline: float) -> None:
    metric = make_metric(baseline=baseline, target=100.0, trajectory="compound")
    assert (
        "compound trajectory needs a baseline and target above 0"
        in (metric_messages(metric)[("baseline",)])
    )


def test_compound_trajectory_with_a_non_positive_target_is_a_problem() -> None:
    metric = make_metric(direction="decrease", baseline=100.0, target=0.0, trajectory="compound")
    assert (
        "compound trajectory needs a baseline and target above 0"
        in (metric_messages(metric)[("target",)])
    )


def test_rate_of_minus_one_compounds_to_zero_and_is_a_problem() -> None:
    # 100 * (1 - 1)^1 = 0: not above 0
    metric = make_metric(
        direction="decrease", baseline=100.0, target=None, rate_per_year=-1.0, trajectory="compound"
    )
    assert ("rate_per_year",) in metric_messages(metric)


def test_a_rate_that_compounds_past_any_number_is_a_problem() -> None:
    # 1900-01 to 2999-12 is 13,199 months, 1,099.9 years: 10 * 3^1099.9 is about 10^525,
    # past the largest float (1.8 * 10^308)
    metric = make_metric(
        baseline=10.0, target=None, rate_per_year=2.0, trajectory="compound",
        baseline_period=month("1900-01"), target_period=month("2999-12"),
    )  # fmt: skip
    assert metric_messages(metric) == {
        ("rate_per_year",): "rate_per_year 2 compounds past any number by 2999-12: choose a "
        "nearer target_period or a lower rate"
    }


def test_rate_per_year_on_a_non_positive_baseline_is_a_problem() -> None:
    metric = make_metric(baseline=0.0, target=None, rate_per_year=0.2, trajectory="compound")
    assert ("baseline",) in metric_messages(metric)


def test_negative_rate_on_an_increase_metric_is_a_problem() -> None:
    # 100 * (1 - 0.5)^1 = 50 < 100
    metric = make_metric(baseline=100.0, target=None, rate_per_year=-0.5, trajectory="compound")
    assert "direction is increase" in metric_messages(metric)[("rate_per_year",)]


def test_target_and_rate_per_year_together_are_a_problem() -> None:
    metric = make_metric(target=130.0, rate_per_year=0.2, trajectory="compound")
    assert metric_messages(metric) == {
        ("rate_per_year",): "give a target or a rate_per_year, not both"
    }


def test_neither_target_nor_rate_per_year_is_a_problem() -> None:
    assert metric_messages(make_metric(target=None)) == {
        ("target",): "give a target or a rate_per_year"
    }


def test_rate_per_year_with_a_linear_trajectory_is_a_problem() -> None:
    metric = make_metric(baseline=100.0, target=None, rate_per_year=0.2, trajectory="linear")
    assert ("trajectory",) in metric_messages(metric)


@pytest.mark.parametrize("missing", ["baseline", "baseline_period", "target_period"])
def test_increase_metric_needs_baseline_and_periods(missing: str) -> None:
    metric = make_metric(**{missing: None})
    assert metric_messages(metric)[(missing,)] == f"an increase metric needs {missing}"


@pytest.mark.parametrize("target_period", ["2025-12", "2025-06"])
def test_target_period_must_be_after_the_baseline_period(target_period: str) -> None:
    metric = make_metric(target_period=month(target_period))  # baseline period 2025-12
    assert ("target_period",) in metric_messages(metric)


def test_maintain_metric_needs_a_band() -> None:
    metric = make_maintain_metric(minimum=None, maximum=None)
    assert metric_messages(metric) == {("direction",): "a maintain metric needs min, max or both"}


def test_maintain_band_with_min_above_max_is_a_problem() -> None:
    metric = make_maintain_metric(minimum=110.0, maximum=90.0)
    assert ("min",) in metric_messages(metric)


@pytest.mark.parametrize("band", [(90.0, None), (None, 110.0), (100.0, 100.0)])
def test_maintain_metric_with_one_bound_or_a_point_is_no_problem(
    band: tuple[float | None, float | None],
) -> None:
    metric = make_maintain_metric(minimum=band[0], maximum=band[1])
    assert metric_messages(metric) == {}


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"tolerance": -0.1}, ("tolerance",)),
        ({"weight": 0.0}, ("weight",)),
        ({"weight": -1.0}, ("weight",)),
    ],
)
def test_metric_tolerance_and_weight_bounds(overrides: dict[str, float], path: Path) -> None:
    assert path in metric_messages(make_metric(**overrides))


def test_metric_problems_are_reported_at_their_path_in_the_plan() -> None:
    plan = with_metric(make_metric(baseline=50.0, target=50.0))
    assert at(plan, ("objectives", 1, "metrics", 0, "target")) == [
        "the target equals the baseline (50)"
    ]


# --- objectives ------------------------------------------------------------------------


def test_objective_ending_before_it_starts_is_a_problem() -> None:
    objective = make_objective(start=month("2026-06"), end=month("2026-05"))
    plan = make_plan(objectives=(objective,))
    assert at(plan, ("objectives", 0, "end")) == ["end 2026-05 is before start 2026-06"]


@pytest.mark.parametrize("weight", [0.0, -2.0])
def test_supports_weight_must_be_above_zero(weight: float) -> None:
    plan = make_plan(
        objectives=(
            make_objective(id="b", level="breakthrough"),
            make_objective(id="a", supports={"b": weight}),
        )
    )
    assert at(plan, ("objectives", 1, "supports", "b")) == [f"weight {weight} must be above 0"]


def test_negative_objective_tolerance_is_a_problem() -> None:
    plan = make_plan(objectives=(make_objective(tolerance=-0.5),))
    assert at(plan, ("objectives", 0, "tolerance")) == ["must not be negative"]


@pytest.mark.parametrize("fiscal_year_start", [0, 13])
def test_fiscal_year_start_is_a_month_number(fiscal_year_start: int) -> None:
    plan = make_plan(organization=Organization(name="Acme", fiscal_year_start=fiscal_year_start))
    assert at(plan, ("organization", "fiscal_year_start")) == [
        "must be a month number from 1 to 12"
    ]


# --- actions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"progress": -1.0}, ("actions", 0, "progress")),
        ({"progress": 100.5}, ("actions", 0, "progress")),
        ({"duration_days": 0}, ("actions", 0, "duration_days")),
        ({"duration_days": 36_501}, ("actions", 0, "duration_days")),  # over a century
        ({"start": day("2026-06-10"), "due": day("2026-06-09")}, ("actions", 0, "due")),
        ({"fte": -0.5}, ("actions", 0, "resources", "fte")),
        ({"budget": -1.0}, ("actions", 0, "resources", "budget")),
    ],
)
def test_action_rules(overrides: dict[str, object], path: Path) -> None:
    plan = with_actions(make_action(id="x", **overrides))
    assert len(at(plan, path)) == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"progress": 0.0},
        {"progress": 100.0},
        {"duration_days": 1},
        {"duration_days": 36_500},
        {"start": day("2026-06-10"), "due": day("2026-06-10")},
        {"fte": 0.0},
    ],
)
def test_action_values_at_the_edge_are_no_problem(overrides: dict[str, object]) -> None:
    assert plan_problems(with_actions(make_action(id="x", **overrides))) == []


def test_every_problem_is_reported_not_only_the_first() -> None:
    plan = with_actions(
        make_action(id="x", owner="ghost", progress=150.0, duration_days=0, serves=("nowhere",))
    )
    paths = {problem.path for problem in plan_problems(plan)}
    assert paths == {
        ("actions", 0, "owner"),
        ("actions", 0, "serves", "nowhere"),
        ("actions", 0, "progress"),
        ("actions", 0, "duration_days"),
    }
