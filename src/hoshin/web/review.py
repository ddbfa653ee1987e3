"""The monthly review of a unit: reds and ambers, countermeasures, decisions, minutes; and
comments on objectives."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.model import Objective
from hoshin.domain.months import Month
from hoshin.errors import HoshinError, InvalidInput, NotFound, PreconditionFailed
from hoshin.service import policy
from hoshin.service import review as review_service
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.forms import Form
from hoshin.web.names import names_of
from hoshin.web.outcome import attempt, page_status
from hoshin.web.references import Reference, resolve_names
from hoshin.web.render import render

router = APIRouter()
QUICK_LINKS = 24  # units linked straight to last month's review
# The unit is chosen by name with a picker at every size of plan (it sends the id); a name
# typed without the picker's script is resolved as in the plan's forms.
UNIT = {"unit": Reference("units")}
Typed = Annotated[str | None, Query(max_length=300)]
FIELDS = ("attendees", "decisions", "notes", "meeting_at")


@router.get("/orgs/{org}/reviews/monthly", response_class=HTMLResponse)
def choose(
    request: Request, session: Db, here: Place, unit: Typed = None, month: Typed = None
) -> Response:
    """The form that chooses the unit and month (default: the first unit, last month); with
    both, the review (the unit by id or exact name)."""
    found = here.analysed(session)
    form = Form({"unit": (unit or "").strip()})
    if form.value("unit") and month:
        resolve_names(session, here, form, UNIT)
        if not form.problems:
            return RedirectResponse(_url(here, form.value("unit"), month.strip()), 303)
    recent, total = review_service.list_monthly_reviews(
        session, org=here.org, unit=None, limit=20, offset=0
    )
    units = found.plan.units
    problem = form.problems.get("unit", [None])[0]
    context = {
        "here": here,
        "units": units[:QUICK_LINKS],
        "more": len(units) > QUICK_LINKS,
        "unit": form.value("unit") or (units[0].id if units else ""),
        "month": _chosen_month(here, month),
        "recent": recent,
        "total": total,
        "names": _unit_names(found),
        "problem": problem,
    }
    return render(request, "review_choose.html", context, 200 if problem is None else 422)


@router.get("/orgs/{org}/reviews/monthly/{unit}/{month}", response_class=HTMLResponse)
def review_page(request: Request, session: Db, here: Place, unit: str, month: str) -> Response:
    """The review of ``unit`` (and the units below it) for ``month``: the agenda before it
    is recorded, the minutes after."""
    return _page(request, session, here, unit, month, form=None, problem=None, status=200)


@router.post("/orgs/{org}/reviews/monthly/{unit}/{month}", response_class=HTMLResponse)
async def record(request: Request, session: Db, here: Place, unit: str, month: str) -> Response:
    """Saves the review (attendees and decisions one a line, notes, when it meets: UTC);
    back to the page."""
    form = await request.form()
    typed = {name: str(form.get(name, "")) for name in FIELDS}
    version = str(form.get("version", "")).strip()
    period = _month(month)
    record = {
        "attendees": review_service.lines(typed["attendees"]),
        "decisions": review_service.lines(typed["decisions"]),
        "notes": typed["notes"],
        "meeting_at": typed["meeting_at"].strip() or None,
    }
    outcome = attempt(
        session, review_service.save_monthly_review, session, change=here.change(version),
        asker=(here.role, here.me.person), unit=unit, period=period, record=record, now=now(),
    )  # fmt: skip
    if isinstance(outcome, PreconditionFailed):
        problem = f"{outcome.message}. Your text is kept below: save again to replace theirs."
        return _page(request, session, here, unit, month, form=typed, problem=problem, status=409)
    if isinstance(outcome, HoshinError):
        return _page(request, session, here, unit, month, form=typed, problem=_says(outcome),
                     status=page_status(outcome))  # fmt: skip
    return RedirectResponse(_url(here, unit, str(period)) + "#minutes", status_code=303)


@router.post("/orgs/{org}/objectives/{key}/comments", response_class=HTMLResponse)
async def comment(request: Request, session: Db, here: Place, key: str) -> Response:
    """Adds a comment; htmx gets the comments again, a plain form the objective page."""
    form = await request.form()
    body = str(form.get("body", ""))
    htmx = request.headers.get("HX-Request") == "true"
    objective = _objectives(here.analysed(session)).get(key)
    if objective is None:
        raise NotFound(f"no objective '{key}'")
    outcome = attempt(
        session, review_service.add_comment, session, change=here.change(), role=here.role,
        objective=key, body=body, now=now(), person=here.me.person,
    )  # fmt: skip
    if isinstance(outcome, HoshinError) and not htmx:
        raise outcome  # a page of its own says why
    problem = outcome.message if isinstance(outcome, HoshinError) else None
    if not htmx:
        url = f"/orgs/{here.org.slug}/objectives/{quote(key, safe='')}{here.query()}#comments"
        return RedirectResponse(url, status_code=303)
    context = {
        "here": here,
        "objective": objective,
        "comments": review_service.comments_of(session, org=here.org, objective=key),
        "problem": problem,
        "typed": body if problem else "",
    }
    return render(request, "_comments.html", context)


def _page(
    request: Request,
    session: Db,
    here: Here,
    unit: str,
    month: str,
    *,
    form: dict[str, str] | None,
    problem: str | None,
    status: int,
) -> Response:
    found = here.analysed(session)
    names = _unit_names(found)
    if unit not in names:
        raise NotFound(f"no unit '{unit}'")
    period = _month(month)
    recorded = review_service.find_recorded_review(session, org=here.org, unit=unit, period=period)
    if form is None:
        form = {
            "attendees": "\n".join(recorded.attendees) if recorded else "",
            "decisions": "\n".join(recorded.decisions) if recorded else "",
            "notes": recorded.notes if recorded else "",
            "meeting_at": _local_field(recorded.meeting_at if recorded else None),
        }
    context = {
        "here": here,
        "unit": unit,
        "name": names[unit],
        "month": period,
        "previous": _url(here, unit, str(period.minus(1))),
        "next": _url(here, unit, str(period + 1)),
        "agenda": review_service.monthly_agenda(found, unit=unit, period=period),
        "recorded": recorded,
        "people": _people(found),
        "names": names_of(found),
        "form": form,
        "problem": problem,
        "writer": policy.may(here.role, Act.WORK, theirs=True),
        "action": _url(here, unit, str(period)),
    }
    return render(request, "review.html", context, status)


def _local_field(moment: datetime | None) -> str:
    """A UTC time as a datetime-local field holds it (the form says it is UTC)."""
    return "" if moment is None else f"{moment:%Y-%m-%dT%H:%M}"


def _chosen_month(here: Here, typed: str | None) -> Month:
    """The month typed, when it is one; else the month before the as-of day's."""
    try:
        return Month.parse((typed or "").strip())
    except ValueError:
        return Month.of_date(here.as_of).minus(1)


def _objectives(found: Analysed) -> dict[str, Objective]:
    return found.derived("review.objectives", lambda _: {o.id: o for o in found.plan.objectives})


def _unit_names(found: Analysed) -> dict[str, str]:
    return found.derived("review.unit_names", lambda _: {u.id: u.name for u in found.plan.units})


def _people(found: Analysed) -> dict[str, str]:
    return found.derived("review.people", lambda _: {p.id: p.name for p in found.plan.people})


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as error:
        raise InvalidInput(f"month: {error}") from None


def _url(here: Here, unit: str, month: str) -> str:
    return f"/orgs/{here.org.slug}/reviews/monthly/{quote(unit, safe='')}/{month}{here.query()}"


def _says(error: HoshinError) -> str:
    if isinstance(error.detail, list):
        reasons = [
            f"{i.get('field')}: {i.get('reason')}" for i in error.detail if isinstance(i, dict)
        ]
        if reasons:
            return f"{error.message}: {'; '.join(reasons)}"
    return error.message
