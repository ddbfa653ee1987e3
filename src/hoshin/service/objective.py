"""Reading objectives: a filtered page of them, and one with its metrics and links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Objective, Organization, Person, Plan, SituationItem, Unit
from hoshin.domain.months import Month
from hoshin.errors import NotFound
from hoshin.service import policy
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Referrers,
    Spec,
    create,
    cycle_problems,
    delete,
    entity_problems,
    known,
    update,
)
from hoshin.store import metric as metric_store
from hoshin.store import objective as objective_store
from hoshin.store.action import ServesRow
from hoshin.store.metric import MetricRow
from hoshin.store.objective import ObjectiveRow, SupportRow, supports_of
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import values_where
from hoshin.store.situation import AddressesRow, SituationItemRow, addresses_of
from hoshin.store.unit import PersonRow, UnitRow


def record(row: ObjectiveRow) -> dict[str, Any]:
    """An objective as JSON values, as in the plan file, with its version."""
    return {
        "id": row.key, "title": row.title, "level": row.level, "owner": row.owner,
        "unit": row.unit, "start": _month(row.start), "end": _month(row.end),
        "tolerance": row.tolerance, "customer_benefit": row.customer_benefit,
        "description": row.description, "version": row.version,
    }  # fmt: skip


def page(
    session: Session,
    *,
    org: OrganizationRow,
    level: str | None,
    unit: str | None,
    owner: str | None,
    keys: list[str] | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of objectives in plan order, and how many match in all."""
    rows, total = objective_store.list_objectives(
        session, org_id=org.id, level=level, unit=unit, owner=owner, keys=keys, limit=limit,
        offset=offset,
    )  # fmt: skip
    return [record(row) for row in rows], total


def kept_detail(analysed: Analysed, *, key: str) -> dict[str, Any]:
    """What ``detail`` answers, from the plan the analysis cache keeps (no query): the same
    values, as stored at the analysis's plan version; raises NotFound."""
    found = analysed.objective(key)
    if found is None:
        raise NotFound(f"no objective '{key}'")
    objective, version = found
    return {
        "id": objective.id, "title": objective.title, "level": objective.level,
        "owner": objective.owner, "unit": objective.unit, "start": _text(objective.start),
        "end": _text(objective.end), "tolerance": objective.tolerance,
        "customer_benefit": objective.customer_benefit, "description": objective.description,
        "version": version, "supports": dict(objective.supports),
        "supports_strength": {key: objective.supports_strength.get(key, "strong")
                              for key in objective.supports},
        "metrics": [MetricSummary(m.id, m.name, m.unit, m.direction).as_json()
                    for m in objective.metrics],
        "addresses": list(objective.addresses),
    }  # fmt: skip


def _text(month: Month | None) -> str | None:
    return None if month is None else str(month)


