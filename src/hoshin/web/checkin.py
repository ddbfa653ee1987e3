"""Check-in: this month's numbers for every metric someone owns, saved one by one in place;
a month the engine judges red opens a form for its countermeasure."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.model import Countermeasure, Metric, Objective, Plan
from hoshin.domain.months import Month, in_calendar
from hoshin.domain.responsible import metric_owner
from hoshin.domain.status import bowling
from hoshin.domain.text import text_problem
from hoshin.errors import (
    HoshinError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from hoshin.runtime.sessions import Session
from hoshin.service import checkin, policy
from hoshin.service import countermeasure as countermeasure_service
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web.checkin_scope import (
    Choices,
    choices,
    chosen_metrics,
    resolved,
    resting,
    scope_of,
)
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.outcome import attempt, page_status
from hoshin.web.render import render

router = APIRouter()
HISTORY = 3  # months shown before the one that is due
ROWS = 50  # metrics on one page of the grid


@router.get("/orgs/{org}/check-in", response_class=HTMLResponse)
def check_in(
    request: Request,
    session: Db,
    here: Place,
    unit: Annotated[str | None, Query(max_length=300)] = None,  # an id or a name
    owner: Annotated[str | None, Query(max_length=300)] = None,
    month: Annotated[str | None, Query(max_length=7)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The grid: a row per metric of the filter (checkin_scope: the asker's own by default,
    or of a unit and/or an owner, by id or exact name, or every metric) whose actual is due
    in the month chosen (by default the month before the as-of month), the months before and
    an input for it; a page of ROWS at a time."""
    found = here.analysed(session)
    unit, owner, problems = resolved(session, here, unit=unit, owner=owner)
    scope = scope_of(here, unit=unit, owner=owner, month=month)
    owned = chosen_metrics(found, scope)
    pages = max(1, -(-len(owned) // ROWS))
    page = min(page, pages)
    back = scope.query(here)
    rows = [
        _row(here, found, o, m, scope.month, back=back)
        for o, m in owned[(page - 1) * ROWS : page * ROWS]
    ]
    context = {
        "here": here, "rows": rows, "scope": scope, "due": scope.month, "page": page,
        "pages": pages, "total": len(owned), "choices": choices(found), "problems": problems,
        "resting": resting(found, scope, len(owned)),
        "previous": scope.query(here, page=page - 1), "next": scope.query(here, page=page + 1),
    }  # fmt: skip
    return render(request, "check_in.html", context)


@router.post("/orgs/{org}/check-in/{metric}/{period}", response_class=HTMLResponse)
async def save(request: Request, session: Db, here: Place, metric: str, period: str) -> Response:
    """Saves one value (htmx answers the row again, with its new status); without
    JavaScript the whole form comes here and the grid is shown again."""
    form = await request.form()
    value, read = str(form.get("value", "")).strip(), str(form.get("read", "")).strip()
    version = str(form.get("version", "")).strip()  # a client that read the version itself
    refused = _record(session, here, metric, period, value, read, version)
    htmx = request.headers.get("HX-Request") == "true"
    if refused is None and not htmx:
        return RedirectResponse(_grid(here, request), status_code=303)
    problem, status = refused or (None, 200)
    found = here.analysed(session)
    objective, owned = _find(found, metric)
    month = _month(period)
    row = _row(here, found, objective, owned, month)
    row.update(problem=problem, saved=problem is None and bool(value), typed=value)
    if htmx:
        return render(request, "check_in_row.html", {"here": here, "row": row})
    # Without JavaScript the refusal is a page of its own: the row, its problem, the way back.
    heading = f"{owned.name}, {month}: not saved"
    context = {"here": here, "row": row, "due": month, "heading": heading}
    return render(request, "check_in_alone.html", context, status)


@router.post("/orgs/{org}/check-in/{metric}/{period}/countermeasure", response_class=HTMLResponse)
async def countermeasure(
    request: Request, session: Db, here: Place, metric: str, period: str
) -> Response:
    """Records the countermeasure for a red month; the row answers again, saying so, or
    with the form and a message next to each field that needs another look."""
    form = await request.form()
    typed = {k: str(form.get(k, "")).strip() for k in ("cause", "action", "owner", "due")}
    month = _month(period)
    found = here.analysed(session)
    objective, owned = _find(found, metric)
    errors, measure = _create_measure(session, here, owned.id, month, typed)
    htmx = request.headers.get("HX-Request") == "true"
    if measure is not None and not htmx:
        return RedirectResponse(_grid(here, request), status_code=303)
    if measure is not None:
        # The analysis read next holds it (and drops its missing_countermeasure finding);
        # the row needs no new analysis to say so: countermeasures change no status.
        row = _row(here, found, objective, owned, month)
        owner = None if measure.owner is None else choices(found).names.get(measure.owner)
        row.update(countermeasure=measure, recorded=measure.id, form=None, owner_name=owner)
    else:
        row = _row(here, found, objective, owned, month, typed=typed, errors=errors)
    if htmx:
        return render(request, "check_in_row.html", {"here": here, "row": row})
    heading = f"Countermeasure for {owned.name}, {month}"
    context = {"here": here, "row": row, "due": month, "heading": heading}
    return render(request, "check_in_alone.html", context, 422)


def _record(
    session: Session, here: Here, metric: str, period: str, value: str, read: str, version: str
) -> tuple[str, int] | None:
    """Records the value as read (service.checkin.record_as_read: ``read`` is the value the
    row showed, empty: none); the problem in words and the page's status when it cannot be,
    else None."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return f"'{value}' is not a number", 422
    try:
        month = Month.parse(period)
    except ValueError as error:
        return str(error), 422
    refused = attempt(
        session, checkin.record_as_read, session, org=here.org, role=here.role,
        person=here.me.person, metric=metric, period=month, value=number, read=read or None,
        version=int(version) if version.isdigit() else None, who=here.who, now=now(),
    )  # fmt: skip
    if isinstance(refused, (PreconditionFailed, PreconditionRequired)):
        return f"{refused.message}: reload to see the value saved meanwhile", 409
    if isinstance(refused, HoshinError):
        return refused.message, page_status(refused)
    session.commit()  # the row then shows the analysis with the value saved
    return None


def _create_measure(
    session: Session, here: Here, metric: str, month: Month, typed: dict[str, str]
) -> tuple[dict[str, str], Countermeasure | None]:
    """Creates the countermeasure; the problems by field (``form``: the whole form), or
    the new countermeasure."""
    errors: dict[str, str] = {}
    for name, empty in (("cause", "Say what caused the red month."),
                        ("action", "Say what will be done about it.")):  # fmt: skip
        problem = text_problem(typed[name], "description")  # as the API's Description
        if not typed[name] or problem is not None:
            errors[name] = empty if not typed[name] else f"The {name} {problem}."
    due = _day(typed["due"], errors)
    if errors:
        return errors, None
    key = f"cm-{metric}-{month}"
    measure = Countermeasure(
        key, metric, month, cause=typed["cause"], action=typed["action"],
        owner=typed["owner"] or None, due=due,
    )  # fmt: skip
    refused = attempt(
        session, countermeasure_service.create_countermeasure, session, change=here.change(),
        asker=here.asker, measure=measure,
    )  # fmt: skip
    if isinstance(refused, HoshinError):
        return _field_errors(refused), None
    session.commit()  # the analysis read next holds the countermeasure
    return {}, measure


def _day(text: str, errors: dict[str, str]) -> date | None:
    """The due date typed, or None; a problem in ``errors`` when it is not a date."""
    if not text:
        return None
    try:
        return in_calendar(date.fromisoformat(text))
    except ValueError:
        errors["due"] = f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-07-31."
        return None


def _field_errors(error: HoshinError) -> dict[str, str]:
    """The service's problems by form field; the rest are the whole form's."""
    fields = ("cause", "action", "owner", "due")
    errors: dict[str, str] = {}
    detail = error.detail if isinstance(error, InvalidInput) else None
    for item in detail if isinstance(detail, list) else []:
        field = str(item.get("field", "")) if isinstance(item, dict) else ""
        if field in fields:
            errors[field] = str(item.get("reason", ""))
    if not errors:
        errors["form"] = error.message
    return errors


def _grid(here: Here, request: Request) -> str:
    """The grid the form came from: its filter is the query of the form's action."""
    query = request.url.query
    return f"/orgs/{here.org.slug}/check-in{'?' + query if query else ''}"


def _dom_id(key: str) -> str:
    """An HTML id made of the metric's id (which may hold spaces or other characters)."""
    return "m-" + re.sub(r"[^A-Za-z0-9_-]", lambda c: f"_{ord(c.group()):x}", key)


def _month(period: str) -> Month:
    try:
        return Month.parse(period)
    except ValueError as error:
        raise NotFound(f"no month '{period}': {error}") from None


def _find(found: Analysed, metric: str) -> tuple[Objective, Metric]:
    """The metric and its objective; NotFound when the plan has no such metric."""
    pair = found.derived("check-in/by-metric", lambda _: _by_metric(found.plan)).get(metric)
    if pair is None:
        raise NotFound(f"no metric '{metric}'")
    return pair


def _by_metric(plan: Plan) -> dict[str, tuple[Objective, Metric]]:
    return {m.id: (o, m) for o in plan.objectives for m in o.metrics}


def _answered(found: Analysed) -> dict[tuple[str, Month], Countermeasure]:
    """The plan's countermeasures by metric and month (once per analysis)."""
    return found.derived(
        "check-in/answered", lambda _: {(c.metric, c.period): c for c in found.plan.countermeasures}
    )


def _row(
    here: Here,
    found: Analysed,
    objective: Objective,
    metric: Metric,
    due: Month,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    back: str | None = None,
) -> dict[str, Any]:
    """One metric's row for the month ``due``, with the countermeasure form of a red month
    (everything named from the analysis: no query, whichever page the row is on)."""
    value = metric.actuals.get(due)  # a correction names it: see _version_read
    # The engine's verdict on the month due, as its bowling chart gives it.
    fiscal = found.plan.organization.fiscal_year_start
    cell = next(c for c in bowling(metric, due, fiscal) if c.period == due)
    answered = _answered(found).get((metric.id, due))
    mine = policy.may(here.role, Act.WORK, theirs=True)  # the service checks which
    open_form = cell.status == "red" and answered is None and mine
    known = choices(found)
    names = known.names
    owner = None if answered is None or answered.owner is None else names.get(answered.owner)
    owner_id = metric_owner(metric, objective)  # who enters its actuals
    slug = here.org.slug
    back = here.query() if back is None else back
    return {
        "dom": _dom_id(metric.id),
        "objective": objective,
        "metric": metric,
        "result": found.analysis.metrics[metric.id],
        "due": due,
        "history": [
            (due.minus(k), metric.actuals.get(due.minus(k))) for k in range(HISTORY, 0, -1)
        ],
        "value": value,
        # the filter rides along, so that without JavaScript the grid comes back as it was
        "action": f"/orgs/{slug}/check-in/{metric.id}/{due}{back}",
        "owner": None if owner_id is None else names.get(owner_id, owner_id),
        "problem": None,
        "saved": False,
        "typed": "",
        "month_status": cell.status,
        "countermeasure": answered,
        "recorded": None,
        "owner_name": owner,
        "form": _form(here, objective, metric, due, typed, errors, known) if open_form else None,
    }


def _form(
    here: Here,
    objective: Objective,
    metric: Metric,
    due: Month,
    typed: dict[str, str] | None,
    errors: dict[str, str] | None,
    known: Choices,
) -> dict[str, Any]:
    """The countermeasure form: where it posts, the owners to pick from, what was typed."""
    values = typed or {"cause": "", "action": "", "owner": objective.owner or "", "due": ""}
    return {
        "post": f"/orgs/{here.org.slug}/check-in/{metric.id}/{due}/countermeasure{here.query()}",
        "owners": _owners(here, objective, known),
        "fields": values,
        "errors": errors or {},
    }


def _owners(here: Here, objective: Objective, known: Choices) -> list[tuple[str, str]]:
    """(id, name) of the people who may own a countermeasure of the objective: its owner
    first, then the asker and the first OWNER_CHOICES people of its unit."""
    people: dict[str, str] = {}
    for key in (objective.owner, here.me.person):
        name = None if key is None else known.names.get(key)
        if key is not None and name is not None:
            people.setdefault(key, name)
    for key, name in known.unit_people.get(objective.unit or "", ()):
        people.setdefault(key, name)
    return list(people.items())
