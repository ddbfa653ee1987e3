"""The guided start of a new organisation: vision and horizon, breakthrough objectives with
their metrics and backward-planned targets, annual objectives, units and people, then
inviting members. Each step saves through the plan's services and shows the engine's
findings that still apply; the step shown follows from what the plan holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.annual import fiscal_year_of
from hoshin.domain.guide import (
    FINDINGS,
    MOST,
    STEPS,
    Step,
    current_step,
    first_months,
    measured_breakthroughs,
    steps_done,
    year_targets,
)
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.runtime.sessions import Session
from hoshin.service import metric as metric_service
from hoshin.service import objective as objective_service
from hoshin.service import policy
from hoshin.service import unit as unit_service
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web.deps import Db, Here, Place
from hoshin.web.edit_base import attempt, require_editor, submitted
from hoshin.web.edit_values import shown
from hoshin.web.forms import TRAJECTORIES, Form, Reader, vision_of
from hoshin.web.render import render
from hoshin.web.start_forms import (
    COURSES,
    Measured,
    annual_of,
    breakthrough_of,
    person_of_start,
    preview_metric,
    taken_ids,
    unit_of_start,
)

router = APIRouter()
NAMES: dict[Step, str] = {
    "vision": "Vision and horizon", "breakthrough": "Breakthrough objectives",
    "annual": "Annual objectives", "people": "Units and people", "invite": "Invite members",
}  # fmt: skip


def start_url(here: Here, step: str | None = None, **params: str) -> str:
    """The guided start's page (at ``step``; default: the first the plan has not done)."""
    query = {"step": step, **params} if step else dict(params)
    if here.query():
        query["as_of"] = here.as_of.isoformat()
    suffix = f"?{urlencode(query)}" if query else ""
    return f"/orgs/{here.org.slug}/start{suffix}"


@router.get("/orgs/{org}/start", response_class=HTMLResponse)
def start_page(
    request: Request, session: Db, here: Place, step: str | None = None, saved: str | None = None
) -> Response:
    """The step asked for, or the first the plan has not done; members who do not edit the
    plan are told that it is being set up."""
    found = here.analysed(session)
    if not policy.may(here.role, Act.EDIT_PLAN):
        return render(request, "start_waiting.html", {"here": here, "plan": found.plan})
    chosen: Step = step if step in STEPS else _first_open(found)
    form = Form(_blank(here, found, chosen))
    if saved:
        form.notice = f"Saved {saved}."
    return _show(request, here, found, chosen, form)


@router.post("/orgs/{org}/start/vision", response_class=HTMLResponse)
async def save_vision(request: Request, session: Db, here: Place) -> Response:
    """Saves the vision and horizon; then the next step the plan has not done."""
    require_editor(here)
    form = Form(await submitted(request))
    read = Reader(form.values)
    vision = vision_of(read)
    for name in ("statement", "horizon"):
        if not form.values.get(name, "").strip() and name not in read.problems:
            read.note(name, "required")
    change = here.change(form.values.get("version", ""))

    def work() -> object:
        return unit_service.update_vision(session, change=change, role=here.role, vision=vision)

    return _save(request, session, here, "vision", form, read, work, done="the vision")


@router.post("/orgs/{org}/start/breakthrough", response_class=HTMLResponse)
async def save_breakthrough(request: Request, session: Db, here: Place) -> Response:
    """Creates a breakthrough objective with its metric (or, for "Show the targets", shows
    the backward plan of the metric typed without saving)."""
    require_editor(here)
    found = here.analysed(session)
    form = Form(await submitted(request))
    read = Reader(form.values)
    if form.values.get("preview"):
        return _show(request, here, found, "breakthrough", form, preview=_preview(here, read))
    made = breakthrough_of(read, today=here.as_of, taken=taken_ids(found.plan))
    return _save(request, session, here, "breakthrough", form, read,
                 _creates(session, here, made), done=made.objective.id)  # fmt: skip


@router.post("/orgs/{org}/start/targets", response_class=HTMLResponse)
async def targets(request: Request, here: Place) -> Response:
    """The backward plan of the metric typed so far (htmx, as the fields change)."""
    require_editor(here)
    read = Reader(await submitted(request))
    context = {"here": here, "preview": _preview(here, read)}
    return render(request, "start_targets.html", context)


@router.post("/orgs/{org}/start/annual", response_class=HTMLResponse)
async def save_annual(request: Request, session: Db, here: Place) -> Response:
    """Creates an annual objective supporting a breakthrough, with its metric."""
    require_editor(here)
    found = here.analysed(session)
    form = Form(await submitted(request))
    read = Reader(form.values)
    made = annual_of(read, today=here.as_of, fiscal_start=here.org.fiscal_year_start,
                     plan=found.plan)  # fmt: skip
    return _save(request, session, here, "annual", form, read, _creates(session, here, made),
                 done=made.objective.id)  # fmt: skip


@router.post("/orgs/{org}/start/unit", response_class=HTMLResponse)
async def save_unit(request: Request, session: Db, here: Place) -> Response:
    """Creates a unit."""
    require_editor(here)
    form = Form(await submitted(request))
    read = Reader(form.values)
    unit = unit_of_start(read, here.analysed(session).plan)

    def work() -> object:
        return unit_service.create_unit(session, change=here.change(), role=here.role, unit=unit)

    return _save(request, session, here, "people", form, read, work, done=unit.name)