def detail(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One objective with the objectives it supports and its metrics; raises NotFound."""
    row = _get_objective(session, org, key)
    links = objective_store.supports_of(session, org_id=org.id, child=row.key)
    return {
        **record(row),
        **_supports(links),
        "metrics": [metric.as_json() for metric in _summaries(session, org, row.key)],
        "addresses": addresses_of(session, org_id=org.id, objective=row.key),
    }


def _supports(links: list[SupportRow]) -> dict[str, Any]:
    """The ``supports`` weights and ``supports_strength`` of an objective's links."""
    return {
        "supports": {link.parent: link.weight for link in links},
        "supports_strength": {link.parent: link.strength for link in links},
    }


@dataclass(frozen=True, slots=True)
class MetricSummary:
    """A metric as its objective lists it: id, name, unit of measure and direction."""

    id: str
    name: str
    unit: str | None
    direction: str

    def as_json(self) -> dict[str, Any]:
        """The metric's summary as JSON values."""
        return {"id": self.id, "name": self.name, "unit": self.unit, "direction": self.direction}


@dataclass(frozen=True, slots=True)
class ObjectiveOutline:
    """An objective as the plan's edit pages name it: its id, title and metrics."""

    id: str
    title: str
    metrics: tuple[MetricSummary, ...]


def get_outline(session: Session, *, org: OrganizationRow, key: str) -> ObjectiveOutline:
    """The objective's id, title and metrics (in plan order); raises NotFound."""
    row = _get_objective(session, org, key)
    return ObjectiveOutline(row.key, row.title, tuple(_summaries(session, org, row.key)))


def _get_objective(session: Session, org: OrganizationRow, key: str) -> ObjectiveRow:
    row = objective_store.find_objective(session, org_id=org.id, key=key)
    if row is None:
        raise NotFound(f"no objective '{key}'")
    return row


def _summaries(session: Session, org: OrganizationRow, key: str) -> list[MetricSummary]:
    metrics = metric_store.metrics_of(session, org_id=org.id, objective=key)
    return [MetricSummary(m.key, m.name, m.unit, m.direction) for m in metrics]


def _month(value: int | None) -> str | None:
    return None if value is None else str(Month(value))


ANY = Organization("")
SUPPORTS = ("supports", "child", "parent")


def objective_state(session: Session, row: ObjectiveRow) -> dict[str, Any]:
    """An objective as JSON values, with its ``supports`` weights and strengths and its
    version."""
    links = supports_of(session, org_id=row.org_id, child=row.key)
    addresses = addresses_of(session, org_id=row.org_id, objective=row.key)
    return {**record(row), **_supports(links), "addresses": addresses}


def _problems(
    session: Session, org: OrganizationRow, objective: Objective, _: bool
) -> list[dict[str, str]]:
    people = known(session, PersonRow, org=org, keys=[objective.owner])
    units = known(session, UnitRow, org=org, keys=[objective.unit])
    parents = known(session, ObjectiveRow, org=org, keys=objective.supports) - {objective.id}
    items = known(session, SituationItemRow, org=org, keys=objective.addresses)
    plan = Plan(
        ANY,
        units=tuple(Unit(key, "") for key in units),
        people=tuple(Person(key, "") for key in people),
        objectives=(objective, *(Objective(key, "", "breakthrough") for key in sorted(parents))),
        situation=tuple(SituationItem(key, "weakness", "") for key in sorted(items)),
    )
    problems = entity_problems(plan, "objectives")
    problems += cycle_problems(
        session, SupportRow, org=org, link=SUPPORTS, key=objective.id, targets=objective.supports
    )
    return problems


def _referrers(session: Session, org_id: int, key: str) -> Referrers:
    def where(table: type[Any], column: str, pick: str) -> list[str]:
        return values_where(session, table, org_id=org_id, column=column, equals=key, pick=pick)

    return [
        ("is still supported by objectives", where(SupportRow, "parent", "child")),
        ("still has metrics", where(MetricRow, "objective", "key")),
        ("is still served by actions", where(ServesRow, "objective", "action")),
    ]


OBJECTIVES: Spec[Objective] = Spec(
    "objective", ObjectiveRow, lambda objective: Plan(ANY, objectives=(objective,)), _problems,
    objective_state, _referrers, links=((SupportRow, "child"), (AddressesRow, "objective")),
)  # fmt: skip


def create_objective(
    session: Session, *, change: Change, role: str, objective: Objective
) -> dict[str, Any]:
    """A new objective with its supports links (metrics are added on their own); editors
    and admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return create(session, OBJECTIVES, change=change, entity=objective)


def update_objective(
    session: Session, *, change: Change, role: str, objective: Objective
) -> dict[str, Any]:
    """The objective's fields and supports replaced at the version read (metrics stay)."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return update(session, OBJECTIVES, change=change, entity=objective)


def delete_objective(session: Session, *, change: Change, role: str, key: str) -> None:
    """Deletes an objective that has no metrics and that nothing supports or serves."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    delete(session, OBJECTIVES, change=change, key=key)
