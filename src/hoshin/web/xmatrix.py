"""The X-matrix, generated from the plan: objectives, priorities, metrics' targets for the
year, owners and resources, and how strongly each pair relates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.annual import fiscal_year_of
from hoshin.domain.xmatrix import DEPTHS, Choice, Depth, XIndex, x_index, x_matrix
from hoshin.web.deps import Db, Place
from hoshin.web.render import render

router = APIRouter()
Key = Annotated[str | None, Query(max_length=200)]
DEPTH_WORDS: dict[Depth, str] = {
    "direct": "Actions that serve it directly",
    "team": "Through team objectives",
    "all": "All levels below",
}


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
    found = here.analysed(session)
    index: XIndex = found.derived("x_index", lambda _: x_index(found.plan))
    problems: dict[str, str] = {}
    chosen = breakthrough or None
    if chosen is not None and chosen not in index.breakthroughs:
        problems["breakthrough"] = (
            f"'{chosen}' is not the id of a breakthrough objective: choose one from the list"
        )
        chosen = None
    within = unit or None
    if within is not None and within not in index.unit_parent:
        problems["unit"] = f"'{within}' is not the id of a unit: choose one from the list"
        within = None
    deep: Depth = next((d for d in DEPTHS if d == depth), "team")
    if depth and depth != deep:
        problems["depth"] = f"'{depth}' is not a depth: choose one from the list"
    year = fiscal_year_of(here.as_of, found.plan.organization.fiscal_year_start)
    choice = Choice(year.last, chosen, within, deep)
    if within is None:  # a handful per analysis: the breakthroughs times three depths
        matrix = found.derived(
            f"x_matrix:{chosen or ''}:{deep}:{year.last}", lambda _: x_matrix(index, choice)
        )
    else:  # one unit's part is small; units are many, so it is not kept
        matrix = x_matrix(index, choice)
    context = {
        "here": here,
        "x": matrix,
        "analysis": found.analysis,
        "breakthroughs": [("", "All")]
        + [(key, f"{key} {_short(index.objectives[key].title)}") for key in index.breakthroughs],
        "units": [("", "All"), *((u.id, u.name) for u in found.plan.units)],
        "depths": list(DEPTH_WORDS.items()),
        "choice": choice,
        "year": year,
        "problems": problems,
    }
    return render(request, "xmatrix.html", context, 422 if problems else 200)


def _short(title: str, longest: int = 60) -> str:
    """A title for a choice in a list: cut at a word to about ``longest`` characters."""
    if len(title) <= longest:
        return title
    return title[:longest].rsplit(" ", 1)[0] + "…"
