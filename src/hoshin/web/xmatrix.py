"""The X-matrix, generated from the plan: objectives, priorities, metrics, owners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.xmatrix import XIndex, x_index, x_matrix
from hoshin.web.deps import Db, Place
from hoshin.web.render import render

router = APIRouter()


@router.get("/orgs/{org}/x-matrix", response_class=HTMLResponse)
def x_matrix_page(
    request: Request,
    session: Db,
    here: Place,
    breakthrough: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The X-matrix of the plan, or of one breakthrough objective (``?breakthrough=ID``)
    when the whole plan has more on a side than one page holds."""
    found = here.analysed(session)
    index: XIndex = found.derived("x_index", lambda _: x_index(found.plan))
    chosen = breakthrough or None
    problem = None
    if chosen is not None and chosen not in index.breakthroughs:
        problem = f"'{chosen}' is not the id of a breakthrough objective: choose one from the list"
        chosen = None
    # chosen is a breakthrough's id or None: a handful of memos per analysis at most
    matrix = found.derived(f"x_matrix:{chosen or ''}", lambda _: x_matrix(index, chosen))
    context = {
        "here": here,
        "x": matrix,
        "analysis": found.analysis,
        "breakthroughs": [index.objectives[key] for key in index.breakthroughs],
        "chosen": chosen,
        "problem": problem,
        "cut": any(side.more for side in (matrix.north, matrix.east, matrix.far_east)),
    }
    return render(request, "xmatrix.html", context, 422 if problem else 200)
