"""The analysis of an organisation: the engine's JSON contract, whole or as a summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request

from hoshin.api.deps import (
    Analyses,
    AsOf,
    Authorization,
    Db,
    Org,
    OrgSlug,
    as_of_day,
    kept_analysis,
)
from hoshin.domain.analysis import Analysis
from hoshin.domain.report import report
from hoshin.runtime.one_thread import OneThreadRoute

router = APIRouter(tags=["analysis"], route_class=OneThreadRoute)


@router.get("/orgs/{org}/analysis")
def analysis(org: Org, session: Db, cache: Analyses, as_of: AsOf = None) -> dict[str, Any]:
    """The whole analysis: exactly the JSON of `hoshin check --format json`."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    return report(found.plan, found.analysis)


@router.get("/orgs/{org}/analysis/summary")
async def summary(  # async: it waits for its lookup in the event loop (no thread)
    request: Request,
    org: OrgSlug,
    as_of: AsOf = None,
    authorization: Authorization = None,
) -> dict[str, Any]:
    """Status counts, alignment coverage and findings by code; the first 50 warnings; and
    whether the analysis is being brought up to date after a change (``stale``)."""
    found = await kept_analysis(request, org, authorization, as_of_day(as_of))
    # stale: the figures are an interim analysis after a change to a large plan (or those
    # of the plan before it), while the exact analysis is made in the background
    return {**found.derived("summary", _summary), "stale": found.stale}


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
