"""The guided start of a new organisation: its steps, each done by what the plan holds (so
leaving and coming back resumes where the plan stands), the findings each step answers,
and a metric's backward plan shown before it is saved (pure)."""

from __future__ import annotations

from typing import Final, Literal

from hoshin.domain.model import Metric, Plan
from hoshin.domain.months import Month
from hoshin.domain.trajectory import metric_plan

Step = Literal["vision", "breakthrough", "annual", "people", "invite"]
STEPS: Final[tuple[Step, ...]] = ("vision", "breakthrough", "annual", "people", "invite")
FEWEST, MOST = 3, 5  # breakthrough objectives: real change, but few enough to focus on
FINDINGS: Final[dict[Step, frozenset[str]]] = {
    "vision": frozenset({"short_horizon"}),
    "breakthrough": frozenset({"unmeasured", "no_deadline"}),
    "annual": frozenset({"not_deployed", "orphan", "unmeasured"}),
    "people": frozenset({"no_owner"}),
    "invite": frozenset(),
}
"""The findings (their codes) a step's work answers: the page shows those that still apply."""


def is_empty(plan: Plan) -> bool:
    """Whether the plan has neither a vision statement nor an objective: a guided start."""
    return not plan.vision.statement and not plan.objectives


def measured_breakthroughs(plan: Plan) -> int:
    """How many breakthrough objectives have a metric."""
    return sum(1 for o in plan.objectives if o.level == "breakthrough" and o.metrics)


def steps_done(plan: Plan) -> dict[Step, bool]:
    """Each step, and whether the plan holds what it asks: a vision with a horizon; at
    least three measured breakthrough objectives; an annual objective supporting each
    breakthrough; a unit and a person. Inviting members is never done by the plan."""
    breakthroughs = [o.id for o in plan.objectives if o.level == "breakthrough"]
    supported = {p for o in plan.objectives if o.level == "annual" for p in o.supports}
    return {
        "vision": bool(plan.vision.statement) and plan.vision.horizon is not None,
        "breakthrough": measured_breakthroughs(plan) >= FEWEST,
        "annual": bool(breakthroughs) and all(key in supported for key in breakthroughs),
        "people": bool(plan.units) and bool(plan.people),
        "invite": False,
    }


def current_step(plan: Plan) -> Step:
    """The first step the plan has not done (the last, inviting members, when all are)."""
    done = steps_done(plan)
    return next((step for step in STEPS if not done[step]), "invite")


def year_targets(metric: Metric) -> list[tuple[Month, float]]:
    """The planned value at the end of each calendar year from the baseline to the target,
    and of the target month: the milestones the backward plan sets."""
    planned = metric_plan(metric)
    return [(month, value) for month, value in planned.items()
            if month.number == 12 or month == metric.target_period]  # fmt: skip


def first_months(metric: Metric, count: int = 12) -> list[tuple[Month, float]]:
    """The planned value of the first ``count`` months after the baseline month."""
    return list(metric_plan(metric).items())[1 : count + 1]
