"""Countermeasures and the objective page's "add" forms: a countermeasure's page (its form
to move it on: in progress, closed with its effect), saving it from wherever it was opened
(the objective page, the monthly review), and adding a metric, an action or a
countermeasure to an objective in place. With htmx a form answers inside its box (the
same page, its box selected); without, a save redirects back and a refusal shows the page
again with the problems at their fields."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.model import Objective
from hoshin.errors import Forbidden, NotFound
from hoshin.runtime.sessions import Session
from hoshin.service import action as action_service
from hoshin.service import countermeasure as service
from hoshin.service import metric as metric_service
from hoshin.service import policy, search
from hoshin.service.policy import Act
from hoshin.web import objective_forms as forms
from hoshin.web.deps import Db, Here, Place
from hoshin.web.edit_base import attempt, require_editor, submitted
from hoshin.web.edit_values import shown
from hoshin.web.forms import Form, Reader
from hoshin.web.names import names_of
from hoshin.web.pages import objective_context
from hoshin.web.references import Reference, resolve_names
from hoshin.web.render import render

router = APIRouter()
Back = Annotated[str | None, Query(max_length=2000)]
OWNER = {"owner": Reference("people")}
SECTIONS = {"metric": "metrics", "action": "actions", "countermeasure": "countermeasures"}


def _back(here: Here, typed: str | None, default: str) -> str:
    """Where to go after saving: a page of this organisation, else ``default``."""
    prefix = f"/orgs/{here.org.slug}/"
    if typed and typed.startswith(prefix) and "//" not in typed and "\\" not in typed:
        return typed
    return default


def _require_worker(here: Here) -> None:
    """Forbidden for a viewer, before a form is read; the service checks whose it is."""
    if not policy.may(here.role, Act.WORK, theirs=True):
        raise Forbidden(
            f"Only contributors, editors and admins answer metrics with countermeasures in "
            f"{here.org.name}; you are a {here.role} here."
        )


def _htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


@router.get("/orgs/{org}/countermeasures/{key}", response_class=HTMLResponse)
def countermeasure_page(
    request: Request, session: Db, here: Place, key: str, back: Back = None
) -> Response:
    """A countermeasure with its form open (htmx takes the form's box into the page that
    asked)."""
    state = service.read_countermeasure(session, org=here.org, key=key)
    form = Form(forms.measure_values(state), shown(state.get("version")))
    return _measure_page(request, session, here, key, form, back, 200)


@router.post("/orgs/{org}/countermeasures/{key}", response_class=HTMLResponse)
async def save_countermeasure(request: Request, session: Db, here: Place, key: str) -> Response:
    """Saves the countermeasure at the version read, then goes back to the page it was
    opened from; refused, its form again with the reasons."""
    _require_worker(here)
    form = Form(await submitted(request))
    form.version = form.value("version")
    back = form.value("back")
    resolve_names(session, here, form, OWNER)
    read = Reader(form.values)
    measure = forms.measure_of(read, key, {form.value("metric"): ""})
    change = here.change(form.version)
    if not read.problems and not form.problems and attempt(
        session, form,
        lambda: service.update_countermeasure(session, change=change, asker=here.asker,
                                              measure=measure),
        forms.measure_values,
    ):  # fmt: skip
        default = f"/orgs/{here.org.slug}/countermeasures/{key}"
        return RedirectResponse(_back(here, back, default), status_code=303)
    for name, reasons in read.problems.items():
        for reason in reasons:
            form.add(name, reason)
    return _measure_page(request, session, here, key, form, back, 200 if _htmx(request) else 422)


def _measure_page(
    request: Request, session: Session, here: Here, key: str, form: Form, back: str | None,
    status: int,
) -> Response:  # fmt: skip
    found = here.analysed(session)
    measure = next((c for c in found.plan.countermeasures if c.id == key), None)
    if measure is None:  # deleted meanwhile: the service's read says so
        service.read_countermeasure(session, org=here.org, key=key)
        raise AssertionError("unreachable")
    owner = next(
        ((o, m) for o in found.plan.objectives for m in o.metrics if m.id == measure.metric),
        None,
    )
    objective = owner[0].id if owner else ""
    default = f"/orgs/{here.org.slug}/objectives/{objective}{here.query()}#countermeasures"
    writer = policy.may(here.role, Act.WORK, theirs=True)  # a viewer reads it, no form
    context = {
        "here": here, "cm": measure, "form": form if writer else None, "names": names_of(found),
        "back": _back(here, back, default), "objective": objective,
        "metric_name": owner[1].name if owner else measure.metric,
    }  # fmt: skip
    return render(request, "countermeasure.html", context, status)


@router.post("/orgs/{org}/objectives/{key}/add/{kind}", response_class=HTMLResponse)
async def add(request: Request, session: Db, here: Place, key: str, kind: str) -> Response:
    """Adds a metric, an action (it serves the objective) or a countermeasure (for one of
    its metrics) to the objective; then its page, the new entry in its section."""
    if kind not in forms.ADDS:
        return Response(status_code=404)
    if kind != "countermeasure":
        require_editor(here)
    _require_worker(here)
    found = here.analysed(session)
    objective = next((o for o in found.plan.objectives if o.id == key), None)
    if objective is None:
        raise NotFound(f"no objective '{key}'")
    form = Form(await submitted(request))
    resolve_names(session, here, form, OWNER)  # a metric's owner too
    read, work = _adding(session, here, objective, kind, form)
    if not read.problems and not form.problems and attempt(session, form, work, dict):
        section = SECTIONS[kind]
        url = f"/orgs/{here.org.slug}/objectives/{key}{here.query()}#{section}"
        return RedirectResponse(url, status_code=303)
    for name, reasons in read.problems.items():
        for reason in reasons:
            form.add(name, reason)
    context = objective_context(session, here, key)
    context.update(adding=kind, add_form=form, **forms.choices(objective))
    return render(request, "objective.html", context, 200 if _htmx(request) else 422)


def _adding(
    session: Session, here: Here, objective: Objective, kind: str, form: Form
) -> tuple[Reader, Any]:
    """The form read, and the service call that adds what it says."""
    org, change = here.org, here.change("")
    if kind == "metric":
        if not form.value("id").strip() and form.value("name").strip():
            form.values["id"] = search.new_key(session, org=org, title=form.value("name"),
                                               fallback="metric")  # fmt: skip
        read, metric = forms.new_metric(form)
        return read, lambda: metric_service.create_metric(
            session, change=change, role=here.role, objective=objective.id, metric=metric
        )
    if kind == "action":
        if not form.value("id").strip() and form.value("title").strip():
            form.values["id"] = search.new_key(session, org=org, title=form.value("title"),
                                               fallback="action")  # fmt: skip
        read, action = forms.new_action(form, objective.id)
        return read, lambda: action_service.create_action(
            session, change=change, asker=here.asker, action=action
        )
    read = Reader(form.values)
    metrics = {m.id: m.name for m in objective.metrics}
    draft = forms.measure_of(read, "", metrics)
    if read.problems:
        return read, lambda: None
    made = service.new_countermeasure_key(session, org=org, metric=draft.metric,
                                          period=draft.period)  # fmt: skip
    measure = replace(draft, id=made)
    return read, lambda: service.create_countermeasure(
        session, change=change, asker=here.asker, measure=measure
    )
