"""Actions (``serves``, ``moves``, ``requires``, risks): create, change and delete them;
contributors change what they own or what is of their unit (service.countermeasure uses the
same rule and stand-ins)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import (
    Action,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Unit,
)
from hoshin.service import policy
from hoshin.service.asker import Asker
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Referrers,
    Spec,
    create,
    cycle_problems,
    delete,
    entity_problems,
    get_row,
    known,
    update,
)
from hoshin.store.action import (
    ActionRow,
    MovesRow,
    RequiresRow,
    ServesRow,
    strength_links,
)
from hoshin.store.metric import MetricRow
from hoshin.store.objective import ObjectiveRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import page_rows, values_where
from hoshin.store.unit import PersonRow, UnitRow, find_person

ANY = Organization("")
REQUIRES = ("requires", "action", "required")


def action_state(session: Session, row: ActionRow) -> dict[str, Any]:
    """An action as JSON values, named as in the plan file, with its links and version."""

    def linked(table: type[Any], pick: str) -> list[str]:
        return values_where(
            session, table, org_id=row.org_id, column="action", equals=row.key, pick=pick
        )

    serves = strength_links(
        session, ServesRow, org_id=row.org_id, action=row.key, column="objective"
    )
    moves = strength_links(session, MovesRow, org_id=row.org_id, action=row.key, column="metric")
    return {
        "id": row.key, "title": row.title, "owner": row.owner, "unit": row.unit,
        "serves": [key for key, _ in serves], "moves": [key for key, _ in moves],
        "serves_strength": dict(serves), "moves_strength": dict(moves),
        "start": _day(row.start), "due": _day(row.due), "duration_days": row.duration_days,
        "requires": linked(RequiresRow, "required"), "done": row.done,
        "progress": row.progress, "resources": {"budget": row.budget, "fte": row.fte},
        "risks": [dict(risk) for risk in row.risks], "version": row.version,
    }  # fmt: skip


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def stand_in_plan(
    session: Session,
    org: OrganizationRow,
    *,
    owner: str | None,
    unit: str | None = None,
    objectives: tuple[str, ...] = (),
    metrics: tuple[str, ...] = (),
    holder: str,
) -> Plan:
    """A plan of stand-ins for the referenced entities that exist (the entity is added)."""
    served = known(session, ObjectiveRow, org=org, keys=objectives)
    moved = known(session, MetricRow, org=org, keys=metrics)
    return Plan(
        ANY,
        units=tuple(Unit(key, "") for key in known(session, UnitRow, org=org, keys=[unit])),
        people=tuple(Person(key, "") for key in known(session, PersonRow, org=org, keys=[owner])),
        objectives=(
            *(Objective(key, "", "breakthrough") for key in sorted(served)),
            Objective(holder, "", "annual", metrics=tuple(Metric(k, "") for k in sorted(moved))),
        ),
    )  # fmt: skip


def _action_problems(
    session: Session, org: OrganizationRow, action: Action, _: bool
) -> list[dict[str, str]]:
    base = stand_in_plan(
        session, org, owner=action.owner, unit=action.unit, objectives=action.serves,
        metrics=action.moves, holder=f"{action.id}/metrics",
    )  # fmt: skip
    required = known(session, ActionRow, org=org, keys=action.requires) - {action.id}
    stand_ins = tuple(Action(key, "") for key in sorted(required))
    plan = Plan(ANY, base.vision, base.units, base.people, base.objectives,
                actions=(action, *stand_ins))  # fmt: skip
    problems = entity_problems(plan, "actions")
    problems += cycle_problems(
        session, RequiresRow, org=org, link=REQUIRES, key=action.id, targets=action.requires
    )
    return problems


def _action_referrers(session: Session, org_id: int, key: str) -> Referrers:
    required_by = values_where(
        session, RequiresRow, org_id=org_id, column="required", equals=key, pick="action"
    )
    return [("is still required by actions", required_by)]


ACTIONS: Spec[Action] = Spec(
    "action", ActionRow, lambda action: Plan(ANY, actions=(action,)), _action_problems,
    action_state, _action_referrers,
    links=((ServesRow, "action"), (MovesRow, "action"), (RequiresRow, "action")),
)  # fmt: skip


def list_actions(
    session: Session,
    *,
    org: OrganizationRow,
    unit: str | None,
    owner: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of actions in plan order, filtered by unit and owner, and the total."""
    rows, total = page_rows(
        session, ActionRow, org_id=org.id, filters={"unit": unit, "owner": owner},
        limit=limit, offset=offset,
    )  # fmt: skip
    return [action_state(session, row) for row in rows], total


def read_action(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One action; raises NotFound."""
    return action_state(session, get_row(session, ActionRow, org=org, kind="action", key=key))


def action_version(session: Session, *, org: OrganizationRow, key: str) -> int:
    """The version of action ``key`` as stored (what a form sends back); raises NotFound."""
    row: ActionRow = get_row(session, ActionRow, org=org, kind="action", key=key)
    return row.version


def create_action(
    session: Session, *, change: Change, asker: Asker, action: Action
) -> dict[str, Any]:
    """A new action (editors and admins)."""
    policy.require(asker.role, Act.EDIT_PLAN, "create actions")
    return create(session, ACTIONS, change=change, entity=action)


def update_action(
    session: Session, *, change: Change, asker: Asker, action: Action
) -> dict[str, Any]:
    """The action's fields and links replaced at the version read."""
    row = get_row(session, ActionRow, org=change.org, kind="action", key=action.id)
    policy.require(
        asker.role, Act.WORK, f"change action {action.id}",
        theirs=lambda: theirs(session, change.org, asker, owner=row.owner, unit=row.unit),
    )  # fmt: skip
    return update(session, ACTIONS, change=change, entity=action)


def delete_action(session: Session, *, change: Change, asker: Asker, key: str) -> None:
    """Deletes an action no other action requires (editors and admins)."""
    policy.require(asker.role, Act.EDIT_PLAN, "delete actions")
    delete(session, ACTIONS, change=change, key=key)


def theirs(
    session: Session, org: OrganizationRow, asker: Asker, *, owner: str | None, unit: str | None
) -> bool:
    """Whether the asker owns it or it is of their unit (policy: a contributor's work)."""
    if asker.person is None:
        return False
    if owner == asker.person:
        return True
    me = find_person(session, org_id=org.id, key=asker.person)
    return unit is not None and me is not None and me.unit == unit
