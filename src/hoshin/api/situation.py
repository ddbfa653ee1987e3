"""The current position: the organisation's strengths, weaknesses, opportunities and threats;
read them (any member), put one (create or replace, If-Match) and delete one (editors and
admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import Field

from hoshin.api.deps import Db, Org
from hoshin.api.edits import CHANGES, READS, Body, IfMatch, Key, at, change_of, key_of, tagged
from hoshin.domain.model import SituationItem, SituationKind
from hoshin.fields import Id, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import situation as situation_service

router = APIRouter(tags=["situation"], responses=READS, route_class=OneThreadRoute)


class SituationItemIn(Body):
    """An item's kind and text, replaced whole; ``id`` may be left out (it is in the path)."""

    id: Id | None = None
    kind: SituationKind
    text: Title


class SituationItemRead(Body):
    """An item, the objectives that address it (their ``addresses`` name it) and its version
    (also its ETag)."""

    id: Id
    kind: SituationKind
    text: Title
    addressed_by: list[Id] = Field(default_factory=list)
    version: int


class SituationRead(Body):
    """Every item of the situation in plan order."""

    items: list[SituationItemRead]


@router.get("/orgs/{org}/situation", response_model=SituationRead)
def read_situation(org: Org, session: Db) -> dict[str, Any]:
    """The situation: each item with the objectives that address it."""
    return {"items": situation_service.situation(session, org=org.org)}


@router.get("/orgs/{org}/situation/{key}", response_model=SituationItemRead)
def read_item(org: Org, session: Db, key: Key, response: Response) -> dict[str, Any]:
    """One item; its ETag is the version to send back in If-Match."""
    return tagged(response, situation_service.read_item(session, org=org.org, key=key))


@router.put(
    "/orgs/{org}/situation/{key}",
    response_model=SituationItemRead,
    responses={**CHANGES, 201: {"description": "The item was created"}},
)
def put_item(
    org: Org,
    session: Db,
    key: Key,
    body: SituationItemIn,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Creates the item (201), or replaces its kind and text (200; needs If-Match)."""
    item = SituationItem(key_of(key, body.id), body.kind, body.text)
    state, made = situation_service.put_item(
        session, change=change_of(org, if_match), role=org.role, item=item
    )
    if made:
        response.status_code = 201
        response.headers["Location"] = at(org, "situation", key)
    return tagged(response, state)


@router.delete("/orgs/{org}/situation/{key}", status_code=204, responses=CHANGES)
def delete_item(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes an item no objective addresses (409 names those that do); needs If-Match."""
    situation_service.delete_item(session, change=change_of(org, if_match), role=org.role, key=key)
    return Response(status_code=204)
