"""Objectives and their weighted ``supports`` links: create, change and delete them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Objective, Organization, Person, Plan, Unit
from hoshin.service import policy
from hoshin.service.objective import record
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
from hoshin.store.action import ServesRow
from hoshin.store.metric import MetricRow
from hoshin.store.objective import ObjectiveRow, SupportRow, supports_of
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import values_where
from hoshin.store.unit import PersonRow, UnitRow

ANY = Organization("")
SUPPORTS = ("supports", "child", "parent")


def objective_state(session: Session, row: ObjectiveRow) -> dict[str, Any]:
    """An objective as JSON values, with its ``supports`` weights and its version."""
    links = supports_of(session, org_id=row.org_id, child=row.key)
    return {**record(row), "supports": {link.parent: link.weight for link in links}}


def _problems(
    session: Session, org: OrganizationRow, objective: Objective, _: bool
) -> list[dict[str, str]]:
    people = known(session, PersonRow, org=org, keys=[objective.owner])
    units = known(session, UnitRow, org=org, keys=[objective.unit])
    parents = known(session, ObjectiveRow, org=org, keys=objective.supports) - {objective.id}
    plan = Plan(
        ANY,
        units=tuple(Unit(key, "") for key in units),
        people=tuple(Person(key, "") for key in people),
        objectives=(objective, *(Objective(key, "", "breakthrough") for key in sorted(parents))),
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
    objective_state, _referrers, links=((SupportRow, "child"),),
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
