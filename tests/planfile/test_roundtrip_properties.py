"""Writing any valid plan and reading it back gives the same plan (hypothesis; the plans of
plan_strategies.py), in YAML and in JSON, and writing it again gives the same file."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from plan_strategies import plans

from hoshin.domain.model import Objective, Organization, Plan
from hoshin.planfile import dump_plan, parse_plan, plan_to_data


# Drawing a plan takes most of the time (about 0.1 s each), so one test checks all three
# ways of one plan. No deadline: a loaded machine draws slowly.
@settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_written_plan_reads_back_as_the_same_plan_and_file(plan: Plan) -> None:
    text = dump_plan(plan)
    again = parse_plan(text, "again.yaml")
    assert again == plan
    assert dump_plan(again) == text
    as_json = json.dumps(plan_to_data(plan), default=date.isoformat)
    assert parse_plan(as_json, "again.json") == plan


def one_objective(key: str = "B1", title: str = "Grow") -> Plan:
    """A plan of one breakthrough objective."""
    return Plan(Organization("Org"), objectives=(Objective(key, title, "breakthrough"),))


# Text the reader once took for another value, found by the property above: the writer
# (PyYAML) left plain what the reader (yaml-rs) reads as a number, yaml-rs read an ISO date
# as a date even quoted, and U+2028 was written as a line break. Each is its own case here.
MISREADS = [
    pytest.param(one_objective(key="08"), id="id 08, not the number 8"),
    pytest.param(one_objective(key="1e3"), id="id 1e3, not 1000.0"),
    pytest.param(one_objective(key="2026-01-05"), id="id 2026-01-05, not a date"),
    pytest.param(one_objective(title="_7"), id="title _7, not 7"),
    pytest.param(one_objective(title="-.5"), id="title -.5, not -0.5"),
    pytest.param(one_objective(title="0x1f"), id="title 0x1f, not 31"),
    pytest.param(one_objective(title="a\u2028b"), id="title with U+2028, not a line break"),
]


@pytest.mark.parametrize("plan", MISREADS)
def test_text_that_looks_like_another_value_reads_back_as_text(plan: Plan) -> None:
    assert parse_plan(dump_plan(plan), "again.yaml") == plan
