"""The X-matrix, generated from the plan: objectives, priorities, metrics' targets for the
year, owners and resources, and how strongly each pair relates."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.xmatrix import DEPTHS, Choice, Depth, XIndex
from hoshin.runtime.sessions import Session
from hoshin.service.analysis import Analysed
from hoshin.service.document import xmatrix as document
from hoshin.web.deps import Db, Here, Place
from hoshin.web.forms import Form
from hoshin.web.names import names_of
from hoshin.web.references import Reference, resolve_names
from hoshin.web.render import render

router = APIRouter()
Key = Annotated[str | None, Query(max_length=200)]
DEPTH_WORDS: dict[Depth, str] = {
    "direct": "Actions that serve it directly",
    "team": "Through team objectives",
    "all": "All levels below",
}
UNIT = {"unit": Reference("units")}


@router.get("/orgs/{org}/x-matrix", response_class=HTMLResponse)
def x_matrix_page(
    request: Request,
    session: Db,
    here: Place,
    breakthrough: Key = None,
    unit: Key = None,
    depth: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The X-matrix of the plan, of one breakthrough objective (``?breakthrough=ID``), of
    one unit and those below it (``?unit=ID``), with priorities to ``?depth=`` (direct,
    team, all)."""
    found, index, choice, problems = chosen(session, here, breakthrough, unit, depth)
    within = choice.unit
    year = document.year_of(found.plan, here.as_of)
    matrix = document.matrix_of(found, index, choice)
    context = {
        "here": here,
        "x": matrix,
        "analysis": found.analysis,
        "breakthroughs": [("", "All")]
        + [(key, f"{key} {_short(index.objectives[key].title)}") for key in index.breakthroughs],
        "unit_name": names_of(found).unit(within) if within else "",
        "depths": list(DEPTH_WORDS.items()),
        "choice": choice,
        "year": year,
        "problems": problems,
        "pdf": pdf_link(here, choice),
    }
    return render(request, "xmatrix.html", context, 422 if problems else 200)


def chosen(
    session: Session, here: Here, breakthrough: str | None, unit: str | None, depth: str | None
) -> tuple[Analysed, XIndex, Choice, dict[str, str]]:
    """The organisation's analysis, the X-matrix's index, the part of the plan the query
    chooses (the page's and its PDF's), and the problems of the choices it cannot take."""
    found = here.analysed(session)
    index = document.index_of(found)
    problems: dict[str, str] = {}
    key = breakthrough or None
    problem = document.breakthrough_problem(index, key) if key else None
    if problem is not None:
        problems["breakthrough"] = problem
        key = None
    within, problems = _unit(session, here, unit, index, problems)
    deep: Depth = next((d for d in DEPTHS if d == depth), "team")
    if depth and depth != deep:
        problems["depth"] = f"'{depth}' is not a depth: choose one from the list"
    year = document.year_of(found.plan, here.as_of)
    return found, index, Choice(year.last, key, within, deep), problems


def pdf_link(here: Here, choice: Choice) -> str:
    """The address of the PDF of the matrix the page shows (its choices and its day)."""
    query = {"breakthrough": choice.breakthrough, "unit": choice.unit, "depth": choice.depth}
    if here.query():
        query["as_of"] = here.as_of.isoformat()
    chosen = urlencode({name: value for name, value in query.items() if value})
    return f"/orgs/{here.org.slug}/x-matrix.pdf?{chosen}"


def _unit(
    session: Session, here: Here, typed: str | None, index: XIndex, problems: dict[str, str]
) -> tuple[str | None, dict[str, str]]:
    """The unit chosen (its id; a name typed without the picker's script is resolved as the
    plan's forms resolve it), or None for all; a unit the plan lacks is the field's problem.
    A picker, not a list: an organisation of 50,000 people has thousands of units."""
    if not typed:
        return None, problems
    form = Form({"unit": typed})
    resolve_names(session, here, form, UNIT)
    within = form.value("unit")
    if form.problems or within not in index.unit_parent:
        reason = form.problems.get("unit", [f"'{typed}' is not a unit: choose one from the list"])
        return None, {**problems, "unit": reason[0]}
    return within, problems


def _short(title: str, longest: int = 60) -> str:
    """A title for a choice in a list: cut at a word to about ``longest`` characters."""
    if len(title) <= longest:
        return title
    return title[:longest].rsplit(" ", 1)[0] + "…"
