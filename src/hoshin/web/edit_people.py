"""Editing the vision (with its values, one a line), units and people."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.model import Person, Unit
from hoshin.service import unit as unit_service
from hoshin.web.deps import Db, Place
from hoshin.web.edit_base import (
    Editable,
    attempt,
    plan_url,
    register,
    require_editor,
    submitted,
)
from hoshin.web.edit_values import shown, values_of
from hoshin.web.edit_values import vision_values as vision_text
from hoshin.web.forms import Form, Reader, person_of, unit_of, vision_of
from hoshin.web.references import Reference
from hoshin.web.render import render

router = APIRouter()

UNITS: Editable[Unit] = Editable(
    kind="unit", plural="units", template="edit_unit.html", parse=unit_of,
    values=lambda state: values_of(state, ("id", "name", "parent", "lead")),
    read=lambda session, here, key: unit_service.read_unit(session, org=here.org, key=key),
    create=lambda session, change, here, unit, _parent: unit_service.create_unit(
        session, change=change, role=here.role, unit=unit
    ),
    update=lambda session, change, here, unit: unit_service.update_unit(
        session, change=change, role=here.role, unit=unit
    ),
    delete=lambda session, change, here, key: unit_service.delete_unit(
        session, change=change, role=here.role, key=key
    ),
    refs={"parent": Reference("units"), "lead": Reference("people")}, titled="name",
)  # fmt: skip
PEOPLE: Editable[Person] = Editable(
    kind="person", plural="people", template="edit_person.html", parse=person_of,
    values=lambda state: values_of(state, ("id", "name", "unit", "email")),
    read=lambda session, here, key: unit_service.read_person(session, org=here.org, key=key),
    create=lambda session, change, here, person, _parent: unit_service.create_person(
        session, change=change, role=here.role, person=person
    ),
    update=lambda session, change, here, person: unit_service.update_person(
        session, change=change, role=here.role, person=person
    ),
    delete=lambda session, change, here, key: unit_service.delete_person(
        session, change=change, role=here.role, key=key
    ),
    refs={"unit": Reference("units")}, titled="name",
)  # fmt: skip


@router.get("/orgs/{org}/plan/vision", response_class=HTMLResponse)
def vision_form(request: Request, here: Place) -> Response:
    """The vision's form: statement, purpose, horizon, values one a line."""
    require_editor(here)
    state = unit_service.read_vision(here.org)
    form = Form(vision_text(state), shown(state["version"]))
    if request.query_params.get("saved"):
        form.notice = "Saved."
    return _vision_page(request, here, form)


@router.post("/orgs/{org}/plan/vision", response_class=HTMLResponse)
async def save_vision(request: Request, session: Db, here: Place) -> Response:
    """Saves the vision at the version read; the form again with the problems otherwise."""
    require_editor(here)
    form = Form(await submitted(request))
    form.version = form.values.get("version", "")
    read = Reader(form.values)
    vision = vision_of(read)
    change = here.change(form.version)
    if not read.problems and attempt(
        session, form,
        lambda: unit_service.update_vision(
            session, change=change, role=here.role, vision=vision
        ), vision_text,
    ):  # fmt: skip
        return RedirectResponse(f"{plan_url(here, 'vision')}?saved=1", status_code=303)
    for name, reasons in read.problems.items():
        for reason in reasons:
            form.add(name, reason)
    return _vision_page(request, here, form, 422 if form.problems else 409)


def _vision_page(request: Request, here: Place, form: Form, status: int = 200) -> Response:
    context = {"here": here, "form": form, "action": plan_url(here, "vision"),
               "index": plan_url(here)}  # fmt: skip
    return render(request, "edit_vision.html", context, status)


register(router, UNITS)
register(router, PEOPLE)
