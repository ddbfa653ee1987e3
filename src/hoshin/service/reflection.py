"""The annual review's records: reflections per objective and fiscal year, and the carry
forward that creates next year's annual objectives from confirmed drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.annual import ObjectiveDraft, draft_metric, draft_objective
from hoshin.errors import HoshinError, InvalidInput, NotFound
from hoshin.service import policy
from hoshin.service.metric import create_metric
from hoshin.service.objective import create_objective
from hoshin.service.policy import Act
from hoshin.service.versioned import Change, detail, save_record
from hoshin.store.objective import find_objective
from hoshin.store.organization import OrganizationRow
from hoshin.store.review import ReflectionRow, find_reflection, reflections_of
from hoshin.store.unit import find_person

TEXT_LENGTH = 10_000


def reflection_state(row: ReflectionRow) -> dict[str, Any]:
    """A reflection as JSON values, with its version."""
    return {
        "objective": row.objective, "fiscal_year": row.fiscal_year, "worked": row.worked,
        "did_not": row.did_not, "updated_by": row.updated_by,
        "updated_at": row.updated_at.isoformat(), "version": row.version,
    }  # fmt: skip


def read_reflection(
    session: Session, *, org: OrganizationRow, objective: str, year: int
) -> dict[str, Any] | None:
    """The reflection on an objective for a fiscal year, or None (NotFound: no objective)."""
    if find_objective(session, org_id=org.id, key=objective) is None:
        raise NotFound(f"no objective '{objective}'")
    row = find_reflection(session, org_id=org.id, objective=objective, fiscal_year=year)
    return None if row is None else reflection_state(row)


def reflections_for(
    session: Session, *, org: OrganizationRow, year: int, objectives: list[str]
) -> dict[str, dict[str, Any]]:
    """The fiscal year's reflections on these objectives, by objective id."""
    rows = reflections_of(session, org_id=org.id, fiscal_year=year, objectives=objectives)
    return {row.objective: reflection_state(row) for row in rows}


def save_reflection(
    session: Session,
    *,
    change: Change,
    asker: tuple[str, str | None],
    objective: str,
    year: int,
    worked: str,
    did_not: str,
    now: datetime,
) -> dict[str, Any]:
    """Records (or, at the version read, changes) what worked and what did not.

    Editors and admins reflect on any objective; a contributor on those they own or of
    their unit, as for its actuals.
    """
    org = change.org
    target = find_objective(session, org_id=org.id, key=objective)
    if target is None:
        raise NotFound(f"no objective '{objective}'")
    _may_reflect(session, org, asker, owner=target.owner, unit=target.unit)
    values = _checked(worked, did_not) | {"updated_by": change.who.actor, "updated_at": now}
    row = find_reflection(session, org_id=org.id, objective=objective, fiscal_year=year)
    return save_record(
        session, change, kind="reflection", entity="reflection", key=f"{objective}/{year}",
        table=ReflectionRow, row=row, identity={"objective": objective, "fiscal_year": year},
        values=values, state=reflection_state,
    )  # fmt: skip


def _checked(worked: str, did_not: str) -> dict[str, str]:
    values = {"worked": worked.strip(), "did_not": did_not.strip()}
    problems = [
        detail(name, f"at most {TEXT_LENGTH} characters")
        for name, text in values.items()
        if len(text) > TEXT_LENGTH
    ]
    if problems:
        raise InvalidInput("the reflection cannot be saved as it is", problems)
    return values


def _may_reflect(
    session: Session,
    org: OrganizationRow,
    asker: tuple[str, str | None],
    *,
    owner: str | None,
    unit: str | None,
) -> None:
    role, person = asker

    def theirs() -> bool:  # they own it, or it is of their unit
        if person is None:
            return False
        me = find_person(session, org_id=org.id, key=person)
        my_unit = me is not None and me.unit is not None and me.unit == unit
        return owner == person or my_unit

    policy.require(role, Act.WORK, "reflect on this objective", theirs=theirs)


class DraftProblems(InvalidInput):
    """Some drafts break the plan's rules: ``detail`` maps each draft's source id onto its
    problems (``field`` is ``title``, ``metrics.<id>.target``, ...)."""


def create_from_drafts(
    session: Session, *, change: Change, role: str, drafts: list[ObjectiveDraft]
) -> list[str]:
    """Creates the drafts' objectives and metrics, all or none (editors and admins);
    returns the new objectives' ids. DraftProblems names every draft that breaks a rule."""
    policy.require(role, Act.EDIT_PLAN, "create objectives")
    if not drafts:
        raise InvalidInput("choose at least one objective to carry forward")
    problems: dict[str, list[dict[str, str]]] = {}
    for draft in drafts:
        try:
            with session.begin_nested():
                _create(session, change, role, draft)
        except HoshinError as error:
            problems[draft.source] = _items(error)
    if problems:
        raise DraftProblems("some drafts break the plan's rules", problems)
    return [draft.id for draft in drafts]


def _create(session: Session, change: Change, role: str, draft: ObjectiveDraft) -> None:
    create_objective(session, change=change, role=role, objective=draft_objective(draft))
    for metric in draft.metrics:
        try:
            create_metric(
                session, change=change, role=role, objective=draft.id, metric=draft_metric(metric)
            )
        except HoshinError as error:
            items = [
                detail(f"metrics.{metric.id}.{item['field']}", item["reason"])
                for item in _items(error)
            ]
            raise InvalidInput(error.message, items) from None


def _items(error: HoshinError) -> list[dict[str, str]]:
    """The error as field problems; one without fields belongs to the draft as a whole."""
    if isinstance(error.detail, list) and all(isinstance(i, dict) for i in error.detail):
        return [
            {"field": str(i.get("field", "id")), "reason": str(i.get("reason", ""))}
            for i in error.detail
        ]
    return [detail("id", error.message)]
