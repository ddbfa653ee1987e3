"""The starter plan of ``hoshin init``: it reads cleanly and shows every key of the format."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from pydantic import BaseModel

from hoshin.domain.analysis import analyze
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
    SituationItemIn,
    UnitIn,
    VisionIn,
)
from hoshin.planfile.starter import starter_template
from hoshin.planfile.starter import starter_text as dated_starter

FORMAT: tuple[type[BaseModel], ...] = (
    PlanIn,
    OrganizationIn,
    VisionIn,
    SituationItemIn,
    UnitIn,
    PersonIn,
    ObjectiveIn,
    MetricIn,
    ActionIn,
    ResourcesIn,
    RiskIn,
    CountermeasureIn,
)


TODAY = date(2026, 12, 5)


def starter_text() -> str:
    """The starter file written on TODAY."""
    return dated_starter(TODAY)


def starter_plan(today: date = TODAY) -> Plan:
    """The starter file written on ``today``, read as a plan."""
    return parse_plan(dated_starter(today), "starter.yaml")


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


def test_starter_dates_lie_in_the_five_years_from_three_months_before_today() -> None:
    """Written on 2026-12-05: the plan starts 2026-09 (three months of actuals, 09 to 11),
    B1 ends 59 months on in 2031-08 and the vision's horizon is 2026 + 5 = 2031."""
    plan = starter_plan()
    months = [m for o in plan.objectives for m in (o.start, o.end) if m is not None]
    for m in plan.metrics():
        months += [p for p in (m.baseline_period, m.target_period) if p is not None]
        months += [*m.actuals, *m.targets]
    months += [c.period for c in plan.countermeasures]
    days = [d for a in plan.actions for d in (a.start, a.due) if d is not None]
    days += [c.due for c in plan.countermeasures if c.due is not None]
    assert (str(min(months)), str(max(months))) == ("2026-09", "2031-08")
    assert all(date(2026, 9, 1) <= d <= date(2031, 8, 31) for d in days)
    assert plan.vision.horizon == 2031
    assert [str(m) for m in plan.metrics()[0].actuals] == ["2026-09", "2026-10", "2026-11"]


def test_starter_titles_name_their_own_deadlines() -> None:
    """From 2026-09: B1 ends 2026-09 + 59 = 2031-08, A1 + 11 = 2027-08, T1 + 7 = 2027-04."""
    titles = {o.id: o.title for o in starter_plan().objectives}
    assert titles["B1"].endswith("by Aug 2031")
    assert titles["A1"].endswith("by Aug 2027")
    assert titles["T1"].endswith("by Apr 2027")


LATENESS = {"late_action", "infeasible_schedule", "overdue_countermeasure", "stale_metric"}


@pytest.mark.parametrize(
    "today",
    # the first and last day of a month (act1's remaining half must fit from either), a
    # leap day, a January whose plan starts the October before, a 31-day month before February
    [date(2026, 12, 5), date(2026, 1, 1), date(2026, 1, 31), date(2028, 2, 29),
     date(2027, 12, 31), date(2030, 6, 30)],
)  # fmt: skip
def test_a_fresh_starter_is_not_late_on_the_day_it_is_written(today: date) -> None:
    """act1 is half done from the 2nd of last month to the end of the third month ahead,
    e.g. 2026-11-02..2027-03-31 (150 days, 75 remaining) written on 2026-12-05: it can
    finish by 2027-02-17; act2's 30 days follow by 2027-03-19, before T1 ends 2027-04-30.
    cm1 is due at the end of this month; every metric has last month's actual."""
    plan = starter_plan(today)
    assert plan_problems(plan) == []
    found = {f.code for f in analyze(plan, today).findings}
    assert found & LATENESS == set()


def test_the_template_holds_no_year() -> None:
    """Every date comes from the day it is written: none is fixed in the file."""
    assert re.search(r"\b(19|20)\d\d\b", starter_template()) is None
