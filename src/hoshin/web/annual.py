"""The annual review and reflection of a fiscal year, and the carry forward."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.annual import (
    FiscalYear,
    ObjectiveDraft,
    active_in,
    carry_forward,
    finished,
    fiscal_year,
    fiscal_year_of,
    metric_year,
    review_order,
    unfinished,
)
from hoshin.domain.model import LEVELS, Objective
from hoshin.domain.months import FIRST_YEAR, LAST_YEAR, Month
from hoshin.errors import HoshinError, InvalidInput, NotFound
from hoshin.runtime.sessions import Session
from hoshin.service import policy
from hoshin.service import reflection as reflection_service
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.service.reflection import DraftProblems
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.forms import Form
from hoshin.web.names import names_of
from hoshin.web.outcome import attempt
from hoshin.web.references import Reference, References, resolve_names
from hoshin.web.render import render

router = APIRouter()
PAGE = 25  # objectives a page
DRAFTS = 20  # drafts a page of the carry forward
# A draft's owner and unit, and the unit filters, are chosen by name with a picker, which
# sends the id; a name typed without its script is resolved as in the plan's forms.
NAMED = (("owner", Reference("people")), ("unit", Reference("units")))
SHARED = "a name in some drafts is shared by several people or units"


@router.get("/orgs/{org}/reviews/annual", response_class=HTMLResponse)
def choose(request: Request, here: Place, year: str | None = None) -> Response:
    """The form that chooses the fiscal year (default: the one that holds the as-of day)."""
    if year:
        return RedirectResponse(_url(here, _year(here, year).year), status_code=303)
    current = fiscal_year_of(here.as_of, here.org.fiscal_year_start)
    years = [fiscal_year(current.year - k, here.org.fiscal_year_start) for k in range(4)]
    return render(request, "annual_choose.html", {"here": here, "current": current, "years": years})


@router.get("/orgs/{org}/reviews/annual/{year}", response_class=HTMLResponse)
def annual_page(
    request: Request,
    session: Db,
    here: Place,
    year: str,
    level: str | None = None,
    unit: str | None = None,
    page: int = 1,
    created: str | None = None,
) -> Response:
    """Each objective active in the year with its result against target as of the year's
    last day, and the reflections on it; breakthrough and annual objectives first."""
    fy = _year(here, year)
    found = _analysed(session, here, fy)
    level = level or None
    unit, unit_problem = _unit_filter(session, here, unit)
    if level is not None and level not in LEVELS:
        raise InvalidInput(f"level: '{level}' is not one of {', '.join(LEVELS)}")
    chosen = [
        o for o in _active(found, fy)
        if (level is None or o.level == level) and (unit is None or o.unit == unit)
    ]  # fmt: skip
    pages = max((len(chosen) + PAGE - 1) // PAGE, 1)
    page = min(max(page, 1), pages)
    shown = chosen[(page - 1) * PAGE : page * PAGE]
    reflections = reflection_service.reflections_for(
        session, org=here.org, year=fy.year, objectives=[o.id for o in shown]
    )
    context = {
        "here": here, "year": fy, "level": level, "unit": unit, "levels": LEVELS,
        "rows": [_row(found, o, reflections.get(o.id)) for o in shown],
        "total": len(chosen), "page": page, "pages": pages,
        "pager": lambda p: _url(here, fy.year, level=level, unit=unit, page=p),
        "created": [key for key in (created or "").split(",") if key][:DRAFTS],
        "drafts": len(_unfinished(found, fy)),
        "writer": policy.may(here.role, Act.WORK, theirs=True),
        "may_edit": policy.may(here.role, Act.EDIT_PLAN),
        "names": names_of(found), "unit_problem": unit_problem,
    }  # fmt: skip
    return render(request, "annual.html", context)


@router.post("/orgs/{org}/reviews/annual/{year}/reflections/{key}", response_class=HTMLResponse)
async def reflect(request: Request, session: Db, here: Place, year: str, key: str) -> Response:
    """Saves what worked and what did not; htmx gets the reflection again, a plain form
    the annual page."""
    fy = _year(here, year)
    form = await request.form()
    typed = {name: str(form.get(name, "")) for name in ("worked", "did_not")}
    version = str(form.get("version", "")).strip()
    htmx = request.headers.get("HX-Request") == "true"
    outcome = attempt(
        session, reflection_service.save_reflection, session, change=here.change(version),
        asker=(here.role, here.me.person), objective=key, year=fy.year, now=now(), **typed,
    )  # fmt: skip
    if isinstance(outcome, HoshinError) and not htmx:
        raise outcome  # a page of its own says why
    problem = outcome.message if isinstance(outcome, HoshinError) else None
    if not htmx:
        return RedirectResponse(_url(here, fy.year) + f"#r-{quote(key, safe='')}", status_code=303)
    saved = reflection_service.read_reflection(session, org=here.org, objective=key, year=fy.year)
    context = {
        "here": here, "year": fy, "writer": True, "problem": problem, "saved": problem is None,
        "row": {"objective": Objective(key, "", "annual"), "reflection": saved,
                "typed": typed if problem else None},
    }  # fmt: skip
    return render(request, "annual_reflection.html", context)


@router.get("/orgs/{org}/reviews/annual/{year}/carry-forward", response_class=HTMLResponse)
def drafts_page(
    request: Request, session: Db, here: Place, year: str, unit: str | None = None, page: int = 1
) -> Response:
    """Next year's drafts of the year's unfinished annual objectives, as a form to edit."""
    fy = _year(here, year)
    found = _analysed(session, here, fy)
    chosen, _ = _unit_filter(session, here, unit)  # a name several share: no draft
    return _drafts(request, here, found, fy, unit=chosen, page=page)


@router.post("/orgs/{org}/reviews/annual/{year}/carry-forward", response_class=HTMLResponse)
async def confirm(request: Request, session: Db, here: Place, year: str) -> Response:
    """Creates the chosen drafts as they were edited, all or none; problems next to fields."""
    fy = _year(here, year)
    found = _analysed(session, here, fy)
    form = await request.form()
    sources = {o.id: o for o in _unfinished(found, fy)}
    chosen = [str(key) for key in form.getlist("include") if str(key) in sources]
    typed = _named(session, here, {key: str(value) for key, value in form.items()}, chosen)
    if typed.problems:  # a name several people or units share: the user chooses one
        return _drafts(request, here, found, fy, unit=None, page=1, typed=typed.values,
                       included=set(chosen), problems=_by_draft(typed, chosen),
                       message=SHARED, status=422)  # fmt: skip

    def create() -> list[str]:
        drafts = [_edited(carry_forward(sources[key], fy), typed.values) for key in chosen]
        return reflection_service.create_from_drafts(
            session, change=here.change(), role=here.role, drafts=drafts
        )

    created = attempt(session, create)
    if isinstance(created, HoshinError):
        problems = created.detail if isinstance(created, DraftProblems) else {}
        return _drafts(request, here, found, fy, unit=None, page=1, typed=typed.values,
                       included=set(chosen), problems=problems, message=created.message,
                       status=422)  # fmt: skip
    session.commit()  # the annual page then shows the new plan
    return RedirectResponse(_url(here, fy.year, created=",".join(created)), status_code=303)


def _drafts(
    request: Request,
    here: Here,
    found: Analysed,
    fy: FiscalYear,
    *,
    unit: str | None,
    page: int,
    typed: Mapping[str, str] | None = None,
    included: set[str] | None = None,
    problems: Any = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    sources = [o for o in _unfinished(found, fy) if unit is None or o.unit == unit]
    if included is not None:  # the drafts the user chose, shown again as they typed them
        sources = [o for o in sources if o.id in included] or sources
    pages = max((len(sources) + DRAFTS - 1) // DRAFTS, 1)
    page = min(max(page, 1), pages)
    shown = sources[(page - 1) * DRAFTS : page * DRAFTS]
    drafts = [carry_forward(o, fy) for o in shown]
    if typed is not None:
        drafts = [_edited(d, typed, strict=False) for d in drafts]
    context = {
        "here": here, "year": fy, "next": fy.next(), "drafts": drafts, "unit": unit,
        "total": len(sources), "page": page, "pages": pages,
        "pager": lambda p: _url(here, fy.year, "/carry-forward", unit=unit, page=p),
        "problems": problems or {}, "message": message, "included": included,
        "results": found.analysis.objectives, "names": names_of(found),
        "may_edit": policy.may(here.role, Act.EDIT_PLAN),
        "action": _url(here, fy.year, "/carry-forward"), "titles": _upper_titles(found),
    }  # fmt: skip
    return render(request, "annual_carry.html", context, status)


def _edited(
    draft: ObjectiveDraft, form: Mapping[str, str], *, strict: bool = True
) -> ObjectiveDraft:
    """The draft with what the user typed in its fields (a blank field keeps the draft's,
    an emptied owner or unit is none); not ``strict``: a field that does not parse keeps
    the draft's too (shown again)."""

    def typed(name: str) -> str | None:
        value = form.get(f"{draft.source}.{name}")
        return None if value is None else str(value).strip()

    def parsed(parse: Any, name: str, default: Any) -> Any:
        try:
            return parse(typed(name), default)
        except InvalidInput:
            if strict:
                raise
            return default

    metrics = []
    for k, metric in enumerate(draft.metrics):
        metrics.append(replace(
            metric, id=typed(f"m{k}.id") or metric.id, name=typed(f"m{k}.name") or metric.name,
            baseline=parsed(_number, f"m{k}.baseline", metric.baseline),
            target=parsed(_number, f"m{k}.target", metric.target),
            target_period=parsed(_period, f"m{k}.target_period", metric.target_period),
        ))  # fmt: skip
    return replace(
        draft, id=typed("id") or draft.id, title=typed("title") or draft.title,
        owner=_optional(typed("owner"), draft.owner), unit=_optional(typed("unit"), draft.unit),
        metrics=tuple(metrics),
    )  # fmt: skip


