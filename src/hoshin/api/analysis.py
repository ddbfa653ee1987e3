"""The analysis of an organisation: the engine's JSON contract, whole or as a summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request, Response

from hoshin.api.deps import (
    Analyses,
    AsOf,
    Authorization,
    Db,
    Org,
    OrgSlug,
    as_of_day,
    encoded,
    json_answer,
    kept_analysis,
)
from hoshin.domain.analysis import Analysis
from hoshin.domain.report import report
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service.analysis import Analysed

router = APIRouter(tags=["analysis"], route_class=OneThreadRoute)


@router.get("/orgs/{org}/analysis")
def analysis(org: Org, session: Db, cache: Analyses, as_of: AsOf = None) -> dict[str, Any]:
    """The whole analysis: exactly the JSON of `hoshin check --format json`."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    return report(found.plan, found.analysis)


# response_model: the OpenAPI schema of the dict the route encodes itself (json_answer)
@router.get("/orgs/{org}/analysis/summary", response_model=dict[str, Any])
async def summary(  # async: it waits for its lookup in the event loop (no thread)
    request: Request,
    org: OrgSlug,
    as_of: AsOf = None,
    authorization: Authorization = None,
) -> Response:
    """Status counts, alignment coverage and findings by code; the first 50 warnings; and
    whether the analysis is being brought up to date after a change (``stale``)."""
    found = await kept_analysis(request, org, authorization, as_of_day(as_of))
    return json_answer(summary_json(found))


def summary_json(found: Analysed) -> bytes:
    """The summary's JSON, encoded once per analysis: every summary of one analysis is the
    same. Kept by stale too: an analysis marked stale (dataclasses.replace) shares the memo
    of the one it copies."""
    return found.derived(f"summary.json stale={found.stale}", lambda _: _summary_json(found))


def _summary_json(found: Analysed) -> bytes:
    # stale: the figures are an interim analysis after a change to a large plan (or those
    # of the plan before it), while the exact analysis is made in the background
    return encoded({**found.derived("summary", _summary), "stale": found.stale})


def _summary(result: Analysis) -> dict[str, Any]:
    counts = Counter(item.code for item in result.findings)
    warnings = [item._asdict() for item in result.findings[:50] if item.severity == "warning"]
    return {
        "as_of": result.as_of.isoformat(),
        "summary": {
            "objectives": result.summary.objectives,
            **result.summary.by_status,
            "alignment_coverage": result.summary.alignment_coverage,
        },
        "findings_by_code": dict(sorted(counts.items())),
        "warnings": warnings[:50],
    }
