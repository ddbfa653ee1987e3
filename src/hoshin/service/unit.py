"""Units, people and the vision: create, change and delete them, no update lost."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Organization, Person, Plan, Unit, Vision
from hoshin.service import policy
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Referrers,
    Spec,
    changed,
    check_version,
    create,
    cycle_problems,
    delete,
    entity_problems,
    get_row,
    known,
    save,
    update,
)
from hoshin.store.action import ActionRow, CountermeasureRow
from hoshin.store.metric import MetricRow
from hoshin.store.objective import ObjectiveRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import page_rows, values_where
from hoshin.store.unit import PersonRow, UnitRow

ANY = Organization("")


def unit_state(_: Session, row: UnitRow) -> dict[str, Any]:
    """A unit as JSON values, with its version."""
    return {"id": row.key, "name": row.name, "parent": row.parent, "lead": row.lead,
            "version": row.version}  # fmt: skip


def person_state(_: Session, row: PersonRow) -> dict[str, Any]:
    """A person as JSON values, with its version."""
    return {"id": row.key, "name": row.name, "unit": row.unit, "email": row.email,
            "version": row.version}  # fmt: skip


def _unit_problems(
    session: Session, org: OrganizationRow, unit: Unit, new: bool
) -> list[dict[str, str]]:
    parents = known(session, UnitRow, org=org, keys=[unit.parent]) - {unit.id}
    leads = known(session, PersonRow, org=org, keys=[unit.lead])
    plan = Plan(
        ANY,
        units=(unit, *(Unit(key, "") for key in parents)),
        people=tuple(Person(key, "") for key in leads),
    )
    problems = entity_problems(plan, "units")
    if not new and unit.parent is not None:
        link = ("parent", "key", "parent")
        problems += cycle_problems(
            session, UnitRow, org=org, link=link, key=unit.id, targets=[unit.parent]
        )
    return problems


def _unit_referrers(session: Session, org_id: int, key: str) -> Referrers:
    def where(table: type[Any], column: str) -> list[str]:
        return values_where(session, table, org_id=org_id, column=column, equals=key, pick="key")

    return [
        ("is still the parent of units", where(UnitRow, "parent")),
        ("is still the unit of people", where(PersonRow, "unit")),
        ("is still the unit of objectives", where(ObjectiveRow, "unit")),
        ("is still the unit of actions", where(ActionRow, "unit")),
    ]


def _person_problems(
    session: Session, org: OrganizationRow, person: Person, _: bool
) -> list[dict[str, str]]:
    units = known(session, UnitRow, org=org, keys=[person.unit])
    plan = Plan(ANY, units=tuple(Unit(key, "") for key in units), people=(person,))
    return entity_problems(plan, "people")


def _person_referrers(session: Session, org_id: int, key: str) -> Referrers:
    def owned(table: type[Any], column: str = "owner") -> list[str]:
        return values_where(session, table, org_id=org_id, column=column, equals=key, pick="key")

    def led(table: type[Any]) -> list[str]:
        return owned(table, "lead")

    return [
        ("still owns objectives", owned(ObjectiveRow)),
        ("still owns actions", owned(ActionRow)),
        ("still owns countermeasures", owned(CountermeasureRow)),
        ("still owns metrics", owned(MetricRow)),
        ("still leads units", led(UnitRow)),
    ]


UNITS: Spec[Unit] = Spec(
    "unit", UnitRow, lambda unit: Plan(ANY, units=(unit,)), _unit_problems, unit_state,
    _unit_referrers,
)  # fmt: skip
PEOPLE: Spec[Person] = Spec(
    "person", PersonRow, lambda person: Plan(ANY, people=(person,)), _person_problems,
    person_state, _person_referrers,
)  # fmt: skip


def list_units(
    session: Session, *, org: OrganizationRow, parent: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of units in plan order (optionally the children of ``parent``), and the total."""
    rows, total = page_rows(
        session, UnitRow, org_id=org.id, filters={"parent": parent}, limit=limit, offset=offset
    )
    return [unit_state(session, row) for row in rows], total


def read_unit(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One unit; raises NotFound."""
    return unit_state(session, get_row(session, UnitRow, org=org, kind="unit", key=key))


def create_unit(session: Session, *, change: Change, role: str, unit: Unit) -> dict[str, Any]:
    """A new unit (editors and admins)."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return create(session, UNITS, change=change, entity=unit)


def update_unit(session: Session, *, change: Change, role: str, unit: Unit) -> dict[str, Any]:
    """The unit's fields replaced at the version read."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return update(session, UNITS, change=change, entity=unit)


def delete_unit(session: Session, *, change: Change, role: str, key: str) -> None:
    """Deletes a unit nothing refers to any more."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    delete(session, UNITS, change=change, key=key)


def list_people(
    session: Session, *, org: OrganizationRow, unit: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of people in plan order (optionally of one unit), and the total."""
    rows, total = page_rows(
        session, PersonRow, org_id=org.id, filters={"unit": unit}, limit=limit, offset=offset
    )
    return [person_state(session, row) for row in rows], total


def read_person(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One person; raises NotFound."""
    return person_state(session, get_row(session, PersonRow, org=org, kind="person", key=key))


def create_person(session: Session, *, change: Change, role: str, person: Person) -> dict[str, Any]:
    """A new person (editors and admins)."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return create(session, PEOPLE, change=change, entity=person)


def update_person(session: Session, *, change: Change, role: str, person: Person) -> dict[str, Any]:
    """The person's fields replaced at the version read."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return update(session, PEOPLE, change=change, entity=person)


def delete_person(session: Session, *, change: Change, role: str, key: str) -> None:
    """Deletes a person who owns nothing any more."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    delete(session, PEOPLE, change=change, key=key)


def read_vision(org: OrganizationRow) -> dict[str, Any]:
    """The organisation's vision, with the organisation's version (its ETag)."""
    return {
        "statement": org.vision_statement, "purpose": org.vision_purpose,
        "horizon": org.vision_horizon, "values": list(org.vision_values),
        "version": org.version,
    }  # fmt: skip


def update_vision(session: Session, *, change: Change, role: str, vision: Vision) -> dict[str, Any]:
    """The vision replaced at the version read (editors and admins)."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    org = change.org
    before = read_vision(org)
    name = f"of {org.slug}"
    version = check_version(
        org, kind="vision", if_match=change.if_match, state=lambda: before, key=name
    )
    values = {
        "vision_statement": vision.statement, "vision_purpose": vision.purpose,
        "vision_horizon": vision.horizon, "vision_values": list(vision.values),
    }  # fmt: skip
    save(session, OrganizationRow, org, kind="vision", version=version, values=values,
         state=lambda: read_vision(org), key=name)  # fmt: skip
    after = read_vision(org)
    changed(session, change, entity="vision", key=org.slug, what="update", before=before,
            after=after)  # fmt: skip
    return after
