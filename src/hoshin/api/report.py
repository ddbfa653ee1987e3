"""Documents of an organisation's plan to download: the workbook, the PDF documents (each
route answers with hoshin.service.document.download.download)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from hoshin.api.deps import Analyses, AsOf, Db, Org, as_of_day
from hoshin.api.edits import READS
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service.document import xmatrix
from hoshin.service.document.download import download, file_name

router = APIRouter(tags=["documents"], responses=READS, route_class=OneThreadRoute)


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
