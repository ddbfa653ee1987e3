"""The starter plan of ``hoshin init``: it reads cleanly and shows every key of the format."""

from __future__ import annotations

import re
from datetime import date
from importlib.resources import files

import yaml
from pydantic import BaseModel

from hoshin.domain.model import Plan
from hoshin.domain.validation import plan_problems
from hoshin.planfile import parse_plan
from hoshin.planfile.schema import (
    ActionIn,
    CountermeasureIn,
    MetricIn,
    ObjectiveIn,
    OrganizationIn,
    PersonIn,
    PlanIn,
    ResourcesIn,
    RiskIn,
    UnitIn,
    VisionIn,
)

FORMAT: tuple[type[BaseModel], ...] = (
    PlanIn,
    OrganizationIn,
    VisionIn,
    UnitIn,
    PersonIn,
    ObjectiveIn,
    MetricIn,
    ActionIn,
    ResourcesIn,
    RiskIn,
    CountermeasureIn,
)


def starter_text() -> str:
    """The starter file as the installed package holds it."""
    return (files("hoshin.planfile") / "starter.yaml").read_text(encoding="utf-8")


def starter_plan() -> Plan:
    """The starter file, read as a plan."""
    return parse_plan(starter_text(), "starter.yaml")


def format_keys(model: type[BaseModel]) -> list[str]:
    """The keys a plan file may use for ``model`` (aliases such as ``min`` included)."""
    return [field.alias or name for name, field in model.model_fields.items()]


def test_starter_reads_without_problems() -> None:
    assert plan_problems(starter_plan()) == []


def test_starter_has_every_top_level_key_in_format_order() -> None:
    data = yaml.safe_load(starter_text())
    assert list(data) == format_keys(PlanIn)


def test_starter_names_every_key_of_the_format() -> None:
    """Each key is written as data, or in a comment where one example cannot hold it
    (``min`` and ``max`` belong to a maintain metric, which has no baseline or target)."""
    text = starter_text()
    missing = [
        f"{model.__name__}.{key}"
        for model in FORMAT
        for key in format_keys(model)
        if not re.search(rf"(?<![\w-]){key}:", text)
    ]
    assert missing == []


def test_every_key_line_of_the_starter_explains_itself_or_repeats_an_earlier_key() -> None:
    seen: set[str] = set()
    unexplained = []
    for number, line in enumerate(starter_text().splitlines(), start=1):
        found = re.match(r"\s*(?:- )?([a-z_]+):", line)
        if found is None:
            continue
        key = found.group(1)
        if key not in seen and "#" not in line:
            unexplained.append(f"{number}: {line.strip()}")
        seen.add(key)
    assert unexplained == []


def test_starter_has_one_example_of_each_thing() -> None:
    plan = starter_plan()
    assert [o.level for o in plan.objectives] == ["breakthrough", "annual", "team"]
    assert len(plan.metrics()) == 2
    assert len(plan.actions) == 2
    assert len(plan.countermeasures) == 1


def test_starter_dates_lie_in_2026_to_2031() -> None:
    plan = starter_plan()
    months = [m for o in plan.objectives for m in (o.start, o.end) if m is not None]
    for m in plan.metrics():
        months += [p for p in (m.baseline_period, m.target_period) if p is not None]
        months += [*m.actuals, *m.targets]
    months += [c.period for c in plan.countermeasures]
    days = [d for a in plan.actions for d in (a.start, a.due) if d is not None]
    days += [c.due for c in plan.countermeasures if c.due is not None]
    assert all(2026 <= m.year <= 2031 for m in months)
    assert all(date(2026, 1, 1) <= d <= date(2031, 12, 31) for d in days)
    assert plan.vision.horizon is not None
    assert 2026 <= plan.vision.horizon <= 2031
