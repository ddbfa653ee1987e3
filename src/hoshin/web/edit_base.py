"""What every plan-editing form shares: editors only, the version read sent back as
If-Match, the service's problems shown at their fields, and a save that commits before it
redirects. One ``Editable`` per kind of entity gives its new, edit and delete routes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.errors import Forbidden, HoshinError, InvalidInput, PreconditionFailed
from hoshin.runtime.sessions import Session
from hoshin.service import policy
from hoshin.service.policy import Act
from hoshin.service.versioned import Change
from hoshin.web import outcome
from hoshin.web.deps import Db, Here, Place
from hoshin.web.edit_values import differences, shown
from hoshin.web.forms import Form, Reader, label
from hoshin.web.references import References, fill_new_id, picked, resolve_names
from hoshin.web.render import render

E = TypeVar("E")
State = dict[str, Any]
STALE = (
    "Changed by someone else meanwhile. What is saved now is listed here; what you typed "
    "is still in the form. Save again to replace the saved values with yours."
)

DELETE_STALE = (
    "Changed by someone else meanwhile: here is what is saved now. Delete again if you still "
    "mean to."
)


def require_editor(here: Here) -> None:
    """Forbidden unless the asker edits the plan (policy: editors and admins), before a form
    is loaded or read; the service checks the same rule again when it saves."""
    if not policy.may(here.role, Act.EDIT_PLAN):
        raise Forbidden(
            f"Only editors and admins can change the plan of {here.org.name}; "
            f"you are a {here.role} here. Ask an admin if you need to."
        )


def plan_url(here: Here, *parts: str) -> str:
    """The URL of a plan-editing page: ``plan_url(here, "units", "ward-a")``."""
    return "/".join([f"/orgs/{here.org.slug}/plan", *(quote(part, safe="") for part in parts)])


async def submitted(request: Request) -> dict[str, str]:
    """The form's fields as text (a field sent twice: the last one)."""
    data = await request.form()
    return {name: value for name, value in data.multi_items() if isinstance(value, str)}


def attempt(
    session: Session, form: Form, work: Callable[[], object], values: Callable[[State], Any]
) -> bool:
    """Runs the service's change and commits it; False (rolled back) with the reason on
    the form when it is refused: a stale version shows what is saved now."""
    refused = outcome.attempt(session, work)
    if isinstance(refused, PreconditionFailed):
        state: State = refused.detail if isinstance(refused.detail, dict) else {}
        form.stale = [
            (label(name), value) for name, value in differences(form.values, values(state))
        ]
        form.version = shown(state.get("version"))
        form.message = STALE
        return False
    if isinstance(refused, InvalidInput):
        form.add_detail(refused.detail)
        form.message = None if form.problems else refused.message
        return False
    if isinstance(refused, HoshinError):
        form.message = refused.message
        return False
    session.commit()  # the page redirected to reads the analysis with the change
    return True


@dataclass(frozen=True, slots=True)
class Editable(Generic[E]):
    """How one kind of entity is edited: its form, parsing, and the service's calls."""

    kind: str
    plural: str
    template: str
    parse: Callable[[Reader, str | None], E]
    values: Callable[[Mapping[str, Any]], dict[str, str]]
    read: Callable[[Session, Here, str], State]
    create: Callable[[Session, Change, Here, E, str | None], State]
    update: Callable[[Session, Change, Here, E], State]
    delete: Callable[[Session, Change, Here, str], None]
    context: Callable[[Session, Here, Form, str | None, str | None], dict[str, Any]] = field(
        default=lambda _session, _here, _form, _key, _parent: {}
    )
    done: Callable[[Here, str], str] | None = None
    gone: Callable[[Here, str], str] | None = None  # after a delete; default: the plan's index
    blank: Mapping[str, str] = field(default_factory=dict)
    new_path: str | None = None  # default: /plan/<plural>/new
    refs: References = field(default_factory=dict)  # the fields naming other entities
    titled: str = "title"  # the field a new id is made from when the id is left empty

    def url(self, here: Here, key: str) -> str:
        """The entity's form."""
        return plan_url(here, self.plural, key)


