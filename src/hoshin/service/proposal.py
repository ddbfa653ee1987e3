"""A catchball proposal: its fields, the rules its objective must keep, and the objective
(with its metric) that agreeing on it makes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Metric, Objective, Organization, Person, Plan, Unit
from hoshin.domain.months import Month
from hoshin.domain.text import text_problem
from hoshin.domain.validation import plan_problems
from hoshin.service.versioned import detail
from hoshin.store.catchball import names_of
from hoshin.store.objective import find_objective
from hoshin.store.organization import OrganizationRow

LEVELS = ("team", "individual")
DIRECTIONS = ("increase", "decrease")
# A proposal's fields, flattened, in the order a round shows them.
FIELDS = ("title", "parent", "weight", "level", "deadline", "metric.name", "metric.unit",
          "metric.direction", "metric.baseline", "metric.target")  # fmt: skip
DRAFT = "(proposal)"  # the proposal's id while it is checked: no plan id can contain "("


@dataclass(frozen=True, slots=True)
class MetricFields:
    """The proposed objective's metric."""

    name: str
    direction: str
    baseline: float
    target: float
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """The fields of a proposed objective, as one round puts them on the table."""

    title: str
    parent: str
    weight: float
    deadline: str  # YYYY-MM: the objective's end month
    metric: MetricFields
    level: str = "team"

    def as_json(self) -> dict[str, Any]:
        """The proposal as JSON values (a round's ``fields``)."""
        return asdict(self)


def proposal_of(fields: dict[str, Any]) -> Proposal:
    """The proposal stored as a round's fields."""
    return Proposal(**{**fields, "metric": MetricFields(**fields["metric"])})


def proposal_problems(
    session: Session,
    *,
    org: OrganizationRow,
    unit: str,
    lead: str,
    proposal: Proposal,
    now: datetime,
) -> list[dict[str, str]]:
    """The plan's rules that the objective of ``proposal`` would break if agreed now."""
    problems = []
    if not proposal.title.strip():
        problems.append(detail("title", "give the objective a title"))
    if proposal.level not in LEVELS:
        problems.append(detail("level", f"must be one of {', '.join(LEVELS)}"))
    if not proposal.metric.name.strip():
        problems.append(detail("metric.name", "give the metric a name"))
    # one line of at most 300 characters, as hoshin.fields.Title and Line: the pages' door
    # has no model of its own
    lines = (proposal.title, proposal.metric.name, proposal.metric.unit or "")
    for field, text in zip(("title", "metric.name", "metric.unit"), lines, strict=True):
        if (problem := text_problem(text, "line")) is not None:
            problems.append(detail(field, problem))
    if proposal.metric.direction not in DIRECTIONS:
        problems.append(detail("metric.direction", f"must be one of {', '.join(DIRECTIONS)}"))
    try:
        deadline = Month.parse(proposal.deadline)
    except ValueError as error:
        return [*problems, detail("deadline", str(error))]
    start = Month.of_date(now.date())
    if deadline < start:
        problems.append(detail("deadline", f"{deadline} has passed: the month is {start}"))
        return problems
    draft = objective_of(DRAFT, proposal, unit=unit, lead=lead, start=start)
    return problems + _rule_problems(session, org, draft)


def _rule_problems(
    session: Session, org: OrganizationRow, draft: Objective
) -> list[dict[str, str]]:
    """The domain's rules on the draft objective, among stand-ins for what exists."""
    parent = next(iter(draft.supports))
    exists = find_objective(session, org_id=org.id, key=parent) is not None
    units, people = names_of(session, org_id=org.id, units={draft.unit or ""},
                             people={draft.owner or ""})  # fmt: skip
    plan = Plan(
        Organization(""), units=tuple(Unit(key, "") for key in units),
        people=tuple(Person(key, "") for key in people),
        objectives=(draft, *([Objective(parent, "", "breakthrough")] if exists else [])),
    )  # fmt: skip
    found = []
    for problem in plan_problems(plan):
        if problem.path[:2] != ("objectives", 0):
            continue
        found.append(detail(_field(problem.path[2:], problem.message), problem.message))
    return found


def _field(path: tuple[Any, ...], message: str) -> str:
    """The proposal's field that a problem of the draft objective is about."""
    head = str(path[0]) if path else "title"
    if head == "metrics":
        name = str(path[2]) if len(path) > 2 else "name"
        return "deadline" if name in ("baseline_period", "target_period") else f"metric.{name}"
    if head == "supports":
        return "parent" if message.startswith("unknown") else "weight"
    return {"end": "deadline", "owner": "lead", "start": "deadline"}.get(head, head)


def objective_of(key: str, proposal: Proposal, *, unit: str, lead: str, start: Month) -> Objective:
    """The objective (with its metric) that agreeing on ``proposal`` at ``start`` makes."""
    deadline = Month.parse(proposal.deadline)
    fields = proposal.metric
    metric = Metric(
        id=f"{key}-m", name=fields.name, direction=fields.direction,  # type: ignore[arg-type]
        baseline=fields.baseline, baseline_period=start.minus(1), target=fields.target,
        target_period=deadline, unit=fields.unit or None,
    )  # fmt: skip
    return Objective(
        id=key, title=proposal.title, level=proposal.level,  # type: ignore[arg-type]
        owner=lead, unit=unit, start=start, end=deadline,
        supports={proposal.parent: proposal.weight}, metrics=(metric,),
    )  # fmt: skip


def without_metrics(objective: Objective) -> Objective:
    """The objective alone: its metrics are created after it, one by one."""
    return Objective(
        objective.id, objective.title, objective.level, objective.owner, objective.unit,
        objective.start, objective.end, objective.supports,
    )  # fmt: skip
