"""What a change of an objective's ``supports`` does to its parents' progress, told in the
objective form before it is saved (htmx), and the "awaiting first data" marks the pages put
on contributors that count as 0 until their first actual (domain.awaiting)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.awaiting import Supporters, awaited, parent_moves
from hoshin.domain.model import LEVELS, Level, Objective
from hoshin.domain.months import Month
from hoshin.domain.rollup import supporters_of
from hoshin.service.analysis import Analysed
from hoshin.web.deps import Db, Place
from hoshin.web.edit_base import require_editor, submitted
from hoshin.web.forms import Reader, supports_of
from hoshin.web.render import render

router = APIRouter()


def supporters(found: Analysed) -> Supporters:
    """Each objective's supporters and link weights, built once per analysis."""
    return found.derived("awaiting.supporters", lambda _: supporters_of(found.plan.objectives))


def objectives_by_id(found: Analysed) -> dict[str, Objective]:
    """The plan's objectives by id, built once per analysis."""
    return found.derived("awaiting.objectives", lambda _: {o.id: o for o in found.plan.objectives})


def awaiting_month(found: Analysed, key: str) -> Month | None:
    """The month the first actual of objective ``key`` is due, while it counts without data."""
    fiscal = found.plan.organization.fiscal_year_start
    return awaited(
        key, objectives_by_id(found), supporters(found), found.analysis.objectives,
        fiscal_start=fiscal,
    )  # fmt: skip


def awaiting_mark(found: Analysed, key: str) -> str | None:
    """What the pages say of a contributor that counts as 0 until its first actual:
    "awaiting first data (first actual for 2027-01)"; None for any other."""
    if found.analysis.objectives[key].status != "no_data":
        return None
    due = awaiting_month(found, key)
    return "awaiting first data" + ("" if due is None else f" (first actual for {due})")


@router.post("/orgs/{org}/plan/parents", response_class=HTMLResponse)
async def parents_preview(
    request: Request, session: Db, here: Place, key: str | None = None
) -> Response:
    """How the progress of each objective this one supports (or stops supporting) moves
    with the links typed in the form, before it is saved."""
    require_editor(here)
    fields = await submitted(request)
    read = Reader(fields)
    links = supports_of(read)
    found = here.analysed(session)
    objectives = objectives_by_id(found)
    known = key if key in objectives else None
    typed = fields.get("level", "")
    level: Level = typed if typed in LEVELS else "annual"
    moves = parent_moves(
        known, level, {p: w for p, w in links.items() if p in objectives},
        objectives=objectives, supporters=supporters(found),
        results=found.analysis.objectives, metrics=found.analysis.metrics,
    )  # fmt: skip
    name = known or (fields.get("id") or "").strip() or "this objective"
    context = {"here": here, "moves": moves, "name": name, "objectives": objectives}
    return render(request, "objective_parents.html", context)
