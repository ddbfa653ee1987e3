"""Writing a plan and reading it back gives the same plan, in YAML and in JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from hoshin.domain.months import Month
from hoshin.planfile import dump_plan, parse_plan, plan_to_data, read_plan

EXAMPLES_DIR = Path(__file__).parents[2] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
SMALL = EXAMPLES_DIR / "small.yaml"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_yaml_round_trip_keeps_every_entity(path: Path) -> None:
    plan = read_plan(path)
    assert parse_plan(dump_plan(plan), "again.yaml") == plan


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_json_file_reads_as_the_same_plan(path: Path) -> None:
    plan = read_plan(path)
    text = json.dumps(plan_to_data(plan), default=date.isoformat)
    assert parse_plan(text, "again.json") == plan


def test_rate_per_year_implies_compound_and_is_written_back_as_given() -> None:
    plan = read_plan(SMALL)
    falls = next(m for m in plan.metrics() if m.id == "falls")
    assert (falls.trajectory, falls.rate_per_year, falls.target) == ("compound", -0.5, None)
    assert "rate_per_year: -0.5" in dump_plan(plan)
    assert "trajectory" not in dump_plan(plan).split("id: falls")[1].split("- id:")[0]


def test_actuals_are_written_on_one_line_in_month_order() -> None:
    plan = read_plan(SMALL)
    assert "actuals: {2026-03: 27, 2026-04: 25, 2026-05: 22}" in dump_plan(plan)
    falls = next(m for m in plan.metrics() if m.id == "falls")
    assert list(falls.actuals) == [Month.of(2026, 3), Month.of(2026, 4), Month.of(2026, 5)]


def test_a_countermeasure_in_progress_and_a_closed_one_with_its_effect_read_back() -> None:
    plan = read_plan(SMALL)
    text = dump_plan(plan).replace(
        "  status: open\n",
        "  status: in_progress\n"
        "- id: cm2\n  metric: trained\n  period: 2026-04\n  status: closed\n"
        "  effect: 'Two sessions a week: 8 more trained in May'\n",
    )
    measures = parse_plan(text, "lifecycle.yaml").countermeasures
    assert [(c.id, c.status, c.effect) for c in measures] == [
        ("cm1", "in_progress", None),
        ("cm2", "closed", "Two sessions a week: 8 more trained in May"),
    ]
    again = parse_plan(dump_plan(parse_plan(text, "lifecycle.yaml")), "again.yaml")
    assert again.countermeasures == measures


def test_a_units_lead_and_a_metrics_own_owner_are_written_back() -> None:
    text = """\
hoshin: 1
organization: {name: Pumps}
units:
  - {id: exec, name: Executive, lead: ceo}
  - {id: quality, name: Quality, parent: exec}
people:
  - {id: ceo, name: Cleo, unit: exec}
  - {id: qe, name: Quinn, unit: quality}
objectives:
  - id: B1
    title: Halve defects
    level: breakthrough
    owner: ceo
    metrics:
      - {id: defects, name: Defect rate, owner: qe, direction: maintain, max: 2}
      - {id: returns, name: Returns, direction: maintain, max: 1}
"""
    plan = parse_plan(text)
    written = dump_plan(plan)
    assert "lead: ceo" in written
    assert written.count("owner: qe") == 1  # returns has no owner of its own: none is written
    assert parse_plan(written, "again.yaml") == plan
    again = json.dumps(plan_to_data(plan), default=date.isoformat)
    assert parse_plan(again, "again.json") == plan
    assert [m.owner for m in plan.metrics()] == ["qe", None]
    assert [u.lead for u in plan.units] == ["ceo", None]
