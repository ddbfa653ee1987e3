"""Objective roll-up: weighted progress of own metrics and supporting objectives."""

from __future__ import annotations

import pytest
from domain_factories import actuals, make_metric, make_objective, make_result, month

from hoshin.domain.model import Objective
from hoshin.domain.rollup import RollUp, roll_up
from hoshin.domain.status import MetricResult, Status, evaluate_metric


def objective(key: str, *metrics: tuple[str, float], **overrides: object) -> Objective:
    """An objective with metrics given as (id, weight)."""
    return make_objective(
        id=key,
        metrics=tuple(make_metric(id=m, weight=w) for m, w in metrics),
        **overrides,
    )


def test_progress_is_the_weighted_mean_of_own_metrics() -> None:
    # m1 w=1 progress 0.5 planned 0.5; m2 w=3 progress 1.0 planned 0.5
    # progress (1*0.5 + 3*1.0) / 4 = 0.875; planned (1*0.5 + 3*0.5) / 4 = 0.5
    objectives = [objective("o1", ("m1", 1.0), ("m2", 3.0))]
    metrics = {"m1": make_result(0.5, 0.5), "m2": make_result(1.0, 0.5)}
    result = roll_up(objectives, metrics)["o1"]
    assert result == RollUp("annual", 0.875, 0.5, "green")


def test_supporting_objectives_count_with_the_weight_of_the_link() -> None:
    # c1 (progress 0.25, planned 0.5) supports p with weight 1,
    # c2 (progress 0.75, planned 0.5) with weight 3:
    # progress (0.25 + 3*0.75) / 4 = 0.625; planned (0.5 + 1.5) / 4 = 0.5
    objectives = [
        objective("p", level="breakthrough"),
        objective("c1", ("m1", 1.0), supports={"p": 1.0}),
        objective("c2", ("m2", 1.0), supports={"p": 3.0}),
    ]
    metrics = {"m1": make_result(0.25, 0.5), "m2": make_result(0.75, 0.5)}
    result = roll_up(objectives, metrics)["p"]
    assert result.progress == 0.625
    assert result.planned_progress == 0.5
    assert result.level == "breakthrough"


def test_own_metrics_and_supporters_are_combined() -> None:
    # p has m1 (w=2, progress 1.0, planned 0.5) and supporter c (link 2, progress 0.25, planned 0.5)
    # progress (2*1.0 + 2*0.25) / 4 = 0.625; planned (2*0.5 + 2*0.5) / 4 = 0.5
    objectives = [
        objective("p", ("m1", 2.0)),
        objective("c", ("m2", 1.0), supports={"p": 2.0}),
    ]
    metrics = {"m1": make_result(1.0, 0.5), "m2": make_result(0.25, 0.5)}
    result = roll_up(objectives, metrics)["p"]
    assert (result.progress, result.planned_progress) == (0.625, 0.5)


def test_roll_up_passes_through_several_levels() -> None:
    # i (progress 0.5, planned 0.25) -> t -> a -> b, one link each: every level 0.5 / 0.25
    objectives = [
        objective("b", level="breakthrough"),
        objective("a", supports={"b": 1.0}),
        objective("t", level="team", supports={"a": 1.0}),
        objective("i", ("m1", 1.0), level="individual", supports={"t": 1.0}),
    ]
    results = roll_up(objectives, {"m1": make_result(0.5, 0.25)})
    for key in ("b", "a", "t", "i"):
        assert (results[key].progress, results[key].planned_progress) == (0.5, 0.25)
        assert results[key].status == "green"


def test_an_objective_may_support_several_objectives() -> None:
    # c (progress 0.75, planned 0.5) supports p1 and p2; p2 also has m2 (0.25, 0.5)
    # p1 = 0.75; p2 = (0.75 + 0.25) / 2 = 0.5
    objectives = [
        objective("p1"),
        objective("p2", ("m2", 1.0)),
        objective("c", ("m1", 1.0), supports={"p1": 1.0, "p2": 1.0}),
    ]
    metrics = {"m1": make_result(0.75, 0.5), "m2": make_result(0.25, 0.5)}
    results = roll_up(objectives, metrics)
    assert results["p1"].progress == 0.75
    assert results["p2"].progress == 0.5


def test_contributor_without_data_counts_as_zero() -> None:
    # m1 progress 1.0 planned 0.5; m2 has no data, planned 0.5
    # progress (1.0 + 0) / 2 = 0.5; planned (0.5 + 0.5) / 2 = 0.5; deviation 0 -> green
    objectives = [objective("o1", ("m1", 1.0), ("m2", 1.0))]
    metrics = {"m1": make_result(1.0, 0.5), "m2": make_result(None, 0.5, "no_data")}
    assert roll_up(objectives, metrics)["o1"] == RollUp("annual", 0.5, 0.5, "green")


def test_supporting_objective_without_data_counts_as_zero() -> None:
    # p has m1 (0.5, 0.25) and supporter c whose only metric has no data (planned 0.75)
    # progress (0.5 + 0) / 2 = 0.25; planned (0.25 + 0.75) / 2 = 0.5; deviation -0.25 -> red
    objectives = [
        objective("p", ("m1", 1.0)),
        objective("c", ("m2", 1.0), supports={"p": 1.0}),
    ]
    metrics = {"m1": make_result(0.5, 0.25), "m2": make_result(None, 0.75, "no_data")}
    assert roll_up(objectives, metrics)["p"] == RollUp("annual", 0.25, 0.5, "red")


