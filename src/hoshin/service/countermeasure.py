"""Countermeasures, the response to a missed month of a metric: open, then in progress,
then closed with the effect it had. Create, read, change and delete them; contributors
answer their own metrics and change the countermeasures they own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Countermeasure, Plan
from hoshin.domain.months import Month
from hoshin.service import policy, search
from hoshin.service.action import ANY, stand_in_plan, theirs
from hoshin.service.asker import Asker
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Spec,
    create,
    delete,
    detail,
    entity_problems,
    get_row,
    update,
)
from hoshin.store.action import CountermeasureRow
from hoshin.store.metric import find_metric
from hoshin.store.objective import find_objective
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import find_row, page_rows

CLOSING = "say what it changed: a countermeasure is closed with its effect"


def countermeasure_state(_: Session, row: CountermeasureRow) -> dict[str, Any]:
    """A countermeasure as JSON values, with its version."""
    return {
        "id": row.key, "metric": row.metric, "period": str(Month(row.period)),
        "cause": row.cause, "action": row.action, "owner": row.owner,
        "due": None if row.due is None else row.due.isoformat(), "status": row.status,
        "effect": row.effect, "version": row.version,
    }  # fmt: skip


def _problems(
    session: Session, org: OrganizationRow, measure: Countermeasure, new: bool
) -> list[dict[str, str]]:
    base = stand_in_plan(
        session, org, owner=measure.owner, metrics=(measure.metric,), holder=f"{measure.id}/m"
    )
    plan = Plan(ANY, people=base.people, objectives=base.objectives, countermeasures=(measure,))
    problems = entity_problems(plan, "countermeasures")
    if measure.status == "closed" and not measure.effect:
        # Asked when it is closed; one closed before the effect was kept (or read from a
        # plan file without one) may still be changed as it is.
        row = None if new else find_row(session, CountermeasureRow, org_id=org.id, key=measure.id)
        if row is None or row.status != "closed":
            problems.append(detail("effect", CLOSING))
    return problems


COUNTERMEASURES: Spec[Countermeasure] = Spec(
    "countermeasure", CountermeasureRow, lambda measure: Plan(ANY, countermeasures=(measure,)),
    _problems, countermeasure_state, lambda _session, _org_id, _key: [],
)  # fmt: skip


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
    """The countermeasure's fields replaced at the version read (moving it on: in progress,
    closed with its effect)."""
    row = get_row(session, CountermeasureRow, org=change.org, kind="countermeasure",
                  key=measure.id)  # fmt: skip
    metric = find_metric(session, org_id=change.org.id, key=row.metric)
    objective = None if metric is None else metric.objective
    policy.require(
        asker.role, Act.WORK, f"change countermeasure {measure.id}",
        theirs=lambda: theirs(session, change.org, asker, owner=row.owner, unit=None)
        or _measures_theirs(session, change.org, asker, objective),
    )  # fmt: skip
    return update(session, COUNTERMEASURES, change=change, entity=measure)


def delete_countermeasure(session: Session, *, change: Change, asker: Asker, key: str) -> None:
    """Deletes a countermeasure (editors and admins)."""
    policy.require(asker.role, Act.EDIT_PLAN, "delete countermeasures")
    delete(session, COUNTERMEASURES, change=change, key=key)


def new_countermeasure_key(
    session: Session, *, org: OrganizationRow, metric: str, period: Month
) -> str:
    """A free id for a new countermeasure of ``metric`` in ``period``: cm-<metric>-<period>
    as the check-in names them (in the form ids are made from titles), -2, -3... if taken."""
    return search.new_key(session, org=org, title=f"cm {metric} {period}", fallback="cm")


def _measures_theirs(
    session: Session, org: OrganizationRow, asker: Asker, objective: str | None
) -> bool:
    """Whether the metrics of ``objective`` are the asker's to answer with countermeasures:
    the objective is theirs (no objective: no one's)."""
    row = None if objective is None else find_objective(session, org_id=org.id, key=objective)
    return row is not None and theirs(session, org, asker, owner=row.owner, unit=row.unit)
