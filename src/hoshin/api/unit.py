"""Units, people and the vision: read, create, change and delete them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import Field

from hoshin.api.deps import Db, Org
from hoshin.api.edits import (
    CHANGES,
    MADE_ID,
    READS,
    Body,
    Filter,
    IfMatch,
    Key,
    Limit,
    Offset,
    at,
    change_of,
    created,
    key_of,
    new_key,
    page,
    tagged,
)
from hoshin.domain.model import Person, Unit, Vision
from hoshin.fields import Description, Email, Id, Line, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import unit as unit_service

router = APIRouter(tags=["units, people and vision"], responses=READS, route_class=OneThreadRoute)


class UnitFields(Body):
    """A unit's fields; ``parent`` is another unit's id, ``lead`` a person's."""

    name: Title
    parent: Id | None = None
    lead: Id | None = Field(
        default=None,
        description="The person who leads the unit: told of its escalations (a unit "
        "without a lead escalates to its parent unit's lead).",
    )


class UnitCreate(UnitFields):
    """A new unit."""

    id: Id | None = Field(default=None, description=MADE_ID)


class UnitUpdate(UnitFields):
    """A unit's fields, replaced whole; ``id`` may be left out (it is in the path)."""

    id: Id | None = None


class UnitRead(UnitCreate):
    """A unit and its version (also its ETag)."""

    id: Id
    version: int


class PersonFields(Body):
    """A person's fields; ``unit`` is a unit's id."""

    name: Title
    unit: Id | None = None
    email: Email | None = None


class PersonCreate(PersonFields):
    """A new person."""

    id: Id | None = Field(default=None, description=MADE_ID)


class PersonUpdate(PersonFields):
    """A person's fields, replaced whole."""

    id: Id | None = None


class PersonRead(PersonCreate):
    """A person and their version."""

    id: Id
    version: int


class VisionIn(Body):
    """Where the organisation is going, why, by when (a year), and how it behaves."""

    statement: Description = ""
    purpose: Description = ""
    horizon: Annotated[int, Field(ge=1, le=9999)] | None = None
    values: list[Line] = Field(default_factory=list)


class VisionRead(VisionIn):
    """The vision and the organisation's version (its ETag)."""

    version: int


class UnitPage(Body):
    """A page of units."""

    items: list[UnitRead]
    total: int
    limit: int
    offset: int


class PersonPage(Body):
    """A page of people."""

    items: list[PersonRead]
    total: int
    limit: int
    offset: int


@router.get("/orgs/{org}/units", response_model=UnitPage)
def list_units(
    org: Org, session: Db, parent: Filter = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """Units in plan order, optionally the children of ``parent``."""
    items, total = unit_service.list_units(
        session, org=org.org, parent=parent, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/units/{key}", response_model=UnitRead)
def read_unit(org: Org, session: Db, key: Key, response: Response) -> dict[str, Any]:
    """One unit; its ETag is the version to send back in If-Match."""
    return tagged(response, unit_service.read_unit(session, org=org.org, key=key))


@router.post("/orgs/{org}/units", response_model=UnitRead, status_code=201, responses=CHANGES)
def create_unit(org: Org, session: Db, body: UnitCreate, response: Response) -> dict[str, Any]:
    """A new unit (editors and admins)."""
    key = new_key(session, org, body.id, body.name, "unit")
    unit = Unit(key, body.name, body.parent, body.lead)
    state = unit_service.create_unit(session, change=change_of(org), role=org.role, unit=unit)
    return created(response, state, at(org, "units", key))


@router.put("/orgs/{org}/units/{key}", response_model=UnitRead, responses=CHANGES)
def update_unit(
    org: Org, session: Db, key: Key, body: UnitUpdate, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    """The unit's fields replaced; needs If-Match."""
    unit = Unit(key_of(key, body.id), body.name, body.parent, body.lead)
    change = change_of(org, if_match)
    return tagged(
        response, unit_service.update_unit(session, change=change, role=org.role, unit=unit)
    )


@router.delete("/orgs/{org}/units/{key}", status_code=204, responses=CHANGES)
def delete_unit(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes a unit nothing refers to; needs If-Match."""
    unit_service.delete_unit(session, change=change_of(org, if_match), role=org.role, key=key)
    return Response(status_code=204)


@router.get("/orgs/{org}/people", response_model=PersonPage)
def list_people(
    org: Org, session: Db, unit: Filter = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """People in plan order, optionally of one unit."""
    items, total = unit_service.list_people(
        session, org=org.org, unit=unit, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/people/{key}", response_model=PersonRead)
def read_person(org: Org, session: Db, key: Key, response: Response) -> dict[str, Any]:
    """One person; the ETag is their version."""
    return tagged(response, unit_service.read_person(session, org=org.org, key=key))


@router.post("/orgs/{org}/people", response_model=PersonRead, status_code=201, responses=CHANGES)
def create_person(org: Org, session: Db, body: PersonCreate, response: Response) -> dict[str, Any]:
    """A new person (editors and admins)."""
    key = new_key(session, org, body.id, body.name, "person")
    person = Person(key, body.name, body.unit, body.email)
    state = unit_service.create_person(session, change=change_of(org), role=org.role, person=person)
    return created(response, state, at(org, "people", key))


@router.put("/orgs/{org}/people/{key}", response_model=PersonRead, responses=CHANGES)
def update_person(
    org: Org,
    session: Db,
    key: Key,
    body: PersonUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The person's fields replaced; needs If-Match."""
    person = Person(key_of(key, body.id), body.name, body.unit, body.email)
    change = change_of(org, if_match)
    state = unit_service.update_person(session, change=change, role=org.role, person=person)
    return tagged(response, state)


@router.delete("/orgs/{org}/people/{key}", status_code=204, responses=CHANGES)
def delete_person(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes a person who owns nothing; needs If-Match."""
    unit_service.delete_person(session, change=change_of(org, if_match), role=org.role, key=key)
    return Response(status_code=204)


@router.get("/orgs/{org}/vision", response_model=VisionRead)
def read_vision(org: Org, response: Response) -> dict[str, Any]:
    """The vision; the ETag is the organisation's version."""
    return tagged(response, unit_service.read_vision(org.org))


@router.put("/orgs/{org}/vision", response_model=VisionRead, responses=CHANGES)
def update_vision(
    org: Org, session: Db, body: VisionIn, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    """The vision replaced whole; needs If-Match (editors and admins)."""
    vision = Vision(body.statement, body.purpose, body.horizon, tuple(body.values))
    change = change_of(org, if_match)
    state = unit_service.update_vision(session, change=change, role=org.role, vision=vision)
    return tagged(response, state)
