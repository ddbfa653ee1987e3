"""The backward plan: each objective's action chain from its deadline back to today.

The index lists the objectives that actions serve, late ones first; an objective's page
draws its chain as a timeline (the engine's dates, never recomputed here) with a small form
per action: a new duration or ``requires`` is saved through the action service and the
timeline is answered again (htmx swaps it in place; without JavaScript, a redirect).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from hoshin.domain.analysis import Analysis
from hoshin.domain.model import Action, Objective, Plan
from hoshin.domain.schedule import ActionDates, ObjectiveSchedule, remaining_days
from hoshin.errors import HoshinError, InvalidInput, NotFound, PreconditionFailed
from hoshin.runtime.sessions import Session
from hoshin.service import policy
from hoshin.service.action import action_version, update_action
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web import timeline
from hoshin.web.deps import Db, Here, Place
from hoshin.web.forms import Form
from hoshin.web.names import Names, names_of
from hoshin.web.outcome import attempt
from hoshin.web.references import Reference, resolve_names
from hoshin.web.render import render

router = APIRouter()
PAGE = 50  # objectives per page of the index
CHAIN_LIMIT = 60  # actions drawn on one timeline; a longer chain says how many are left out
CHOICES = 40  # actions offered as requirements of one action (besides those it requires)
# The unit and owner filters are pickers at every size of plan (names shown, ids sent); a
# name typed without the picker's script is resolved as in the plan's forms.
NAMED = {"unit": Reference("units"), "owner": Reference("people")}
LEVELS = ("breakthrough", "annual", "team", "individual")


class Chains(NamedTuple):
    """What the backward pages look up, built once per analysis (``Analysed.derived``)."""

    actions: dict[str, Action]
    objectives: dict[str, Objective]
    serving: dict[str, list[str]]  # objective id -> the actions that serve it, in plan order
    late_first: list[str]  # the objectives with actions: late first, then least slack first
    # late_first cut by filter ("unit", "owner", "level", "late") and value, so that a page
    # of a 52,000-objective plan costs its filter's list, not a pass over every objective.
    groups: dict[tuple[str, str], list[str]]


class Problem(NamedTuple):
    """Why an action's change was refused, with what was typed (kept in the form)."""

    action: str
    field: str | None  # "duration_days", "requires", or None for the whole form
    message: str
    duration: str
    requires: tuple[str, ...]


def chains(found: Analysed) -> Chains:
    """The backward pages' lookups for this analysis (computed once, then shared)."""
    return found.derived("backward.chains", lambda analysis: _build(found.plan, analysis))


def _build(plan: Plan, analysis: Analysis) -> Chains:
    serving: dict[str, list[str]] = {}
    for action in plan.actions:
        for served in action.serves:
            serving.setdefault(served, []).append(action.id)
    ordered = [o.id for o in plan.objectives if o.id in serving]  # stable sort keeps plan order
    slack = [least_slack(analysis.schedules[key], analysis.actions) for key in ordered]
    rank = {key: math.inf if s is None else float(s) for key, s in zip(ordered, slack, strict=True)}
    ordered.sort(key=rank.__getitem__)
    objectives = {o.id: o for o in plan.objectives}
    groups: dict[tuple[str, str], list[str]] = {}
    for key in ordered:
        objective = objectives[key]
        for name, value in FILTERS:
            found = value(objective, analysis.schedules[key])
            if found:
                groups.setdefault((name, found), []).append(key)
    return Chains({a.id: a for a in plan.actions}, objectives, serving, ordered, groups)


FILTERS: tuple[tuple[str, Callable[[Objective, ObjectiveSchedule], str | None]], ...] = (
    ("unit", lambda objective, _: objective.unit),
    ("owner", lambda objective, _: objective.owner),
    ("level", lambda objective, _: objective.level),
    ("late", lambda _, schedule: None if schedule.feasible else "1"),
)


def filtered(found_chains: Chains, filters: dict[str, str]) -> list[str]:
    """The objectives that pass every filter given (name -> value), in late_first order."""
    wanted = [(name, value) for name, value in filters.items() if value]
    if not wanted:
        return found_chains.late_first
    lists = sorted((found_chains.groups.get(pair, []) for pair in wanted), key=len)
    others = [set(other) for other in lists[1:]]
    return [key for key in lists[0] if all(key in other for other in others)]


def least_slack(schedule: ObjectiveSchedule, dates: Mapping[str, ActionDates]) -> int | None:
    """The slack of the objective's critical actions (negative: days late); None if none."""
    return dates[schedule.critical[0]].slack_days if schedule.critical else None


