"""Actions (``serves``, ``moves``, ``requires``, risks) and countermeasures: create, change and
delete them; contributors change what they own or what is of their unit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Unit,
)
from hoshin.domain.months import Month
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
    CountermeasureRow,
    MovesRow,
    RequiresRow,
    ServesRow,
    strength_links,
)
from hoshin.store.metric import MetricRow, find_metric
from hoshin.store.objective import ObjectiveRow, find_objective
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


def countermeasure_state(_: Session, row: CountermeasureRow) -> dict[str, Any]:
    """A countermeasure as JSON values, with its version."""
    return {
        "id": row.key, "metric": row.metric, "period": str(Month(row.period)),
        "cause": row.cause, "action": row.action, "owner": row.owner, "due": _day(row.due),
        "status": row.status, "version": row.version,
    }  # fmt: skip


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _stand_ins(
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
    base = _stand_ins(
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


def _measure_problems(
    session: Session, org: OrganizationRow, measure: Countermeasure, _: bool
) -> list[dict[str, str]]:
    base = _stand_ins(
        session, org, owner=measure.owner, metrics=(measure.metric,), holder=f"{measure.id}/m"
    )
    plan = Plan(ANY, people=base.people, objectives=base.objectives, countermeasures=(measure,))
    return entity_problems(plan, "countermeasures")


ACTIONS: Spec[Action] = Spec(
    "action", ActionRow, lambda action: Plan(ANY, actions=(action,)), _action_problems,
    action_state, _action_referrers,
    links=((ServesRow, "action"), (MovesRow, "action"), (RequiresRow, "action")),
)  # fmt: skip
COUNTERMEASURES: Spec[Countermeasure] = Spec(
    "countermeasure", CountermeasureRow,
    lambda measure: Plan(ANY, countermeasures=(measure,)), _measure_problems,
    countermeasure_state, lambda _session, _org_id, _key: [],
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
        theirs=lambda: _theirs(session, change.org, asker, owner=row.owner, unit=row.unit),
    )  # fmt: skip
    return update(session, ACTIONS, change=change, entity=action)


def delete_action(session: Session, *, change: Change, asker: Asker, key: str) -> None:
    """Deletes an action no other action requires (editors and admins)."""
    policy.require(asker.role, Act.EDIT_PLAN, "delete actions")
    delete(session, ACTIONS, change=change, key=key)


def list_countermeasures(
    session: Session,
    *,
    org: OrganizationRow,
    metric: str | None,
    owner: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of countermeasures in plan order, filtered by metric and owner, and the total."""
    rows, total = page_rows(
        session, CountermeasureRow, org_id=org.id, filters={"metric": metric, "owner": owner},
        limit=limit, offset=offset,
    )  # fmt: skip
    return [countermeasure_state(session, row) for row in rows], total


def read_countermeasure(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One countermeasure; raises NotFound."""
    row = get_row(session, CountermeasureRow, org=org, kind="countermeasure", key=key)
    return countermeasure_state(session, row)


def create_countermeasure(
    session: Session, *, change: Change, asker: Asker, measure: Countermeasure
) -> dict[str, Any]:
    """A new countermeasure; a contributor's must answer a metric of their objectives."""
    metric = find_metric(session, org_id=change.org.id, key=measure.metric)
    if metric is not None:
        policy.require(
            asker.role, Act.WORK, f"add countermeasures to metric {metric.key}",
            theirs=lambda: _measures_theirs(session, change.org, asker, metric.objective),
        )  # fmt: skip
    return create(session, COUNTERMEASURES, change=change, entity=measure)


def update_countermeasure(
    session: Session, *, change: Change, asker: Asker, measure: Countermeasure
) -> dict[str, Any]:
    """The countermeasure's fields replaced at the version read."""
    row = get_row(session, CountermeasureRow, org=change.org, kind="countermeasure",
                  key=measure.id)  # fmt: skip
    metric = find_metric(session, org_id=change.org.id, key=row.metric)
    objective = None if metric is None else metric.objective
    policy.require(
        asker.role, Act.WORK, f"change countermeasure {measure.id}",
        theirs=lambda: _theirs(session, change.org, asker, owner=row.owner, unit=None)
        or _measures_theirs(session, change.org, asker, objective),
    )  # fmt: skip
    return update(session, COUNTERMEASURES, change=change, entity=measure)


def delete_countermeasure(session: Session, *, change: Change, asker: Asker, key: str) -> None:
    """Deletes a countermeasure (editors and admins)."""
    policy.require(asker.role, Act.EDIT_PLAN, "delete countermeasures")
    delete(session, COUNTERMEASURES, change=change, key=key)


def _theirs(
    session: Session, org: OrganizationRow, asker: Asker, *, owner: str | None, unit: str | None
) -> bool:
    """Whether the asker owns it or it is of their unit (policy: a contributor's work)."""
    if asker.person is None:
        return False
    if owner == asker.person:
        return True
    me = find_person(session, org_id=org.id, key=asker.person)
    return unit is not None and me is not None and me.unit == unit


def _measures_theirs(
    session: Session, org: OrganizationRow, asker: Asker, objective: str | None
) -> bool:
    """Whether the metrics of ``objective`` are the asker's to answer with countermeasures:
    the objective is theirs (no objective: no one's)."""
    row = None if objective is None else find_objective(session, org_id=org.id, key=objective)
    return row is not None and _theirs(session, org, asker, owner=row.owner, unit=row.unit)
