"""Objectives: a filtered page of them, and one with its metrics, links and analysis."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from hoshin.api.deps import (
    Analyses,
    AsOf,
    Authorization,
    Db,
    Org,
    OrgSlug,
    as_of_day,
    etag,
    kept_analysis,
)
from hoshin.domain.report import objective_json
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import objective as objective_service

router = APIRouter(tags=["objectives"], route_class=OneThreadRoute)
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


@router.get("/orgs/{org}/objectives/{objective}")
async def read_objective(  # async: it waits for its lookup in the event loop (no thread)
    request: Request,
    org: OrgSlug,
    session: Db,
    response: Response,
    objective: Annotated[str, Path(description="The objective's id in the plan.")],
    as_of: AsOf = None,
    authorization: Authorization = None,
) -> dict[str, Any]:
    """One objective with its metrics, the objectives it supports and its analysis."""
    analysed = await kept_analysis(request, org, authorization, session, as_of_day(as_of))
    found = objective_service.kept_detail(analysed, key=objective)
    analysis = analysed.analysis
    response.headers["ETag"] = etag(found["version"])
    for metric in found["metrics"]:
        measured = analysis.metrics.get(metric["id"])
        metric["status"] = None if measured is None else measured.status
    rolled = analysis.objectives.get(objective)
    found["analysis"] = (
        None if rolled is None else objective_json(rolled, analysis.schedules[objective])
    )
    return found