def _named(session: Session, here: Here, typed: dict[str, str], chosen: list[str]) -> Form:
    """The form with each chosen draft's owner and unit as ids (a picker sends the id; a
    name typed without its script is resolved), and the problem of a name several share."""
    refs: References = {f"{key}.{field}": ref for key in chosen for field, ref in NAMED}
    form = Form(typed)
    resolve_names(session, here, form, refs)
    return form


def _by_draft(form: Form, chosen: list[str]) -> dict[str, list[dict[str, str]]]:
    """The form's problems as the drafts' (by source: the field and the reason)."""
    found: dict[str, list[dict[str, str]]] = {}
    for key in chosen:
        for field, _ in NAMED:
            for reason in form.problems.get(f"{key}.{field}", []):
                found.setdefault(key, []).append({"field": field, "reason": reason})
    return found


def _unit_filter(session: Session, here: Here, typed: str | None) -> tuple[str | None, str | None]:
    """The unit a filter names (None: any) and the problem of a name several units share."""
    text = (typed or "").strip()
    if not text:
        return None, None
    form = Form({"unit": text})
    resolve_names(session, here, form, dict(NAMED[1:]))
    reasons = form.problems.get("unit")
    return form.value("unit"), reasons[0] if reasons else None


def _optional(value: str | None, default: str | None) -> str | None:
    return default if value is None else value or None


