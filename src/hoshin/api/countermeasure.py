"""Countermeasures: read, create, change (open, in progress, closed with its effect) and
delete them; contributors answer their metrics and change the countermeasures they own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import Field

from hoshin.api.action import asker
from hoshin.api.deps import Db, Org
from hoshin.api.edits import (
    CHANGES,
    READS,
    Body,
    Day,
    Filter,
    IfMatch,
    Key,
    Limit,
    Offset,
    at,
    change_of,
    created,
    key_of,
    month,
    page,
    tagged,
)
from hoshin.domain.model import Countermeasure, CountermeasureStatus
from hoshin.fields import Description, Id, Period
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import countermeasure as service

router = APIRouter(tags=["countermeasures"], responses=READS, route_class=OneThreadRoute)


class CountermeasureFields(Body):
    """The response to a missed month of a metric; ``effect`` (what it changed) is asked
    for when it is closed."""

    metric: Id
    period: Period
    cause: Description | None = None
    action: Description | None = None
    owner: Id | None = None
    due: Day | None = None
    status: CountermeasureStatus = "open"
    effect: Description | None = None

    def countermeasure(self, key: str) -> Countermeasure:
        """The domain's countermeasure."""
        period = month(self.period, "period")
        assert period is not None  # the field is required
        return Countermeasure(
            id=key, metric=self.metric, period=period, cause=self.cause, action=self.action,
            owner=self.owner, due=self.due, status=self.status, effect=self.effect,
        )  # fmt: skip


class CountermeasureCreate(CountermeasureFields):
    """A new countermeasure."""

    id: Id | None = Field(
        default=None,
        description="The new countermeasure's id. Left out, one is made from its metric and "
        "month, unique in the plan: cm-falls-2026-05, or cm-falls-2026-05-2 when taken.",
    )


class CountermeasureUpdate(CountermeasureFields):
    """A countermeasure's fields, replaced whole."""

    id: Id | None = None


class CountermeasureRead(CountermeasureFields):
    """A countermeasure and its version."""

    id: Id
    version: int


class CountermeasurePage(Body):
    """A page of countermeasures."""

    items: list[CountermeasureRead]
    total: int
    limit: int
    offset: int


@router.get("/orgs/{org}/countermeasures", response_model=CountermeasurePage)
def list_countermeasures(
    org: Org,
    session: Db,
    metric: Filter = None,
    owner: Filter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Countermeasures in plan order, filtered by metric and owner."""
    items, total = service.list_countermeasures(
        session, org=org.org, metric=metric, owner=owner, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/countermeasures/{key}", response_model=CountermeasureRead)
def read_countermeasure(org: Org, session: Db, key: Key, response: Response) -> dict[str, Any]:
    """One countermeasure; its ETag is its version."""
    return tagged(response, service.read_countermeasure(session, org=org.org, key=key))


@router.post(
    "/orgs/{org}/countermeasures",
    response_model=CountermeasureRead,
    status_code=201,
    responses=CHANGES,
)
def create_countermeasure(
    org: Org, session: Db, body: CountermeasureCreate, response: Response
) -> dict[str, Any]:
    """A new countermeasure; contributors: for metrics of their (or their unit's) objectives."""
    who = asker(org)
    period = month(body.period, "period")
    assert period is not None  # the field is required
    key = body.id or service.new_countermeasure_key(
        session, org=org.org, metric=body.metric, period=period
    )
    state = service.create_countermeasure(
        session, change=change_of(org), asker=who, measure=body.countermeasure(key)
    )
    return created(response, state, at(org, "countermeasures", key))


@router.put(
    "/orgs/{org}/countermeasures/{key}", response_model=CountermeasureRead, responses=CHANGES
)
def update_countermeasure(
    org: Org,
    session: Db,
    key: Key,
    body: CountermeasureUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The countermeasure's fields replaced (status moved on: in_progress, closed with its
    effect); needs If-Match. Contributors: the ones they own or that answer their (or their
    unit's) metrics."""
    who = asker(org)
    measure = body.countermeasure(key_of(key, body.id))
    state = service.update_countermeasure(
        session, change=change_of(org, if_match), asker=who, measure=measure
    )
    return tagged(response, state)


@router.delete("/orgs/{org}/countermeasures/{key}", status_code=204, responses=CHANGES)
def delete_countermeasure(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes a countermeasure; needs If-Match (editors and admins)."""
    who = asker(org)
    service.delete_countermeasure(session, change=change_of(org, if_match), asker=who, key=key)
    return Response(status_code=204)
