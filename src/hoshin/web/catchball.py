"""Catchball: a proposal goes down to a unit, which accepts or counter-proposes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from hoshin.errors import HoshinError, InvalidInput, PreconditionFailed
from hoshin.runtime.sessions import Session
from hoshin.service import catchball, policy, search
from hoshin.service.catchball import Answer, ThreadRound, flat
from hoshin.service.policy import Act
from hoshin.service.proposal import FIELDS, MetricFields, Proposal
from hoshin.web.assist_catchball import thread_advice
from hoshin.web.assist_forms import Parents, assist_url, form_parents, parents_url
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.forms import Form
from hoshin.web.outcome import attempt
from hoshin.web.references import Reference, picked, resolve_names
from hoshin.web.render import render

router = APIRouter()
REPLIES = ("accept", "withdraw")  # the answers without a proposal of their own
LISTED = 25  # threads per list on the index; the rest are counted
# The fields that name entities of the plan: chosen with a picker by name, and a name typed
# without the picker's script resolved to its id (web/references.py).
REFS = {"unit": Reference("units"), "lead": Reference("people"),
        "parent": Reference("objectives")}  # fmt: skip
LABELS = {
    "title": "Title", "parent": "Supports objective", "weight": "Weight of the link",
    "level": "Level", "deadline": "Deadline (end month)", "metric.name": "Metric",
    "metric.unit": "Unit of measure", "metric.direction": "Direction",
    "metric.baseline": "Baseline", "metric.target": "Target", "unit": "Unit",
    "lead": "Lead of the unit", "comment": "Comment",
}  # fmt: skip
KINDS = {"propose": "proposed", "counter": "counter-proposed", "accept": "accepted",
         "withdraw": "withdrew the proposal"}  # fmt: skip


@router.get("/orgs/{org}/catchball", response_class=HTMLResponse)
def index(request: Request, session: Db, here: Place, parent: str = "") -> Response:
    """Threads waiting for me, open and agreed; a form to propose an objective."""
    return _index(request, session, here, {"parent": parent, "weight": "1", "level": "team",
                                           "metric.direction": "decrease"}, {})  # fmt: skip


@router.post("/orgs/{org}/catchball", response_class=HTMLResponse)
async def propose(request: Request, session: Db, here: Place) -> Response:
    """Proposes the form's objective; the thread's page, or the form again with messages."""
    form = await request.form()
    values = _values(form, ("unit", "lead", "comment"))
    named = _resolved(session, here, values)
    proposal, errors = _proposal(values)
    errors.update(named)
    for name in ("unit", "lead"):
        if not values[name]:
            errors[name] = "choose one"
    if proposal is not None and not errors:
        state = attempt(
            session, catchball.propose, session, org=here.org, asker=here.asker,
            unit=values["unit"], lead=values["lead"], proposal=proposal,
            comment=values["comment"], now=now(),
        )  # fmt: skip
        if not isinstance(state, HoshinError):
            return _to_thread(here, state["id"])
        errors = _errors(state)
    return _index(request, session, here, values, errors, status=422)


@router.get("/orgs/{org}/catchball/{thread}", response_class=HTMLResponse)
def thread_page(request: Request, session: Db, here: Place, thread: int) -> Response:
    """The thread as a conversation, and the answer form for the side whose turn it is."""
    return _thread(request, session, here, thread, None, {})


@router.post("/orgs/{org}/catchball/{thread}", response_class=HTMLResponse)
async def answer(request: Request, session: Db, here: Place, thread: int) -> Response:
    """Accepts, counter-proposes or withdraws; the thread again (with messages if refused)."""
    form = await request.form()
    values = _values(form, ("action", "version", "comment"))
    version = int(values["version"]) if values["version"].isdigit() else None
    reply = Answer(here.org, here.asker, thread, version, now(), values["comment"])
    proposal: Proposal | None = None
    errors: dict[str, str] = {}
    if values["action"] not in REPLIES:
        named = _resolved(session, here, values)
        proposal, errors = _proposal(values)
        errors.update(named)
    if not errors:
        refused = attempt(session, _reply, session, reply, values["action"], proposal)
        errors = _errors(refused) if isinstance(refused, HoshinError) else {}
    if not errors:
        session.commit()
        return _to_thread(here, thread)
    return _thread(request, session, here, thread, values, errors, status=422)


def _reply(session: Session, reply: Answer, action: str, proposal: Proposal | None) -> None:
    """Accepts, withdraws, or counter-proposes ``proposal``."""
    if action == "accept":
        catchball.accept(session, answer=reply)
    elif action == "withdraw":
        catchball.withdraw(session, answer=reply)
    elif proposal is not None:
        catchball.counter_propose(session, answer=reply, proposal=proposal)


def _index(
    request: Request,
    session: Session,
    here: Here,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    org, me = here.org, here.asker
    waiting, waiting_total = catchball.list_threads(session, org=org, waiting_for=me,
                                                    limit=LISTED)  # fmt: skip
    open_, open_total = catchball.list_threads(session, org=org, status="open", limit=LISTED)
    agreed, agreed_total = catchball.list_threads(session, org=org, status="agreed",
                                                  limit=LISTED)  # fmt: skip
    context = {
        "here": here, "values": values, "errors": errors, "labels": LABELS,
        "lists": [("waiting", "Waiting for you", waiting, waiting_total),
                  ("open", "Open", open_, open_total),
                  ("agreed", "Agreed", agreed, agreed_total)],
        "picked": picked(session, here, Form(values), REFS),
        "may_propose": policy.may(here.role, Act.CONTRIBUTE), "when": when,
        "agreed_as": search.labels(session, org=org, kind="objectives",
                                   keys={t.objective for t in agreed if t.objective}),
        "assist_form_parents": form_parents(session, here, values, None),
        "assist_parents_url": parents_url(here, "p-parent"),
    }  # fmt: skip
    return render(request, "catchball.html", context, status)


def _thread(
    request: Request,
    session: Session,
    here: Here,
    thread: int,
    values: dict[str, str] | None,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    read = catchball.get_thread(session, org=here.org, thread_id=thread, asker=here.asker)
    rounds = _rounds(read.rounds, read.objectives)
    on_table = {name: _text(value) for name, value in flat(read.fields).items()}
    shown = values if values is not None and values.get("action") == "counter" else on_table
    context = {
        "here": here, "thread": read.thread, "can_answer": read.can_answer,
        "can_withdraw": read.can_withdraw, "rounds": rounds, "labels": LABELS, "fields": FIELDS,
        "values": shown, "picked": picked(session, here, Form(shown), REFS),
        "comment": (values or {}).get("comment", ""), "errors": errors,
        "tried": (values or {}).get("action"), "when": when, "objectives": read.objectives,
        **_assisted(session, here, read),
    }  # fmt: skip
    return render(request, "catchball_thread.html", context, status)


def _assisted(session: Session, here: Here, read: catchball.ThreadRead) -> dict[str, Any]:
    """The assistant's advice on the proposal on the table, and the counter form's parents
    (web/assist_catchball.py)."""
    advice = thread_advice(here.analysed(session), read, here.org.id)
    return {
        "assist": advice, "assist_form_parents": advice.parents if advice else Parents(),
        "assist_parents_url": assist_url(here, "parents", fill="c-parent", unit=read.thread.unit),
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ShownRound:
    """A round as the page shows it: the verb of its kind, each field with its value and,
    where the round changed it, the value it had before (else None), and what changed."""

    round: ThreadRound
    verb: str
    rows: list[tuple[str, str, str | None]]
    changed_text: str


def _rounds(items: Sequence[ThreadRound], objectives: dict[str, str]) -> list[ShownRound]:
    """The rounds as the page shows them: the objective supported by its id and title
    (``objectives``; its id alone when it is no longer in the plan)."""
    shown: list[ShownRound] = []
    before: dict[str, Any] = {}

    def text(name: str, value: Any) -> str:
        said = _text(value)
        return objectives.get(said, said) if name == "parent" else said

    for item in items:
        values = flat(item.fields)
        rows = [(name, text(name, values.get(name)), text(name, before.get(name))
                 if name in item.changed else None) for name in FIELDS]  # fmt: skip
        changed = ", ".join(LABELS[name].lower() for name in item.changed)
        verb = KINDS.get(item.kind, item.kind)
        shown.append(ShownRound(item, verb, rows, changed))
        before = values
    return shown


def _values(form: FormData, extra: tuple[str, ...]) -> dict[str, str]:
    names = (*FIELDS, *extra)
    return {name: str(form.get(name, "")).strip() for name in names}


def _resolved(session: Session, here: Here, values: dict[str, str]) -> dict[str, str]:
    """Replaces each name typed for a unit, lead or parent by its id (in ``values``); a
    message by field for a name that several share, listing them."""
    form = Form(values)
    resolve_names(session, here, form, REFS)
    return {name: "; ".join(reasons) for name, reasons in form.problems.items()}


def _proposal(values: dict[str, str]) -> tuple[Proposal | None, dict[str, str]]:
    """The proposal typed in the form, and a message per field that is not a value."""
    errors: dict[str, str] = {}
    numbers: dict[str, float] = {}
    for name in ("weight", "metric.baseline", "metric.target"):
        try:
            numbers[name] = float(values[name])
            if not math.isfinite(numbers[name]):
                raise ValueError(values[name])
        except ValueError:
            errors[name] = (
                "enter a number" if not values[name] else f"'{values[name]}' is not a number"
            )
    for name in ("title", "parent", "deadline", "metric.name"):
        if not values[name]:
            errors[name] = "fill this in"
    if errors:
        return None, errors
    metric = MetricFields(values["metric.name"], values["metric.direction"],
                          numbers["metric.baseline"], numbers["metric.target"],
                          values["metric.unit"] or None)  # fmt: skip
    return Proposal(values["title"], values["parent"], numbers["weight"], values["deadline"],
                    metric, values["level"] or "team"), errors  # fmt: skip


def _errors(error: HoshinError) -> dict[str, str]:
    """The service's refusal as messages by field ("" for the page's own message)."""
    if isinstance(error, PreconditionFailed):
        return {"": "Someone answered while you were writing: here is the thread as it is now."}
    found: dict[str, str] = {}
    if isinstance(error, InvalidInput) and isinstance(error.detail, list):
        for item in error.detail:
            if isinstance(item, dict) and item.get("field") in LABELS:
                found.setdefault(item["field"], item["reason"])
    return {"": error.message, **found}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def when(moment: datetime | None) -> str:
    """A timestamp as people read it, in UTC: '2026-12-01 07:50 UTC'."""
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _to_thread(here: Here, thread: int) -> Response:
    url = f"/orgs/{here.org.slug}/catchball/{thread}{here.query()}"
    return RedirectResponse(url, status_code=303)
