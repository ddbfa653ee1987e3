"""The JSON report: the keys and types of the contract, with values worked out by hand.

The plan, as of 2026-06-15 (as-of month 2026-06):

- b1 breakthrough, no metric, ends 2030-12.
- a1 annual, supports b1, ends 2026-12, metric mq: b=0, t=1, 2026-01 -> 2027-05 (T=16),
  actual 0.2421875 (31/128) in 2026-05. Plan of 2026-05 (elapsed 4): 4/16 = 0.25.
- t1 team, supports a1, maintain metric mb (band 90..110), actual 100 in 2026-05.
- t2 team, supports nothing, no metric.
- x1 serves a1, 10 days due 2026-06-30; x2 is done; x3 has no length.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from domain_factories import (
    actuals,
    day,
    make_action,
    make_maintain_metric,
    make_metric,
    make_objective,
    make_plan,
    month,
)

from hoshin.domain.analysis import alignment_coverage, analyze
from hoshin.domain.model import Organization, Plan
from hoshin.domain.report import report

AS_OF = date(2026, 6, 15)


def contract_plan() -> Plan:
    """The plan of the module docstring."""
    mq = make_metric(
        id="mq",
        baseline=0.0,
        baseline_period=month("2026-01"),
        target=1.0,
        target_period=month("2027-05"),
        actuals=actuals({"2026-05": 0.2421875}),
    )
    mb = make_maintain_metric(id="mb", actuals=actuals({"2026-05": 100.0}))
    return make_plan(
        objectives=(
            make_objective(id="b1", level="breakthrough", end=month("2030-12")),
            make_objective(id="a1", supports={"b1": 1.0}, metrics=(mq,)),
            make_objective(id="t1", level="team", supports={"a1": 1.0}, metrics=(mb,)),
            make_objective(id="t2", level="team"),
        ),
        actions=(
            make_action(id="x1", serves=("a1",), duration_days=10, due=day("2026-06-30")),
            make_action(id="x2", serves=("a1",), duration_days=10, done=True),
            make_action(id="x3", serves=("a1",)),
        ),
    )


@pytest.fixture
def json_report() -> dict[str, Any]:
    plan = contract_plan()
    return report(plan, analyze(plan, AS_OF))


def test_report_has_the_top_level_keys_of_the_contract(json_report: dict[str, Any]) -> None:
    assert set(json_report) == {"as_of", "objectives", "metrics", "actions", "findings", "summary"}


def test_as_of_is_an_iso_date(json_report: dict[str, Any]) -> None:
    assert json_report["as_of"] == "2026-06-15"


def test_report_is_plain_json(json_report: dict[str, Any]) -> None:
    assert json.loads(json.dumps(json_report, allow_nan=False)) == json_report


def test_objective_entry_keys_and_types(json_report: dict[str, Any]) -> None:
    assert set(json_report["objectives"]) == {"b1", "a1", "t1", "t2"}
    for entry in json_report["objectives"].values():
        assert set(entry) == {"level", "progress", "planned_progress", "status", "schedule"}
        assert set(entry["schedule"]) == {"feasible", "days_late", "critical"}
        assert isinstance(entry["schedule"]["feasible"], bool)
        assert isinstance(entry["schedule"]["days_late"], int)
        assert isinstance(entry["schedule"]["critical"], list)


def test_objective_values(json_report: dict[str, Any]) -> None:
    objectives = json_report["objectives"]
    # t1: its maintain metric is in band: progress 1, planned 1
    assert objectives["t1"] == {
        "level": "team",
        "progress": 1.0,
        "planned_progress": 1.0,
        "status": "green",
        "schedule": {"feasible": True, "days_late": 0, "critical": []},
    }
    # a1 = mean of mq (0.2421875 / 0.25) and t1 (1 / 1):
    #   progress (0.2421875 + 1) / 2 = 0.62109375; planned (0.25 + 1) / 2 = 0.625
    #   deviation -0.00390625 -> amber; its chain is x1 alone (x2 done, x3 unscheduled)
    assert objectives["a1"] == {
        "level": "annual",
        "progress": 0.62109375,
        "planned_progress": 0.625,
        "status": "amber",
        "schedule": {"feasible": True, "days_late": 0, "critical": ["x1"]},
    }
    # b1 = a1 through one link of weight 1
    assert objectives["b1"]["progress"] == 0.62109375
    assert objectives["b1"]["planned_progress"] == 0.625
    assert objectives["b1"]["status"] == "amber"
    # t2 has no contributor
    assert objectives["t2"]["progress"] is None
    assert objectives["t2"]["planned_progress"] is None
    assert objectives["t2"]["status"] == "unmeasured"


def test_metric_entry_keys(json_report: dict[str, Any]) -> None:
    assert set(json_report["metrics"]) == {"mq", "mb"}
    for entry in json_report["metrics"].values():
        assert set(entry) == {
            "current",
            "current_period",
            "planned",
            "progress",
            "planned_progress",
            "status",
            "plan",
            "bowling",
        }
        for cell in entry["bowling"]:
            assert set(cell) == {"period", "plan", "actual", "status"}


def test_metric_values_are_unrounded(json_report: dict[str, Any]) -> None:
    mq = json_report["metrics"]["mq"]
    assert mq["current"] == 0.2421875  # seven decimals, as given
    assert mq["current_period"] == "2026-05"
    assert mq["planned"] == 0.25  # 0 + (1 - 0) * 4/16
    assert mq["progress"] == 0.2421875  # (0.2421875 - 0) / (1 - 0)
    assert mq["planned_progress"] == 0.25
    # deviation (0.2421875 - 0.25) / 1 = -0.0078125 -> amber
    assert mq["status"] == "amber"


def test_metric_plan_has_every_month_from_baseline_to_target_period(
    json_report: dict[str, Any],
) -> None:
    # 2026-01 .. 2027-05: 17 months, planned k/16 for k = 0 .. 16
    plan = json_report["metrics"]["mq"]["plan"]
    assert list(plan) == [f"2026-{n:02d}" for n in range(1, 13)] + [
        f"2027-{n:02d}" for n in range(1, 6)
    ]
    assert list(plan.values()) == [k / 16 for k in range(17)]
    assert plan["2026-02"] == 0.0625  # not rounded to 0.06


def test_bowling_is_the_as_of_fiscal_year(json_report: dict[str, Any]) -> None:
    bowling = json_report["metrics"]["mq"]["bowling"]
    assert [cell["period"] for cell in bowling] == [f"2026-{n:02d}" for n in range(1, 13)]
    # plan of month n of 2026 is (n - 1)/16
    assert [cell["plan"] for cell in bowling] == [(n - 1) / 16 for n in range(1, 13)]
    assert bowling[4] == {"period": "2026-05", "plan": 0.25, "actual": 0.2421875, "status": "amber"}
    assert bowling[5] == {"period": "2026-06", "plan": 0.3125, "actual": None, "status": "no_data"}


def test_bowling_follows_the_organization_fiscal_year() -> None:
    # fiscal year opening in April: as of 2026-06-15 the year runs 2026-04 .. 2027-03
    plan = replace(contract_plan(), organization=Organization(name="Acme", fiscal_year_start=4))
    bowling = report(plan, analyze(plan, AS_OF))["metrics"]["mq"]["bowling"]
    periods = [cell["period"] for cell in bowling]
    assert periods == [f"2026-{n:02d}" for n in range(4, 13)] + ["2027-01", "2027-02", "2027-03"]


def test_maintain_metric_has_null_planned_and_empty_plan(json_report: dict[str, Any]) -> None:
    mb = json_report["metrics"]["mb"]
    assert mb["planned"] is None
    assert mb["plan"] == {}
    assert mb["current"] == 100.0
    assert mb["current_period"] == "2026-05"
    assert mb["progress"] == 1.0
    assert mb["planned_progress"] == 1.0
    assert mb["status"] == "green"
    assert [cell["plan"] for cell in mb["bowling"]] == [None] * 12
    assert mb["bowling"][4] == {
        "period": "2026-05",
        "plan": None,
        "actual": 100.0,
        "status": "green",
    }


def test_metric_without_actuals_has_null_current_and_progress() -> None:
    # b=0, t=120 from 2025-12 to 2026-12: planned 60 in 2026-06, planned progress 0.5
    plan = make_plan(objectives=(make_objective(metrics=(make_metric(id="m1"),)),))
    entry = report(plan, analyze(plan, AS_OF))["metrics"]["m1"]
    assert entry["current"] is None
    assert entry["current_period"] is None
    assert entry["progress"] is None
    assert entry["planned"] == 60.0
    assert entry["planned_progress"] == 0.5
    assert entry["status"] == "no_data"


def test_action_dates_are_iso_and_slack_is_an_int(json_report: dict[str, Any]) -> None:
    actions = json_report["actions"]
    # x1: 10 days due 06-30: latest 06-21 .. 06-30; earliest 06-15 .. 06-24; slack 6
    assert actions["x1"] == {
        "earliest_start": "2026-06-15",
        "earliest_finish": "2026-06-24",
        "latest_start": "2026-06-21",
        "latest_finish": "2026-06-30",
        "slack_days": 6,
    }
    unscheduled = dict.fromkeys(
        ("earliest_start", "earliest_finish", "latest_start", "latest_finish", "slack_days")
    )
    assert actions["x2"] == unscheduled  # done
    assert actions["x3"] == unscheduled  # no length


def test_findings_are_code_severity_subject_message(json_report: dict[str, Any]) -> None:
    findings = json_report["findings"]
    assert findings
    for item in findings:
        assert set(item) == {"code", "severity", "subject", "message"}
        assert all(isinstance(value, str) for value in item.values())
        assert item["severity"] in {"warning", "info"}
    # t2 supports nothing and has no metric; x3 has no length
    pairs = {(item["code"], item["subject"]) for item in findings}
    assert {("orphan", "t2"), ("unmeasured", "t2"), ("unscheduled_action", "x3")} <= pairs


def test_summary_counts_objectives_by_status(json_report: dict[str, Any]) -> None:
    # t1 green; a1, b1 amber; t2 unmeasured.
    # coverage: a1 -> b1 and t1 -> a1 -> b1 trace up, t2 does not: 2 of 3
    assert json_report["summary"] == {
        "objectives": 4,
        "green": 1,
        "amber": 2,
        "red": 0,
        "no_data": 0,
        "unmeasured": 1,
        "alignment_coverage": 2 / 3,
    }


def test_alignment_coverage_is_one_without_non_breakthrough_objectives() -> None:
    assert alignment_coverage(make_plan()) == 1.0
    plan = make_plan(objectives=(make_objective(id="b1", level="breakthrough"),))
    assert alignment_coverage(plan) == 1.0


@pytest.mark.parametrize(
    ("links", "coverage"),
    [
        # objectives below b1 and whom they support
        ({"a1": "b1"}, 1.0),
        ({"a1": "b1", "t1": "a1", "i1": "t1"}, 1.0),  # three levels down
        ({"a1": "b1", "a2": None}, 0.5),
        ({"a1": "b1", "t1": "a2", "a2": None}, 1 / 3),  # t1 hangs from a2, which is loose
        ({"a1": None, "t1": "a1"}, 0.0),
        ({"a1": "nowhere"}, 0.0),  # an unknown id is no path
    ],
)
def test_alignment_coverage_is_the_share_with_a_path_to_a_breakthrough(
    links: dict[str, str | None], coverage: float
) -> None:
    objectives = [make_objective(id="b1", level="breakthrough")] + [
        make_objective(id=key, supports={} if parent is None else {parent: 1.0})
        for key, parent in links.items()
    ]
    assert alignment_coverage(make_plan(objectives=tuple(objectives))) == coverage
