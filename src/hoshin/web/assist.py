"""The strategy assistant in the pages: the "Where does this belong?" list the objective and
catchball forms ask for as a title is typed (htmx), and the assistant's page of the plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.errors import NotFound
from hoshin.web.assist_forms import suggested_parents
from hoshin.web.deps import Db, Place
from hoshin.web.render import render

router = APIRouter()
Typed = Annotated[str, Query(max_length=300)]
Word = Annotated[str, Query(max_length=64)]
# The form fields a suggested parent fills (a button's target), and what the box calls them.
FILLS = {
    "f-supports-new-id": "Supports (its new link)",
    "p-parent": "Supports objective",
    "c-parent": "Supports objective",
}


@router.get("/orgs/{org}/assist/parents", response_class=HTMLResponse)
def parents_list(
    request: Request,
    session: Db,
    here: Place,
    title: Typed = "",
    level: Word = "annual",
    unit: Typed = "",
    key: Word = "",
    fill: Word = "f-supports-new-id",
) -> Response:
    """The objectives of the level above that the objective typed most plausibly supports,
    each with its score, its reasons and a button that fills the form's field ``fill``."""
    where = FILLS.get(fill)
    if where is None:
        raise NotFound(f"no form field '{fill}' takes a parent: choose {', '.join(FILLS)}")
    found = here.analysed(session)
    parents = suggested_parents(
        found, title=title, level=level, unit=unit, key=key, org=here.org.id
    )
    context = {"here": here, "parents": parents, "fill": fill, "where": where}
    return render(request, "_assist_parents.html", context)
