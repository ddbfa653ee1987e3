"""Documents of an organisation's plan to download: the workbook, the PDF documents (each
route answers with hoshin.service.document.download.download)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from hoshin.api.deps import Analyses, AsOf, Db, Org, as_of_day
from hoshin.api.edits import PERIOD, READS, Key, period
from hoshin.runtime.apart import made_apart
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.runtime.sessions import end_reading
from hoshin.service import export
from hoshin.service.document import a3, xmatrix
from hoshin.service.document.download import MEDIA_TYPES, download, file_name
from hoshin.service.document.review_pack import review_pack
from hoshin.service.document.summary import strategy_on_a_page
from hoshin.service.export import Format

router = APIRouter(tags=["documents"], responses=READS, route_class=OneThreadRoute)


@router.get(
    "/orgs/{org}/objectives/{key}/a3.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The A3 report"}},
)
def objective_a3(org: Org, session: Db, cache: Analyses, key: Key, as_of: AsOf = None) -> Response:
    """The A3 report of an objective: one A3 landscape page (PDF); 404 for an unknown id."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    body = a3.organization_a3(session, org=org.org, found=found, key=key)
    day = found.analysis.as_of
    return download(
        body, name=file_name(org.org.slug, "a3", key, day=day, suffix="pdf"), kind="pdf"
    )


Breakthrough = Annotated[
    str | None,
    Query(description="Only this breakthrough objective's part of the plan.", max_length=200),
]


@router.get(
    "/orgs/{org}/x-matrix.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The X-matrix"}},
)
def x_matrix_pdf(
    org: Org, session: Db, cache: Analyses, breakthrough: Breakthrough = None, as_of: AsOf = None
) -> Response:
    """The X-matrix of the plan, or of one breakthrough objective: one A3 landscape page
    (PDF); 422 naming a breakthrough objective the plan lacks."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    day = found.analysis.as_of
    body = xmatrix.xmatrix_pdf(
        found, as_of=day, organization=org.org.name, breakthrough=breakthrough
    )
    name = file_name(org.org.slug, "x-matrix", breakthrough or "", day=day, suffix="pdf")
    return download(body, name=name, kind="pdf")


Month = Annotated[str, Path(description="The month reviewed, YYYY-MM.", pattern=PERIOD)]


@router.get(
    "/orgs/{org}/reviews/monthly/{unit}/{month}/pack.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The review pack"}},
)
def review_pack_pdf(
    org: Org, session: Db, cache: Analyses, unit: Key, month: Month, as_of: AsOf = None
) -> Response:
    """The monthly review pack of a unit (and the units below it) for a month (A4 PDF): the
    red and amber metrics with their bowling charts and countermeasures, late actions, and
    the decisions and minutes once recorded; 404 for an unknown unit."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    body = review_pack(session, org=org.org, found=found, unit=unit, period=period(month, "month"))
    day = found.analysis.as_of
    name = file_name(org.org.slug, "review", unit, month, day=day, suffix="pdf")
    return download(body, name=name, kind="pdf")


@router.get(
    "/orgs/{org}/summary.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The strategy on a page"}},
)
def summary_pdf(org: Org, session: Db, cache: Analyses, as_of: AsOf = None) -> Response:
    """The strategy on a page: the vision, the breakthrough objectives with status and trend,
    their annual objectives and the findings that need attention (one A3 landscape page, PDF)."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    day = found.analysis.as_of
    body = strategy_on_a_page(found.plan, found.analysis)
    name = file_name(org.org.slug, "summary", day=day, suffix="pdf")
    return download(body, name=name, kind="pdf")


EXPORT_MEDIA = [MEDIA_TYPES[suffix] for suffix in export.SUFFIX.values()]
ExportFormat = Annotated[
    Format,
    Query(description="yaml or json (a plan file), xlsx (Excel) or csv (a zip of CSV files)."),
]


@router.get(
    "/orgs/{org}/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media in EXPORT_MEDIA}, "description": "The plan"}},
)
def export_plan(
    org: Org, session: Db, cache: Analyses, format: ExportFormat = "yaml", as_of: AsOf = None
) -> Response:
    """The plan as a plan file (yaml, json) or with the engine's numbers as of the day as an
    Excel workbook (xlsx) or a zip of CSV files (csv), each sheet a table."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    end_reading(session)  # the workbook of a large plan takes minutes: no snapshot held open
    day = found.analysis.as_of
    body = made_apart(
        lambda: export.plan_bytes(found.plan, found.analysis, format=format, as_of=day)
    )
    suffix = export.SUFFIX[format]
    return download(body, name=file_name(org.org.slug, "plan", day=day, suffix=suffix), kind=suffix)
