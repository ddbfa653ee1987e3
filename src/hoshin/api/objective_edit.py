"""Objectives: create, change (with their weighted ``supports``) and delete them."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import Field

from hoshin.api.deps import Db, Org
from hoshin.api.edits import (
    CHANGES,
    READS,
    Body,
    IfMatch,
    Key,
    Number,
    at,
    change_of,
    created,
    key_of,
    month,
    tagged,
)
from hoshin.domain.model import DEFAULT_TOLERANCE, Objective
from hoshin.fields import Description, Id, Period, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import objective_edit

router = APIRouter(tags=["objectives"], responses=READS, route_class=OneThreadRoute)


class ObjectiveFields(Body):
    """An objective's fields as in the plan file; ``supports`` maps objective ids to weights."""

    title: Title
    level: Literal["breakthrough", "annual", "team", "individual"]
    owner: Id | None = None
    unit: Id | None = None
    start: Period | None = None
    end: Period | None = None
    supports: dict[Id, Number] = Field(default_factory=dict)
    customer_benefit: Description | None = None
    tolerance: Number = DEFAULT_TOLERANCE
    description: Description | None = None

    def objective(self, key: str) -> Objective:
        """The domain's objective (without metrics: they are added on their own)."""
        return Objective(
            id=key, title=self.title, level=self.level, owner=self.owner, unit=self.unit,
            start=month(self.start, "start"), end=month(self.end, "end"),
            supports=dict(self.supports), customer_benefit=self.customer_benefit,
            tolerance=self.tolerance, description=self.description,
        )  # fmt: skip


class ObjectiveCreate(ObjectiveFields):
    """A new objective."""

    id: Id


class ObjectiveUpdate(ObjectiveFields):
    """An objective's fields, replaced whole; ``id`` may be left out (it is in the path)."""

    id: Id | None = None


class ObjectiveRead(ObjectiveCreate):
    """An objective and its version (also its ETag)."""

    version: int


@router.post(
    "/orgs/{org}/objectives", response_model=ObjectiveRead, status_code=201, responses=CHANGES
)
def create_objective(
    org: Org, session: Db, body: ObjectiveCreate, response: Response
) -> dict[str, Any]:
    """A new objective with its supports links (editors and admins)."""
    state = objective_edit.create_objective(
        session, change=change_of(org), role=org.role, objective=body.objective(body.id)
    )
    return created(response, state, at(org, "objectives", body.id))


@router.put("/orgs/{org}/objectives/{key}", response_model=ObjectiveRead, responses=CHANGES)
def update_objective(
    org: Org,
    session: Db,
    key: Key,
    body: ObjectiveUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The objective's fields and supports replaced (its metrics stay); needs If-Match."""
    objective = body.objective(key_of(key, body.id))
    state = objective_edit.update_objective(
        session, change=change_of(org, if_match), role=org.role, objective=objective
    )
    return tagged(response, state)


@router.delete("/orgs/{org}/objectives/{key}", status_code=204, responses=CHANGES)
def delete_objective(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes an objective without metrics that nothing supports or serves; needs If-Match."""
    objective_edit.delete_objective(
        session, change=change_of(org, if_match), role=org.role, key=key
    )
    return Response(status_code=204)
