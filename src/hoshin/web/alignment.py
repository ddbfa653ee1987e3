"""The alignment map: the objective tree from breakthrough to individual, with filters."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.alignment import FLAGS, AlignmentIndex, alignment_index, matching, path_up
from hoshin.domain.model import LEVELS
from hoshin.domain.status import STATUSES
from hoshin.errors import NotFound
from hoshin.service import view
from hoshin.service.analysis import Analysed
from hoshin.web.deps import Db, Place
from hoshin.web.names import Names, names_of
from hoshin.web.parents import awaiting_mark
from hoshin.web.render import render

router = APIRouter()
PAGE = 50  # objectives per page of a filtered list, and children loaded at a time
FLAGGED = 10  # objectives shown per alignment finding; the rest are a filter away
CHOICES = 200  # above this many units or people, a filter is typed instead of chosen
Filter = Annotated[str, Query(max_length=200)]


@router.get("/orgs/{org}/alignment", response_class=HTMLResponse)
def alignment_map(
    request: Request,
    session: Db,
    here: Place,
    unit: Filter = "",
    owner: Filter = "",
    level: Filter = "",
    status: Filter = "",
    finding: Filter = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """The breakthrough objectives, each opening onto the objectives that support it; with a
    filter, the matching objectives as a list, each with its path up to the vision."""
    found = here.analysed(session)
    index = _index(found)
    names = _names(found)
    filters = {"unit": unit, "owner": owner, "level": level, "status": status, "finding": finding}
    filters = {name: value.strip() for name, value in filters.items()}
    problems = _problems(filters, names)
    chosen = {name: value for name, value in filters.items() if value and name not in problems}
    context: dict[str, Any] = {
        "here": here,
        "summary": found.analysis.summary,
        "filters": filters,
        "problems": problems,
        "units": _options(names.units),
        "people": _options(names.people),
        "options": {
            "level": [(level, level) for level in LEVELS],
            "status": [(key, view.status_word(key)) for key in STATUSES],
            "finding": [(code, code.replace("_", " ")) for code in FLAGS],
        },
        "statuses": STATUSES,
        "flags": FLAGS,
        "roots": [_node(found, key) for key in index.roots],
        "flagged": {code: _flagged(found, index.flagged[code]) for code in FLAGS},
        "listed": _listed(found, chosen, page) if chosen else None,
    }
    return render(request, "alignment.html", context, 422 if problems else 200)


@router.get("/orgs/{org}/alignment/children/{key}", response_class=HTMLResponse)
def alignment_children(
    request: Request,
    session: Db,
    here: Place,
    key: str,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """The objectives that support ``key``, PAGE at a time: list items for htmx to put in
    place, or a page of their own without JavaScript."""
    found = here.analysed(session)
    index = _index(found)
    if key not in index.objectives:
        raise NotFound(f"no objective '{key}'")
    children = index.children[key]
    context = {
        "here": here,
        "parent": _node(found, key, path=True),
        "nodes": [_node(found, child, weight=w) for child, w in children[offset : offset + PAGE]],
        "next": offset + PAGE if offset + PAGE < len(children) else None,
        "total": len(children),
    }
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request, "alignment_children.html" if fragment else "alignment_branch.html", context
    )


def _listed(found: Analysed, chosen: dict[str, str], page: int) -> dict[str, Any]:
    """Page ``page`` of the objectives that match the filters, each with its path up."""
    keys = matching(_index(found), chosen)
    shown = keys[(page - 1) * PAGE : page * PAGE]
    return {
        "nodes": [_node(found, key, path=True) for key in shown],
        "total": len(keys),
        "page": page,
        "first": (page - 1) * PAGE + 1,
        "pages": max((len(keys) + PAGE - 1) // PAGE, 1),
        "query": urlencode(chosen),
    }


def _options(names: dict[str, str]) -> list[tuple[str, str]] | None:
    """(id, name) choices, or None when there are too many to list (a text box instead)."""
    return None if len(names) > CHOICES else list(names.items())


def _flagged(found: Analysed, keys: tuple[str, ...]) -> tuple[list[Any], int]:
    """The first FLAGGED objectives of a finding's list, and how many it holds."""
    return [_node(found, key) for key in keys[:FLAGGED]], len(keys)


def _index(found: Analysed) -> AlignmentIndex:
    """The alignment index of this analysis, built once (52,000 objectives take a while)."""

    def build(analysis: Any) -> AlignmentIndex:
        statuses = {key: result.status for key, result in analysis.objectives.items()}
        return alignment_index(found.plan, statuses, analysis.findings)

    return found.derived("alignment_children", build)


def _names(found: Analysed) -> Names:
    """People's and units' names by id, built once per analysis (web.names)."""
    return names_of(found)


def _problems(filters: dict[str, str], names: Names) -> dict[str, str]:
    """What is wrong with each filter, by its name (nothing for a filter left empty)."""
    known = {
        "unit": (names.units, "no unit with the id '{}'"),
        "owner": (names.people, "no person with the id '{}'"),
        "level": (LEVELS, "'{}' is not a level: choose " + ", ".join(LEVELS)),
        "status": (STATUSES, "'{}' is not a status: choose " + ", ".join(STATUSES)),
        "finding": (FLAGS, "'{}' is not one of the findings " + ", ".join(FLAGS)),
    }
    return {
        name: message.format(filters[name])
        for name, (values, message) in known.items()
        if filters[name] and filters[name] not in values
    }


def _node(found: Analysed, key: str, weight: float | None = None, path: bool = False) -> Any:
    """What the map shows of an objective: its status and progress, owner, unit, link weight,
    alignment findings, how many objectives support it, and (for lists) its path up."""
    index = _index(found)
    names = _names(found)
    objective = index.objectives[key]
    result = found.analysis.objectives[key]
    up = path_up(index, key) if path else None
    return {
        "objective": objective,
        "result": result,
        "label": f"progress {view.percent(result.progress)}, "
        f"planned {view.percent(result.planned_progress)}",
        "weight": weight,
        "owner": names.people.get(objective.owner or "", objective.owner),
        "unit": names.units.get(objective.unit or "", objective.unit),
        "flags": index.flags.get(key, ()),
        "awaiting": awaiting_mark(found, key),
        "children": len(index.children[key]),
        "path": None if up is None else up[:-1],
        "aligned": up is not None and index.objectives[up[0]].level == "breakthrough",
    }