@router.post("/orgs/{org}/start/person", response_class=HTMLResponse)
async def save_person(request: Request, session: Db, here: Place) -> Response:
    """Creates a person in a unit."""
    require_editor(here)
    form = Form(await submitted(request))
    read = Reader(form.values)
    person = person_of_start(read, here.analysed(session).plan)

    def work() -> object:
        return unit_service.create_person(
            session, change=here.change(), role=here.role, person=person
        )

    return _save(request, session, here, "people", form, read, work, done=person.name)


def _creates(session: Session, here: Here, made: Measured) -> Callable[[], object]:
    """Creates the objective and then its metric, in one transaction."""

    def work() -> object:
        change = here.change()
        objective_service.create_objective(
            session, change=change, role=here.role, objective=made.objective
        )
        return metric_service.create_metric(
            session, change=change, role=here.role, objective=made.objective.id,
            metric=made.metric,
        )  # fmt: skip

    return work


def _save(
    request: Request,
    session: Session,
    here: Here,
    step: Step,
    form: Form,
    read: Reader,
    work: Callable[[], object],
    *,
    done: str,
) -> Response:
    """Saves through ``work`` unless the form has problems; then the same step while it
    asks for more, else the first step the plan has not done; or the form again."""
    if not read.problems and attempt(session, form, work, lambda _state: {}):
        plan = here.analysed(session).plan
        # a step that adds one thing at a time stays open until it has enough
        again = step in ("breakthrough", "annual", "people") and not steps_done(plan)[step]
        following = step if again else current_step(plan)
        return RedirectResponse(start_url(here, following, saved=done), status_code=303)
    for name, reasons in read.problems.items():
        for reason in reasons:
            form.add(name, reason)
    status = 422 if form.problems else 409
    return _show(request, here, here.analysed(session), step, form, status=status)


def resume_url(here: Here, found: Analysed) -> str | None:
    """The guided start's page for an editor while the plan lacks a vision, a measured
    breakthrough objective, an annual objective for each, or units and people (true north
    links it, so a start left half-way is found again); else None. Fewer than three
    breakthrough objectives is advice, not a reason to keep asking."""
    if not policy.may(here.role, Act.EDIT_PLAN):
        return None
    done = {**_done(found), "breakthrough": measured_breakthroughs(found.plan) > 0}
    return None if all(done[s] for s in STEPS[:-1]) else start_url(here)


def _done(found: Analysed) -> dict[Step, bool]:
    """Which steps the plan has done, worked out once per analysis (a large plan's pages
    must not walk every objective on each request)."""
    return found.derived("guide.done", lambda _: steps_done(found.plan))


def _first_open(found: Analysed) -> Step:
    """The first step the plan has not done (inviting members when all are)."""
    done = _done(found)
    return next((s for s in STEPS if not done[s]), "invite")


def _blank(here: Here, found: Analysed, step: Step) -> dict[str, str]:
    """A step's form as it opens: the vision as saved; the choices' defaults."""
    if step == "vision":
        vision = found.plan.vision
        return {
            "statement": vision.statement, "purpose": vision.purpose,
            "horizon": shown(vision.horizon), "values": "\n".join(vision.values),
            "version": str(here.org.version),
        }  # fmt: skip
    if step == "annual":
        last = fiscal_year_of(here.as_of, here.org.fiscal_year_start).last
        return {"target_period": str(last), "direction": "increase"}
    return {"direction": "increase", "trajectory": "linear"}


def _preview(here: Here, read: Reader) -> dict[str, Any] | None:
    metric = preview_metric(read, today=here.as_of)
    return None if metric is None else _targets_of(metric)


def _targets_of(metric: Metric) -> dict[str, Any]:
    """What the targets table shows of a metric's backward plan."""
    return {"metric": metric, "years": year_targets(metric), "months": first_months(metric)}


def _show(
    request: Request,
    here: Here,
    found: Analysed,
    step: Step,
    form: Form,
    *,
    status: int = 200,
    preview: dict[str, Any] | None = None,
    assist: dict[str, Any] | None = None,
) -> Response:
    plan = found.plan
    done = _done(found)
    breakthroughs = [o for o in plan.objectives if o.level == "breakthrough"]
    context = {
        "here": here, "step": step, "form": form, "plan": plan, "names": NAMES,
        "steps": [(s, NAMES[s], done[s], start_url(here, s)) for s in STEPS],
        "findings": found.derived(f"guide.findings.{step}", lambda a: [
            f for f in a.findings if f.severity == "warning" and f.code in FINDINGS[step]
        ]),
        "breakthroughs": [(o, [_targets_of(m) for m in o.metrics if m.direction != "maintain"])
                          for o in breakthroughs],
        "annuals": [o for o in plan.objectives if o.level == "annual"],
        "titles": {o.id: o.title for o in breakthroughs},
        "measured": measured_breakthroughs(plan), "most": MOST,
        "preview": preview, "courses": COURSES, "trajectories": TRAJECTORIES,
        "this_month": Month.of_date(here.as_of),
        "may_invite": policy.may(here.role, Act.MANAGE_MEMBERS),
        "next": STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else None,
        "url": lambda s: start_url(here, s), **(assist or {}),
    }  # fmt: skip
    return render(request, "start.html", context, status)


def show_drafted(
    request: Request,
    here: Here,
    found: Analysed,
    step: Step,
    form: Form,
    assist: dict[str, Any],
    *,
    status: int = 200,
) -> Response:
    """A step's form as the assistant's draft filled it (web/assist_drafts.py), not saved;
    a breakthrough's targets shown as "Show the targets" shows them."""
    preview = _preview(here, Reader(form.values)) if step == "breakthrough" else None
    return _show(request, here, found, step, form, status=status, preview=preview, assist=assist)
