"""The strategy assistant in the pages: the "Where does this belong?" list the objective and
catchball forms ask for as a title is typed (htmx), and the assistant's page of the plan."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.assist.catalogue import SECTORS
from hoshin.errors import InvalidInput, NotFound
from hoshin.runtime.assist_scans import plan_overlaps
from hoshin.service.assist.catalogue import search_metrics
from hoshin.web.assist_forms import suggested_parents
from hoshin.web.assist_page import (
    page_space,
    paged,
    reviews,
    space_words,
    unanswered,
)
from hoshin.web.deps import Db, Here, Place
from hoshin.web.render import render

router = APIRouter()
Typed = Annotated[str, Query(max_length=300)]
Word = Annotated[str, Query(max_length=64)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
FOUND = 10  # indicators a catalogue search lists
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


@router.get("/orgs/{org}/assist", response_class=HTMLResponse)
def assistant_page(
    request: Request,
    session: Db,
    here: Place,
    q: Typed = "",
    sector: Word = "",
    op: PageNumber = 1,
    rp: PageNumber = 1,
    pp: PageNumber = 1,
) -> Response:
    """The assistant's advice on the plan, for anyone who may read it: overlaps and
    duplicates, the SMART review of the objectives that fail a criterion, the position's
    items no objective addresses with the objectives that may, and the metric catalogue
    searched by meaning (``q``, ``sector``); a page at a time of each list. The overlaps come
    from the plan's scan, made in the background (minutes at 50,000 people)."""
    found = here.analysed(session)
    space = page_space(found, here.org.id)
    chosen = sector if sector in SECTORS else ""
    params: dict[str, Any] = {"q": q, "sector": chosen, "op": op, "rp": rp, "pp": pp}

    def link(name: str) -> Any:
        return lambda number: _address(here, {**params, name: number})

    found_overlaps, _ = plan_overlaps(found, org=here.org.id)
    metrics, problem = _search(q, chosen)
    context = {
        "here": here, "params": params, "sectors": SECTORS, **space_words(space),
        "overlaps": found_overlaps and paged(found_overlaps.overlaps, op, link("op")),
        "scan": found_overlaps,
        "metrics": metrics, "search_problem": problem,
        "reviews": paged(reviews(found, space), rp, link("rp")),
        "objectives_total": len(found.plan.objectives),
        "position": paged(unanswered(found, space), pp, link("pp")),
    }  # fmt: skip
    return render(request, "assist.html", context, 422 if problem else 200)


def _search(q: str, sector: str) -> tuple[list[Any], str | None]:
    """The catalogue's indicators that best answer ``q``, or the problem with the question."""
    if not q.strip():
        return [], None
    try:
        return search_metrics(q, top=FOUND, sector=sector or None), None
    except InvalidInput as refused:
        return [], refused.message


def _address(here: Here, params: dict[str, Any]) -> str:
    """The page with ``params`` (those at their default left out), as of the page's day."""
    kept = {name: value for name, value in params.items() if value not in ("", None, 1)}
    if here.query():
        kept["as_of"] = here.as_of.isoformat()
    return f"/orgs/{here.org.slug}/assist" + (f"?{urlencode(kept)}" if kept else "")