def test_unmeasured_contributor_is_left_out() -> None:
    # p has m1 (0.5, 0.5) and supporter c with no metric and no supporter (unmeasured):
    # c is left out, so p = 0.5, not (0.5 + 0) / 2 = 0.25
    objectives = [objective("p", ("m1", 1.0)), objective("c", supports={"p": 1.0})]
    results = roll_up(objectives, {"m1": make_result(0.5, 0.5)})
    assert results["c"] == RollUp("annual", None, None, "unmeasured")
    assert results["p"] == RollUp("annual", 0.5, 0.5, "green")


def test_objective_without_contributors_is_unmeasured() -> None:
    results = roll_up([objective("o1")], {})
    assert results["o1"] == RollUp("annual", None, None, "unmeasured")


def test_objective_supported_only_by_unmeasured_objectives_is_unmeasured() -> None:
    # Its one contributor is left out, so nothing is left to measure it by.
    objectives = [objective("p"), objective("c", supports={"p": 1.0})]
    assert roll_up(objectives, {})["p"].status == "unmeasured"


def test_objective_whose_contributors_all_lack_data_has_no_data() -> None:
    # m1 planned 0.25, m2 planned 0.75, neither has data: planned (0.25 + 0.75) / 2 = 0.5
    objectives = [objective("o1", ("m1", 1.0), ("m2", 1.0))]
    metrics = {
        "m1": make_result(None, 0.25, "no_data"),
        "m2": make_result(None, 0.75, "no_data"),
    }
    result = roll_up(objectives, metrics)["o1"]
    assert result.status == "no_data"
    assert result.planned_progress == 0.5
    assert result.progress == 0.0  # contributors without data count as 0


def test_objective_above_a_no_data_objective_has_no_data() -> None:
    objectives = [objective("p"), objective("c", ("m1", 1.0), supports={"p": 1.0})]
    results = roll_up(objectives, {"m1": make_result(None, 0.5, "no_data")})
    assert results["p"].status == "no_data"


@pytest.mark.parametrize(
    ("progress", "planned", "tolerance", "status"),
    [
        # deviation = progress - planned progress
        (0.5, 0.5, 0.1, "green"),  # 0
        (0.75, 0.5, 0.1, "green"),  # +0.25
        (0.5, 0.5625, 0.1, "amber"),  # -0.0625
        (0.375, 0.5, 0.1, "red"),  # -0.125 below the default 0.10
        (0.375, 0.5, 0.125, "amber"),  # -0.125, exactly the objective's tolerance
        (0.25, 0.5, 0.125, "red"),  # -0.25
    ],
)
def test_objective_status_is_by_deviation_with_its_own_tolerance(
    progress: float, planned: float, tolerance: float, status: Status
) -> None:
    objectives = [objective("o1", ("m1", 1.0), tolerance=tolerance)]
    result = roll_up(objectives, {"m1": make_result(progress, planned)})["o1"]
    assert result.status == status


def test_objective_status_ignores_the_metric_status() -> None:
    # the metric may be red by its own measure (deviation -0.2 of its range); the objective
    # compares progress with planned progress: 0.5 - 0.5625 = -0.0625 -> amber
    objectives = [objective("o1", ("m1", 1.0))]
    result = roll_up(objectives, {"m1": make_result(0.5, 0.5625, "red")})["o1"]
    assert result.status == "amber"


def test_maintain_metric_contributes_planned_progress_one() -> None:
    # m1 maintain in band: progress 1, planned 1; m2: progress 0, planned 0.5
    # progress (1 + 0) / 2 = 0.5; planned (1 + 0.5) / 2 = 0.75; deviation -0.25 -> red
    objectives = [objective("o1", ("m1", 1.0), ("m2", 1.0))]
    metrics = {"m1": make_result(1.0, 1.0), "m2": make_result(0.0, 0.5)}
    assert roll_up(objectives, metrics)["o1"] == RollUp("annual", 0.5, 0.75, "red")


def test_roll_up_from_evaluated_metrics() -> None:
    # m1: b=0, t=120 (2025-12 -> 2026-12), actual 60 in 2026-06: progress 0.5, planned 0.5
    # m2: same path, actual 30 in 2026-06: progress 0.25, planned 0.5
    # objective: progress 0.375, planned 0.5, deviation -0.125 -> red
    m1 = make_metric(id="m1", actuals=actuals({"2026-06": 60.0}))
    m2 = make_metric(id="m2", actuals=actuals({"2026-06": 30.0}))
    metrics: dict[str, MetricResult] = {
        m.id: evaluate_metric(m, month("2026-06")) for m in (m1, m2)
    }
    result = roll_up([make_objective(id="o1", metrics=(m1, m2))], metrics)["o1"]
    assert result == RollUp("annual", 0.375, 0.5, "red")


def test_supports_to_an_id_outside_the_list_are_ignored() -> None:
    objectives = [objective("o1", ("m1", 1.0), supports={"elsewhere": 1.0})]
    assert roll_up(objectives, {"m1": make_result(0.5, 0.5)})["o1"].progress == 0.5


def test_roll_up_refuses_a_cycle_of_supports() -> None:
    objectives = [objective("a", supports={"b": 1.0}), objective("b", supports={"a": 1.0})]
    with pytest.raises(ValueError, match="cycle"):
        roll_up(objectives, {})
