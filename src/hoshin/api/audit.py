"""History: the organisation's audit trail, and every change of one entity of its plan."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hoshin.api.deps import Db, Org
from hoshin.api.edits import READS, TEXT_PATTERN, Key, Limit, Offset, page
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import audit as audit_service

router = APIRouter(tags=["history"], responses=READS, route_class=OneThreadRoute)
Kind = Literal[
    "units", "people", "objectives", "metrics", "actions", "countermeasures", "situation"
]
ENTITY = {
    "units": "unit", "people": "person", "objectives": "objective", "metrics": "metric",
    "actions": "action", "countermeasures": "countermeasure", "situation": "situation",
}  # fmt: skip


class EventRead(BaseModel):
    """One change: who, from where (the client's address, or "cli"), when, what, and the
    state before and after."""

    id: int
    at: str
    actor: str
    origin: str | None
    entity: str
    key: str
    change: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class EventPage(BaseModel):
    """A page of the audit trail, newest first."""

    items: list[EventRead]
    total: int
    limit: int
    offset: int


@router.get("/orgs/{org}/audit", response_model=EventPage)
def audit_trail(
    org: Org,
    session: Db,
    entity: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z][a-z_]*$")] = None,
    key: Annotated[str | None, Query(max_length=200, pattern=TEXT_PATTERN)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The organisation's changes, newest first, optionally of one entity."""
    items, total = audit_service.trail(
        session, org=org.org, entity=entity, key=key, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/{kind}/{key}/history", response_model=list[EventRead])
def history(org: Org, session: Db, kind: Kind, key: Key) -> list[dict[str, Any]]:
    """Every change of one entity, oldest first (an entity deleted since keeps its history)."""
    return audit_service.history(session, org=org.org, entity=ENTITY[kind], key=key)
