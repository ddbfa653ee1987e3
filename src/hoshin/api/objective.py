"""Objectives: a filtered page of them, one with its metrics, links and analysis; and
creating, changing and deleting them (If-Match)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from hoshin.api.deps import (
    Analyses,
    AsOf,
    Authorization,
    Db,
    Org,
    OrgSlug,
    as_of_day,
    encoded,
    etag,
    json_answer,
    kept_analysis,
)
from hoshin.api.edits import (
    CHANGES,
    MADE_ID,
    READS,
    Body,
    Ids,
    IfMatch,
    Key,
    Number,
    at,
    change_of,
    created,
    key_of,
    month,
    new_key,
    tagged,
)
from hoshin.domain.model import DEFAULT_TOLERANCE, Objective, Strength, weaker
from hoshin.domain.report import objective_json
from hoshin.fields import Description, Id, Period, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import objective as objective_service

router = APIRouter(tags=["objectives"], responses=READS, route_class=OneThreadRoute)


Level = Literal["breakthrough", "annual", "team", "individual"]
Status = Literal["green", "amber", "red", "no_data", "unmeasured"]


@router.get("/orgs/{org}/objectives")
def list_objectives(
    org: Org,
    session: Db,
    cache: Analyses,
    level: Level | None = None,
    unit: str | None = None,
    owner: str | None = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """Objectives in plan order, filtered by level, unit, owner and status, a page at a time."""
    results = cache.get(
        session, org=org.org, as_of=as_of_day(as_of), fresh_row=True
    ).analysis.objectives
    keys = None if status is None else [k for k, r in results.items() if r.status == status]
    items, total = objective_service.page(
        session, org=org.org, level=level, unit=unit, owner=owner, keys=keys, limit=limit,
        offset=offset,
    )  # fmt: skip
    for item in items:
        result = results.get(item["id"])
        if result is not None:
            item.update(status=result.status, progress=result.progress)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# response_model: the OpenAPI schema of the dict the route encodes itself (json_answer)
@router.get("/orgs/{org}/objectives/{objective}", response_model=dict[str, Any])
async def read_objective(  # async: it waits for its lookup in the event loop (no thread)
    request: Request,
    org: OrgSlug,
    objective: Annotated[str, Path(description="The objective's id in the plan.")],
    as_of: AsOf = None,
    authorization: Authorization = None,
) -> Response:
    """One objective with its metrics, the objectives it supports and its analysis."""
    analysed = await kept_analysis(request, org, authorization, as_of_day(as_of))
    found = objective_service.kept_detail(analysed, key=objective)
    analysis = analysed.analysis
    for metric in found["metrics"]:
        measured = analysis.metrics.get(metric["id"])
        metric["status"] = None if measured is None else measured.status
    rolled = analysis.objectives.get(objective)
    found["analysis"] = (
        None if rolled is None else objective_json(rolled, analysis.schedules[objective])
    )
    return json_answer(encoded(found), {"ETag": etag(found["version"])})


class ObjectiveFields(Body):
    """An objective's fields as in the plan file; ``supports`` maps objective ids to weights."""

    title: Title
    level: Literal["breakthrough", "annual", "team", "individual"]
    owner: Id | None = None
    unit: Id | None = None
    start: Period | None = None
    end: Period | None = None
    supports: dict[Id, Number] = Field(default_factory=dict)
    supports_strength: dict[Id, Strength] = Field(
        default_factory=dict,
        description="How strongly each supports link correlates (the X-matrix's ● ○ △); "
        "a link left out is strong.",
    )
    customer_benefit: Description | None = None
    tolerance: Number = DEFAULT_TOLERANCE
    description: Description | None = None
    addresses: Ids = Field(
        default_factory=list,
        description="The situation items (strengths, weaknesses, opportunities, threats) it "
        "answers, by id.",
    )

    def objective(self, key: str) -> Objective:
        """The domain's objective (without metrics: they are added on their own)."""
        return Objective(
            id=key, title=self.title, level=self.level, owner=self.owner, unit=self.unit,
            start=month(self.start, "start"), end=month(self.end, "end"),
            supports=dict(self.supports), customer_benefit=self.customer_benefit,
            tolerance=self.tolerance, description=self.description,
            supports_strength=weaker(self.supports_strength), addresses=tuple(self.addresses),
        )  # fmt: skip


class ObjectiveCreate(ObjectiveFields):
    """A new objective."""

    id: Id | None = Field(default=None, description=MADE_ID)


class ObjectiveUpdate(ObjectiveFields):
    """An objective's fields, replaced whole; ``id`` may be left out (it is in the path)."""

    id: Id | None = None


class ObjectiveRead(ObjectiveCreate):
    """An objective and its version (also its ETag)."""

    id: Id
    version: int


@router.post(
    "/orgs/{org}/objectives", response_model=ObjectiveRead, status_code=201, responses=CHANGES
)
def create_objective(
    org: Org, session: Db, body: ObjectiveCreate, response: Response
) -> dict[str, Any]:
    """A new objective with its supports links (editors and admins)."""
    key = new_key(session, org, body.id, body.title, "objective")
    state = objective_service.create_objective(
        session, change=change_of(org), role=org.role, objective=body.objective(key)
    )
    return created(response, state, at(org, "objectives", key))


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
    state = objective_service.update_objective(
        session, change=change_of(org, if_match), role=org.role, objective=objective
    )
    return tagged(response, state)


@router.delete("/orgs/{org}/objectives/{key}", status_code=204, responses=CHANGES)
def delete_objective(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes an objective without metrics that nothing supports or serves; needs If-Match."""
    objective_service.delete_objective(
        session, change=change_of(org, if_match), role=org.role, key=key
    )
    return Response(status_code=204)
