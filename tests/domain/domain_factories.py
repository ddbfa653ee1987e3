"""Small factories for the pure domain tests: plain values with keyword overrides.

The module has a name of its own (not ``factories``) because the test folders have no
``__init__.py``: two helper modules with the same name in different folders would clash.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.findings import Finding
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.domain.status import MetricResult, Status


def month(text: str) -> Month:
    """The month written ``YYYY-MM``."""
    return Month.parse(text)


def day(text: str) -> date:
    """The day written ``YYYY-MM-DD``."""
    return date.fromisoformat(text)


def actuals(values: dict[str, float]) -> dict[Month, float]:
    """A ``{YYYY-MM: value}`` map keyed by months, as the plan file reader builds it."""
    return {month(key): value for key, value in values.items()}


def make_metric(**overrides: Any) -> Metric:
    """An increasing linear metric from 0 in 2025-12 to 120 in 2026-12 (10 a month), no actuals."""
    default = Metric(
        id="m1",
        name="Metric",
        direction="increase",
        baseline=0.0,
        baseline_period=month("2025-12"),
        target=120.0,
        target_period=month("2026-12"),
    )
    return replace(default, **overrides)


def make_maintain_metric(**overrides: Any) -> Metric:
    """A ``maintain`` metric with the band 90..110 and no periods."""
    default = Metric(id="m1", name="Band", direction="maintain", minimum=90.0, maximum=110.0)
    return replace(default, **overrides)


def make_objective(**overrides: Any) -> Objective:
    """An annual objective of 2026 owned by p1, with no metric and no links."""
    default = Objective(
        id="o1",
        title="Raise on-time delivery to 95%",
        level="annual",
        owner="p1",
        start=month("2026-01"),
        end=month("2026-12"),
    )
    return replace(default, **overrides)


def make_action(**overrides: Any) -> Action:
    """An open action owned by p1 with no dates, no duration and no links."""
    default = Action(id="a1", title="Do the work", owner="p1")
    return replace(default, **overrides)


def make_countermeasure(**overrides: Any) -> Countermeasure:
    """An open countermeasure for m1 in 2026-05."""
    default = Countermeasure(id="c1", metric="m1", period=month("2026-05"), owner="p1")
    return replace(default, **overrides)


def make_plan(**overrides: Any) -> Plan:
    """An empty plan of Acme with a vision to 2030 and two people, p1 and p2."""
    default = Plan(
        organization=Organization(name="Acme"),
        vision=Vision(statement="Be the first choice", horizon=2030),
        people=(Person(id="p1", name="Pat"), Person(id="p2", name="Sam")),
    )
    return replace(default, **overrides)


def make_result(
    progress: float | None, planned_progress: float, status: Status = "green"
) -> MetricResult:
    """A metric result with only what the roll-up reads filled in."""
    return MetricResult(
        current=None,
        current_period=None,
        planned=None,
        progress=progress,
        planned_progress=planned_progress,
        status=status,
    )


def aligned_plan(**overrides: Any) -> Plan:
    """A plan with no finding at 2026-06-15: a breakthrough, an annual objective under it
    with a metric on plan through 2026-05, and an action that serves the annual objective."""
    breakthrough = make_objective(
        id="b1",
        title="Double revenue to 20 M by 2030",
        level="breakthrough",
        start=month("2026-01"),
        end=month("2030-12"),
        metrics=(
            make_metric(
                id="m0",
                baseline=10.0,
                baseline_period=month("2025-12"),
                target=20.0,
                target_period=month("2030-12"),
                actuals=actuals({"2026-05": 11.0}),
            ),
        ),
    )
    annual = make_objective(
        id="a-obj",
        supports={"b1": 1.0},
        # on plan: 10 a month, so 50 in 2026-05
        metrics=(make_metric(id="m1", actuals=actuals({"2026-05": 50.0})),),
    )
    action = make_action(
        id="act1", serves=("a-obj",), start=day("2026-07-01"), due=day("2026-07-31")
    )
    default = make_plan(objectives=(breakthrough, annual), actions=(action,))
    return replace(default, **overrides)


AS_OF = day("2026-06-15")


def findings_of(plan: Plan, as_of: date = AS_OF) -> list[Finding]:
    """Every finding of ``plan`` at ``as_of``."""
    return analyze(plan, as_of).findings


def subjects(plan: Plan, code: str, as_of: date = AS_OF) -> list[str]:
    """The subjects of the findings with ``code``, in report order."""
    return [item.subject for item in findings_of(plan, as_of) if item.code == code]


def analysis_of(plan: Plan, as_of: date = AS_OF) -> Analysis:
    """The analysis of ``plan`` at ``as_of``."""
    return analyze(plan, as_of)
