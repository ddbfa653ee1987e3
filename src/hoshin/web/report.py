"""Documents to download from the pages where their content is shown: the workbook, the
A3 report, the review pack, the X-matrix, the strategy on a page (each route answers with
hoshin.service.document.download.download)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hoshin.errors import InvalidInput
from hoshin.service.document import xmatrix
from hoshin.service.document.download import download, file_name
from hoshin.web import xmatrix as xmatrix_page
from hoshin.web.deps import Db, Place

router = APIRouter()
Choosing = Annotated[str | None, Query(max_length=200)]


@router.get("/orgs/{org}/x-matrix.pdf")
def x_matrix_pdf(
    session: Db,
    here: Place,
    breakthrough: Choosing = None,
    unit: Choosing = None,
    depth: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The X-matrix the page shows (the same query) as one A3 landscape page of PDF; 422
    naming a choice the plan lacks."""
    found, _, choice, problems = xmatrix_page.chosen(session, here, breakthrough, unit, depth)
    if problems:
        raise InvalidInput("; ".join(problems.values()))
    body = xmatrix.xmatrix_pdf(
        found, as_of=here.as_of, organization=here.org.name, breakthrough=choice.breakthrough,
        unit=choice.unit, depth=choice.depth,
    )  # fmt: skip
    name = file_name(here.org.slug, "x-matrix", choice.breakthrough or "", day=here.as_of,
                     suffix="pdf")  # fmt: skip
    return download(body, name=name, kind="pdf")
