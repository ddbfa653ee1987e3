"""A draft from a sentence in the forms: the assistant reads "Halve warranty claims from 24
per 1,000 pumps each year until Dec 2029" and fills the objective form's or the guided
start's fields for the person to check and save (a draft is never saved by itself)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.domain.assist.draft import Draft, draft_objective
from hoshin.domain.figures import exact
from hoshin.domain.guide import Step
from hoshin.domain.model import LEVELS, Level
from hoshin.domain.text import text_problem
from hoshin.domain.trajectory import end_value
from hoshin.errors import InvalidInput, NotFound
from hoshin.web.deps import Db, Place
from hoshin.web.edit_base import require_editor, show, submitted
from hoshin.web.edit_objective import OBJECTIVES
from hoshin.web.edit_values import shown
from hoshin.web.forms import Form
from hoshin.web.start import show_drafted
from hoshin.web.start_forms import COURSES

EXAMPLE = "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"
HOLDS = (
    "this sentence holds a measure where it is, and a step of the guided start moves one: "
    "add it on the plan's New objective form, or say where the number goes (from ... to ...)"
)


@dataclass(frozen=True, slots=True)
class Drafted:
    """A sentence and what the assistant read in it: the draft, or why it could not."""

    sentence: str = ""
    draft: Draft | None = None
    problem: str | None = None


def drafted(
    sentence: str, *, as_of: date, level: Level | None = None, fiscal_year_start: int = 1
) -> Drafted:
    """The draft of ``sentence`` as of a day (years are the organisation's fiscal years), or
    the problem to show beside the input."""
    sentence = sentence.strip()
    if not sentence:
        return Drafted(problem=f"type a sentence to draft from, e.g. “{EXAMPLE}”")
    bad = text_problem(sentence, "line")
    if bad is not None:
        return Drafted(sentence, problem=f"the sentence {bad}")
    try:
        return Drafted(
            sentence,
            draft_objective(
                sentence, as_of=as_of, level=level, fiscal_year_start=fiscal_year_start
            ),
        )
    except InvalidInput as refused:
        return Drafted(sentence, problem=refused.message)


def objective_fields(values: Mapping[str, str], draft: Draft) -> dict[str, str]:
    """The objective form's fields with the draft's title, level, start and end."""
    drafted_ = draft.objective
    filled = {**values, "title": drafted_.title, "level": drafted_.level}
    for name, month in (("start", drafted_.start), ("end", drafted_.end)):
        if month is not None:
            filled[name] = str(month)
    return filled


def start_fields(
    values: Mapping[str, str], draft: Draft, *, courses: tuple[str, ...]
) -> dict[str, str]:
    """The guided start's fields (title and one metric: name, unit, direction among
    ``courses``, baseline, target, target month, trajectory) with the draft's values."""
    filled = {**values, "title": draft.objective.title}
    metric = draft.objective.metrics[0] if draft.objective.metrics else None
    if metric is None:
        return filled
    target = end_value(metric)
    shown = {
        "name": metric.name, "unit": metric.unit or "",
        "direction": metric.direction if metric.direction in courses else "",
        "baseline": _number(metric.baseline), "target": _number(target),
        "target_period": str(metric.target_period or draft.objective.end or ""),
        "trajectory": metric.trajectory,
    }  # fmt: skip
    filled.update({name: value for name, value in shown.items() if value})
    return filled


def _number(value: float | None) -> str:
    """A figure for a field: a computed target to 6 significant digits (1.5, not 1.4999...)."""
    return "" if value is None else exact(float(f"{value:.6g}"))


router = APIRouter()
# The guided start's steps that make an objective with a metric, and their objectives' level.
STEPS: dict[Step, Level] = {"breakthrough": "breakthrough", "annual": "annual"}


def _htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _status(request: Request, found: Drafted) -> int:
    """422 for a sentence not read, but 200 to htmx, which swaps only a success's answer."""
    return 422 if found.problem and not _htmx(request) else 200


@router.post("/orgs/{org}/assist/draft/objective", response_class=HTMLResponse)
async def draft_objective_form(
    request: Request, session: Db, here: Place, key: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    """The objective form (new, or objective ``key``'s) with the fields the sentence gives
    filled in: title, level (kept when editing), start and end; nothing is saved."""
    require_editor(here)
    fields = await submitted(request)
    known = key or None
    if "title" in fields:  # the form's fields came along (htmx): keep what was typed
        values = {name: v for name, v in fields.items() if name not in ("sentence", "csrf_token")}
    elif known is not None:  # the sentence alone (no JavaScript): the objective as saved
        state = OBJECTIVES.read(session, here, known)
        values = {**OBJECTIVES.values(state), "version": shown(state.get("version"))}
    else:
        values = dict(OBJECTIVES.blank)
    level = values.get("level") if known is not None else None
    found = drafted(
        fields.get("sentence", ""), as_of=here.as_of,
        level=next((lv for lv in LEVELS if lv == level), None),
        fiscal_year_start=here.org.fiscal_year_start,
    )  # fmt: skip
    if found.draft is not None:
        values = objective_fields(values, found.draft)
    form = Form(values, values.get("version", ""))
    spec = replace(OBJECTIVES, context=_with_draft(OBJECTIVES.context, found))
    return show(request, session, here, spec, form, key=known, status=_status(request, found))


def _with_draft(context: Any, found: Drafted) -> Any:
    """The form's own context, and the draft."""
    return lambda *args: {**context(*args), "assist_draft": found}


@router.post("/orgs/{org}/assist/draft/start", response_class=HTMLResponse)
async def draft_start_step(
    request: Request, session: Db, here: Place, step: Annotated[str, Query(max_length=20)]
) -> Response:
    """The guided start's breakthrough or annual step with the fields the sentence gives
    filled in (title and its metric); nothing is saved."""
    require_editor(here)
    chosen = next((s for s in STEPS if s == step), None)
    if chosen is None:
        raise NotFound(f"no draft for the step '{step[:20]}': choose {' or '.join(STEPS)}")
    fields = await submitted(request)
    values = {name: v for name, v in fields.items() if name not in ("sentence", "csrf_token")}
    found = drafted(
        fields.get("sentence", ""), as_of=here.as_of, level=STEPS[chosen],
        fiscal_year_start=here.org.fiscal_year_start,
    )  # fmt: skip
    metric = found.draft.objective.metrics[0] if found.draft else None
    if metric is not None and metric.direction not in COURSES:
        found = Drafted(found.sentence, problem=HOLDS)
    elif found.draft is not None:
        values = start_fields(values, found.draft, courses=COURSES)
    found_plan = here.analysed(session)
    return show_drafted(
        request, here, found_plan, chosen, Form(values), {"assist_draft": found},
        status=_status(request, found),
    )  # fmt: skip