def _number(value: str | None, default: float | None) -> float | None:
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a number: write a figure such as 60") from None


def _period(value: str | None, default: Month | None) -> Month | None:
    if not value:
        return default
    try:
        return Month.parse(value)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def _row(
    found: Analysed, objective: Objective, reflection: dict[str, Any] | None
) -> dict[str, Any]:
    result = found.analysis.objectives[objective.id]
    return {
        "objective": objective, "result": result, "finished": finished(result),
        "metrics": [metric_year(m, found.analysis.metrics[m.id]) for m in objective.metrics],
        "reflection": reflection, "typed": None,
    }  # fmt: skip


def _analysed(session: Db, here: Here, fy: FiscalYear) -> Analysed:
    """The plan as stored now, judged as of the fiscal year's last day."""
    return here.cache.get(session, org=here.org, as_of=fy.last_day)


def _active(found: Analysed, fy: FiscalYear) -> list[Objective]:
    return found.derived(
        f"annual.active.{fy.year}",
        lambda _: review_order([o for o in found.plan.objectives if active_in(o, fy)]),
    )


def _unfinished(found: Analysed, fy: FiscalYear) -> list[Objective]:
    return found.derived(
        f"annual.unfinished.{fy.year}",
        lambda a: unfinished(list(found.plan.objectives), a.objectives, fy),
    )


def _year(here: Here, text: str) -> FiscalYear:
    if not text.isdigit() or not FIRST_YEAR <= int(text) < LAST_YEAR:
        raise NotFound(f"no fiscal year '{text}': write a year such as 2026")
    return fiscal_year(int(text), here.org.fiscal_year_start)


def _url(here: Here, year: int, tail: str = "", **params: Any) -> str:
    query = {
        k: v for k, v in params.items()
        if v is not None and v != "" and not (k == "page" and v == 1)
    }  # fmt: skip
    if here.query():
        query["as_of"] = here.as_of.isoformat()
    suffix = f"?{urlencode(query)}" if query else ""
    return f"/orgs/{here.org.slug}/reviews/annual/{year}{tail}{suffix}"


def _upper_titles(found: Analysed) -> dict[str, str]:
    """The titles of the breakthrough and annual objectives (what drafts support), once per
    analysis: a draft names what it supports by id and title."""
    upper = ("breakthrough", "annual")
    return found.derived(
        "annual.upper_titles",
        lambda _: {o.id: o.title for o in found.plan.objectives if o.level in upper},
    )