@router.get("/orgs/{org}/backward", response_class=HTMLResponse)
def backward_index(
    request: Request,
    session: Db,
    here: Place,
    unit: str = "",
    owner: str = "",
    level: str = "",
    late: str = "",
    page: int = Query(1, ge=1),
) -> Response:
    """The objectives that actions serve, with their schedules, late ones first; filtered
    by unit, owner, level and "late only", a page at a time."""
    found = here.analysed(session)
    found_chains = chains(found)
    named, problems = _named(session, here, unit=unit, owner=owner)
    filters = {**named, "level": level, "late": "1" if late else ""}
    picked = filtered(found_chains, filters)
    names = names_of(found)
    pages = max(1, -(-len(picked) // PAGE))
    page = min(page, pages)
    shown = picked[(page - 1) * PAGE : page * PAGE]
    context = {
        "here": here,
        "rows": [_index_row(found, found_chains, key, names) for key in shown],
        "total": len(picked),
        "page": page,
        "pages": pages,
        "filters": filters,
        "page_link": lambda number: _page_link(here, filters, number),
        "names": names,
        "problems": problems,
        "levels": LEVELS,
    }
    return render(request, "backward.html", context)


def _named(
    session: Session, here: Here, *, unit: str, owner: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The unit and owner filters as ids (each typed as an id or an exact name; a picker
    sends the id), and the problem of a name several share, by filter."""
    form = Form({"unit": unit.strip(), "owner": owner.strip()})
    resolve_names(session, here, form, NAMED)
    problems = {name: reasons[0] for name, reasons in form.problems.items()}
    return {name: form.value(name) for name in NAMED}, problems


def _index_row(found: Analysed, found_chains: Chains, key: str, names: Names) -> dict[str, Any]:
    objective = found_chains.objectives[key]
    schedule = found.analysis.schedules[key]
    return {
        "objective": objective,
        "schedule": schedule,
        "slack": least_slack(schedule, found.analysis.actions),
        "deadline": None if objective.end is None else objective.end.last_day(),
        "owner": names.person(objective.owner),
        "actions": len(found_chains.serving[key]),
    }


def _page_link(here: Here, filters: dict[str, str], number: int) -> str:
    query = {name: value for name, value in filters.items() if value}
    if here.query():
        query["as_of"] = here.as_of.isoformat()
    query["page"] = str(number)
    return f"/orgs/{here.org.slug}/backward?{urlencode(query)}"


@router.get("/orgs/{org}/backward/{objective}", response_class=HTMLResponse)
def backward_timeline(request: Request, session: Db, here: Place, objective: str) -> Response:
    """The timeline of an objective's action chain from its deadline back to the as-of day:
    latest and earliest windows, slack, critical actions, days late; a form per action."""
    context = timeline_context(session, here, objective)
    return render(request, "backward_objective.html", context)


@router.post("/orgs/{org}/backward/{objective}/actions/{action}", response_class=HTMLResponse)
async def change_action(
    request: Request, session: Db, here: Place, objective: str, action: str
) -> Response:
    """Saves an action's duration and ``requires``; htmx gets the timeline again, a plain
    form post a redirect to it (or the page with the problem next to the field)."""
    form = await request.form()
    problem = _change(session, here, action, form)
    htmx = request.headers.get("HX-Request") == "true"
    if problem is None and not htmx:
        url = f"/orgs/{here.org.slug}/backward/{objective}{here.query()}"
        return RedirectResponse(url, status_code=303)
    saved = action if problem is None else None
    context = timeline_context(session, here, objective, problem=problem, saved=saved)
    if htmx:  # 200 even for a refusal: htmx swaps only successful answers in
        return render(request, "backward_timeline.html", {**context, "oob": True})
    return render(request, "backward_objective.html", context, status=422)


def _change(session: Session, here: Here, key: str, form: FormData) -> Problem | None:
    """Updates the action as the form says; the problem in words when it cannot be."""
    current = chains(here.analysed(session)).actions.get(key)
    if current is None:
        raise NotFound(f"no action '{key}'")
    typed = str(form.get("duration_days", "")).strip()
    requires = tuple(dict.fromkeys(str(value) for value in form.getlist("requires")))
    version = str(form.get("version", "")).strip()
    refused = _refusal(key, typed, requires)
    if not typed.isdigit() and typed:
        return refused("duration_days", f"'{typed}' is not a whole number of days")
    duration = int(typed) if typed else None
    changed = dataclasses.replace(current, duration_days=duration, requires=requires)
    outcome = attempt(
        session, update_action, session, change=here.change(version), asker=here.asker,
        action=changed,
    )  # fmt: skip
    if isinstance(outcome, PreconditionFailed):
        return refused(None, f"action {key} was changed meanwhile: reload to see it")
    if isinstance(outcome, InvalidInput):
        return _invalid(refused, outcome)
    if isinstance(outcome, HoshinError):
        return refused(None, outcome.message)
    session.commit()  # the timeline answered next shows the analysis with the change
    return None


Refuse = Callable[[str | None, str], Problem]


def _refusal(key: str, typed: str, requires: tuple[str, ...]) -> Refuse:
    def refused(field: str | None, message: str) -> Problem:
        return Problem(key, field, message, typed, requires)

    return refused


def _invalid(refused: Refuse, error: InvalidInput) -> Problem:
    """The first field the rules name, with every reason given for it."""
    items = error.detail if isinstance(error.detail, list) else []
    fields = [str(item.get("field", "")).split(".")[0] for item in items]
    field = next((f for f in fields if f in ("duration_days", "requires")), None)
    reasons = [str(i.get("reason")) for i, f in zip(items, fields, strict=True) if f == field]
    return refused(field, "; ".join(reasons) if reasons else error.message)


def timeline_context(
    session: Session,
    here: Here,
    key: str,
    *,
    problem: Problem | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """What backward_timeline.html shows for objective ``key``."""
    found = here.analysed(session)
    found_chains = chains(found)
    objective = found_chains.objectives.get(key)
    if objective is None:
        raise NotFound(f"no objective '{key}'")
    schedule = found.analysis.schedules[key]
    ids = chain(found_chains, key)
    dates = found.analysis.actions
    shown = sorted(ids, key=lambda k: _order(found_chains.actions[k], dates[k]))[:CHAIN_LIMIT]
    deadline = None if objective.end is None else objective.end.last_day()
    axis = timeline.axis(_days(here.as_of, deadline, (dates[k] for k in shown)))
    editable = policy.may(here.role, Act.WORK, theirs=True)  # the service checks which
    names = names_of(found)
    sheet = Sheet(session, here, found_chains, names, dates, schedule, axis, ids, editable)
    rows = [_timeline_row(sheet, k) for k in shown]
    return {
        "here": here,
        "objective": objective,
        "schedule": schedule,
        "slack": least_slack(schedule, dates),
        "deadline": deadline,
        "axis": axis,
        "ticks": timeline.ticks(axis),
        "today": axis.left(here.as_of),
        "deadline_at": None if deadline is None else axis.end(deadline),
        "rows": rows,
        "total": len(ids),
        "editable": editable,
        "problem": problem,
        "saved": saved if problem is None else None,
        "names": names,
    }


def chain(found_chains: Chains, key: str) -> list[str]:
    """The actions that serve objective ``key`` and, recursively, those they require."""
    seen: dict[str, None] = {}
    stack = list(reversed(found_chains.serving.get(key, [])))
    while stack:
        action = stack.pop()
        if action in seen or action not in found_chains.actions:
            continue
        seen[action] = None
        stack.extend(reversed(found_chains.actions[action].requires))
    return list(seen)


def _order(action: Action, dates: ActionDates) -> tuple[int, date, date, str]:
    """Scheduled actions by earliest then latest start; then unscheduled ones; done last."""
    rank = 2 if action.done else 0 if dates.earliest_start is not None else 1
    return (rank, dates.earliest_start or date.max, dates.latest_start or date.max, action.id)


def _days(as_of: date, deadline: date | None, windows: Iterable[ActionDates]) -> list[date | None]:
    days: list[date | None] = [as_of, deadline]
    for window in windows:
        days += [window.earliest_start, window.earliest_finish]
        days += [window.latest_start, window.latest_finish]
    return days


class Sheet(NamedTuple):
    """What every row of one timeline is drawn from."""

    session: Session
    here: Here
    chains: Chains
    names: Names
    dates: Mapping[str, ActionDates]
    schedule: ObjectiveSchedule
    axis: timeline.Axis
    ids: list[str]
    editable: bool


def _timeline_row(sheet: Sheet, key: str) -> dict[str, Any]:
    action, dates, axis = sheet.chains.actions[key], sheet.dates[key], sheet.axis
    latest = earliest = None
    if dates.latest_start is not None and dates.latest_finish is not None:
        latest = axis.bar(dates.latest_start, dates.latest_finish)
    if dates.earliest_start is not None and dates.earliest_finish is not None:
        earliest = axis.bar(dates.earliest_start, dates.earliest_finish)
    form = sheet.editable and not action.done
    # The form names the version it was drawn from, so that a stale one is refused.
    version = action_version(sheet.session, org=sheet.here.org, key=key) if form else None
    return {
        "action": action,
        "dates": dates,
        "remaining": None if action.done else remaining_days(action),
        "critical": key in sheet.schedule.critical,
        "latest": latest,
        "earliest": earliest,
        "owner": sheet.names.person(action.owner),
        "version": version,
        "choices": _choices(sheet.chains, action, sheet.ids) if form else [],
        "form": form,
    }


def _choices(found_chains: Chains, action: Action, ids: list[str]) -> list[Action]:
    """What ``action`` may require here: what it requires, the chain's other actions and the
    other actions that serve the objectives it serves (at most CHOICES beyond its own)."""
    offered = [k for k in ids if k != action.id and k not in action.requires]
    for served in action.serves:
        offered += found_chains.serving.get(served, [])
    unique = [k for k in dict.fromkeys(offered) if k != action.id and k not in action.requires]
    keys = [k for k in action.requires if k in found_chains.actions] + unique[:CHOICES]
    return [found_chains.actions[k] for k in keys]
