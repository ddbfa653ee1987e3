"""Documents to download from the pages where their content is shown: the workbook, the
A3 report, the review pack, the X-matrix, the strategy on a page (each route answers with
hoshin.service.document.download.download)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from hoshin.errors import InvalidInput
from hoshin.fields import period_of
from hoshin.runtime.apart import made_apart
from hoshin.runtime.sessions import end_reading
from hoshin.service import export
from hoshin.service.document import a3, xmatrix
from hoshin.service.document.download import download, file_name
from hoshin.service.document.review_pack import review_pack
from hoshin.service.document.summary import strategy_on_a_page
from hoshin.web import xmatrix as xmatrix_page
from hoshin.web.deps import Db, Place

router = APIRouter()
Choosing = Annotated[str | None, Query(max_length=200)]


@router.get("/orgs/{org}/objectives/{key}/a3.pdf")
def objective_a3(session: Db, here: Place, key: Annotated[str, Path(max_length=100)]) -> Response:
    """The objective's A3 report (PDF) as of the page's date; 404 for an unknown objective."""
    found = here.analysed(session)
    body = a3.organization_a3(session, org=here.org, found=found, key=key)
    name = file_name(here.org.slug, "a3", key, day=here.as_of, suffix="pdf")
    return download(body, name=name, kind="pdf")


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


@router.get("/orgs/{org}/reviews/monthly/{unit}/{month}/pack.pdf")
def review_pack_pdf(session: Db, here: Place, unit: str, month: str) -> Response:
    """The review page of ``unit`` for ``month`` printed as the review pack (A4 PDF), as of
    the page's date; 404 for an unknown unit, 422 for a month that is not YYYY-MM."""
    found = here.analysed(session)
    period = period_of(month, "month")
    body = review_pack(session, org=here.org, found=found, unit=unit, period=period)
    name = file_name(here.org.slug, "review", unit, str(period), day=here.as_of, suffix="pdf")
    return download(body, name=name, kind="pdf")


@router.get("/orgs/{org}/summary.pdf")
def summary_pdf(session: Db, here: Place) -> Response:
    """True north printed as the strategy on a page (one A3 landscape page of PDF), as of
    the page's date."""
    found = here.analysed(session)
    body = strategy_on_a_page(found.plan, found.analysis)
    return download(body, name=file_name(here.org.slug, "summary", day=here.as_of, suffix="pdf"),
                    kind="pdf")  # fmt: skip


def _plan_export(session: Db, here: Place, format: export.Format) -> Response:
    """The plan as the page's day shows it, in ``format``, as a file to save."""
    found = here.analysed(session)
    end_reading(session)  # the workbook of a large plan takes minutes: no snapshot held open
    day = here.as_of
    body = made_apart(
        lambda: export.plan_bytes(found.plan, found.analysis, format=format, as_of=day)
    )
    suffix = export.SUFFIX[format]
    return download(body, name=file_name(here.org.slug, "plan", day=here.as_of, suffix=suffix),
                    kind=suffix)  # fmt: skip


@router.get("/orgs/{org}/plan/export.xlsx")
def plan_xlsx(session: Db, here: Place) -> Response:
    """The plan and the engine's numbers as of the page's date as an Excel workbook."""
    return _plan_export(session, here, "xlsx")


@router.get("/orgs/{org}/plan/export.zip")
def plan_csv(session: Db, here: Place) -> Response:
    """The workbook's tables as CSV files in a zip."""
    return _plan_export(session, here, "csv")


@router.get("/orgs/{org}/plan/export.yaml")
def plan_yaml(session: Db, here: Place) -> Response:
    """The plan as a plan file (YAML), as `hoshin export` writes it."""
    return _plan_export(session, here, "yaml")