def show(
    request: Request,
    session: Db,
    here: Here,
    spec: Editable[Any],
    form: Form,
    *,
    key: str | None,
    parent: str | None = None,
    status: int = 200,
) -> Response:
    """The entity's form page (``key`` None: a new one)."""
    action = spec.url(here, key) if key is not None else _new_url(here, spec, parent)
    context = {
        "here": here, "form": form, "key": key, "parent": parent, "kind": spec.kind,
        "action": action, "index": plan_url(here),
        "delete": None if key is None else f"{spec.url(here, key)}/delete",
        "picked": picked(session, here, form, spec.refs),
        **spec.context(session, here, form, key, parent),
    }  # fmt: skip
    return render(request, spec.template, context, status)


def _new_url(here: Here, spec: Editable[Any], parent: str | None) -> str:
    if spec.new_path is None:
        return plan_url(here, spec.plural, "new")
    return spec.new_path.format(org=here.org.slug, parent=quote(parent or "", safe=""))


def _failed(form: Form) -> int:
    return 422 if form.problems else 409


def register(router: APIRouter, spec: Editable[Any]) -> None:
    """Adds the new, edit and delete routes of ``spec``'s kind to ``router``."""
    new = spec.new_path or f"/orgs/{{org}}/plan/{spec.plural}/new"
    one = f"/orgs/{{org}}/plan/{spec.plural}/{{key}}"

    def new_form(request: Request, session: Db, here: Place) -> Response:
        require_editor(here)
        parent = request.path_params.get("parent")
        return show(request, session, here, spec, Form(dict(spec.blank)), key=None, parent=parent)

    async def create(request: Request, session: Db, here: Place) -> Response:
        require_editor(here)
        parent = request.path_params.get("parent")
        form = Form(await submitted(request))
        resolve_names(session, here, form, spec.refs)
        fill_new_id(session, here, form, titled=spec.titled, kind=spec.kind)
        read = Reader(form.values)
        entity = spec.parse(read, None)
        if not read.problems and not form.problems and attempt(
            session, form, lambda: spec.create(session, here.change(""), here, entity, parent),
            spec.values,
        ):  # fmt: skip
            return _after_save(here, spec, read.fields.get("id", "").strip())
        for name, reasons in read.problems.items():
            for reason in reasons:
                form.add(name, reason)
        return show(request, session, here, spec, form, key=None, parent=parent,
                    status=_failed(form))  # fmt: skip

    def edit_form(request: Request, session: Db, here: Place, key: str) -> Response:
        require_editor(here)
        state = spec.read(session, here, key)
        form = Form(spec.values(state), shown(state.get("version")))
        if request.query_params.get("saved"):
            form.notice = "Saved."
        return show(request, session, here, spec, form, key=key)

    async def update(request: Request, session: Db, here: Place, key: str) -> Response:
        require_editor(here)
        form = Form(await submitted(request))
        form.version = form.values.get("version", "")
        resolve_names(session, here, form, spec.refs)
        read = Reader(form.values)
        entity = spec.parse(read, key)
        change = here.change(form.version)
        if (
            not read.problems
            and not form.problems
            and attempt(
                session, form, lambda: spec.update(session, change, here, entity), spec.values
            )
        ):
            return _after_save(here, spec, key)
        for name, reasons in read.problems.items():
            for reason in reasons:
                form.add(name, reason)
        return show(request, session, here, spec, form, key=key, status=_failed(form))

    async def delete(request: Request, session: Db, here: Place, key: str) -> Response:
        require_editor(here)
        version = (await submitted(request)).get("version", "")
        change = here.change(version)
        form = Form({})
        if attempt(session, form, lambda: spec.delete(session, change, here, key), spec.values):
            if spec.gone is not None:
                return RedirectResponse(spec.gone(here, key), status_code=303)
            note = quote(f"{spec.kind} {key}", safe="")
            return RedirectResponse(f"{plan_url(here)}?deleted={note}", status_code=303)
        state = spec.read(session, here, key)
        message = DELETE_STALE if form.message == STALE else form.message
        saved = Form(spec.values(state), shown(state.get("version")), message=message)
        return show(request, session, here, spec, saved, key=key, status=409)

    routes: list[tuple[str, Callable[..., Any], str]] = [
        (new, new_form, "GET"), (new, create, "POST"), (one, edit_form, "GET"),
        (one, update, "POST"), (f"{one}/delete", delete, "POST"),
    ]  # fmt: skip
    for path, endpoint, method in routes:
        router.add_api_route(path, endpoint, methods=[method], response_class=HTMLResponse)


def _after_save(here: Here, spec: Editable[Any], key: str) -> Response:
    url = spec.done(here, key) if spec.done else f"{spec.url(here, key)}?saved=1"
    return RedirectResponse(url, status_code=303)
