"""Each person's notification settings page (per event: e-mail, in-app, both or none; the
digests), saved at the version read like every form; and the unsubscribe link of an e-mail:
a page that says what will stop, and its POST, which is also RFC 8058's one-click (a mail
client posts ``List-Unsubscribe=One-Click`` with no cookie: guard.csrf lets exactly this
path through, for the token in it is the only authority and can only turn e-mails off)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.config import settings
from hoshin.domain.notices import CHOICE_LABELS, CHOICES, EVENT_LABELS, EVENTS
from hoshin.errors import HoshinError, InvalidInput, PreconditionFailed
from hoshin.guard.client import origin_of
from hoshin.service import calendar, preferences
from hoshin.service.notify import Preferences
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.notifications import NOT_LINKED
from hoshin.web.outcome import attempt, page_status
from hoshin.web.render import render

router = APIRouter()
# service.notify makes tokens with secrets.token_urlsafe(32): 43 characters of this alphabet.
Token = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
EventQuery = Annotated[str | None, Query(max_length=40)]
Done = Annotated[str, Query(max_length=10)]
Action = Annotated[str, Form(max_length=10)]
EMAIL_OFF = "E-mail is off on this server: you are told in-app only."
NOTICES = {
    "saved": "Your notification settings are saved.",
    "stopped": "Your calendar link is stopped: its feed no longer opens.",
}


def _url(here: Here) -> str:
    return f"/orgs/{here.org.slug}/settings/notifications"


def _page(
    request: Request,
    here: Here,
    prefs: Preferences | None,
    *,
    notice: str | None = None,
    problem: str | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    context = {
        "here": here, "prefs": prefs, "events": [(e, EVENT_LABELS[e]) for e in EVENTS],
        "choices": [(c, CHOICE_LABELS[c]) for c in CHOICES], "not_linked": NOT_LINKED,
        "email_off": EMAIL_OFF if not settings().smtp_url else None, "notice": notice,
        "problem": problem, **(extra or {}),
    }  # fmt: skip
    return render(request, "notification_settings.html", context, status)


@router.get("/orgs/{org}/settings/notifications", response_class=HTMLResponse)
def settings_page(request: Request, session: Db, here: Place, done: Done = "") -> Response:
    """The signed-in user's person's choices, with the form that changes them."""
    if here.me.person is None:
        return _page(request, here, None)
    prefs = preferences.get_preferences(session, org=here.org, person=here.me.person)
    return _page(request, here, prefs, notice=NOTICES.get(done))


@router.post("/orgs/{org}/settings/notifications", response_class=HTMLResponse)
async def save_settings(request: Request, session: Db, here: Place) -> Response:
    """Saves the choices at the version the form was read at; refused, the form again with
    the reason (someone saved meanwhile: the choices saved now)."""
    person = here.me.person
    if person is None:
        return _page(request, here, None, status=404)
    form = await request.form()
    channels: dict[str, str] = {e: str(form.get(f"channel-{e}", "")) for e in EVENTS}
    daily, weekly = form.get("daily_digest") == "on", form.get("weekly_digest") == "on"
    outcome = attempt(
        session, preferences.save_preferences, session,
        change=here.change(str(form.get("version", "")).strip()), person=person,
        channels=channels, daily_digest=daily, weekly_digest=weekly, now=now(),
    )  # fmt: skip
    if isinstance(outcome, HoshinError):
        problem = outcome.message
        if isinstance(outcome, PreconditionFailed):
            problem += ": these are the settings saved now; choose again and save."
        elif isinstance(outcome.detail, list):
            problem += ": " + "; ".join(f"{i['field']} {i['reason']}" for i in outcome.detail)
        prefs = preferences.get_preferences(session, org=here.org, person=person)
        return _page(request, here, prefs, problem=problem, status=page_status(outcome))
    return RedirectResponse(f"{_url(here)}?done=saved", status_code=303)


@router.post("/orgs/{org}/settings/calendar", response_class=HTMLResponse)
def calendar_link(request: Request, session: Db, here: Place, action: Action = "") -> Response:
    """Makes a new calendar link (``action=new``; one made before stops working), shown on
    this answer only, or stops it (``action=stop``)."""
    person = here.me.person
    if person is None:
        return _page(request, here, None, status=404)
    if action == "stop":
        calendar.revoke_calendar_link(session, org=here.org, person=person, who=here.who,
                                      now=now())  # fmt: skip
        return RedirectResponse(f"{_url(here)}?done=stopped", status_code=303)
    if action != "new":
        raise InvalidInput("action: 'new' makes a calendar link, 'stop' ends it")
    secret = calendar.new_calendar_link(session, org=here.org, person=person, who=here.who,
                                        now=now())  # fmt: skip
    feed = settings().base_url.rstrip("/") + calendar.calendar_path(secret)
    prefs = preferences.get_preferences(session, org=here.org, person=person)
    answer = _page(request, here, prefs, extra={"feed": feed})
    answer.headers["Cache-Control"] = "no-store"  # the link must not stay in a cache
    return answer


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(
    request: Request, session: Db, token: Token, event: EventQuery = None
) -> Response:
    """What the link stops (no sign-in needed), with the button that stops it; an unknown
    link is not found."""
    target = preferences.unsubscribe_target(session, token=token, event=event)
    return render(request, "unsubscribe.html", {"target": target, "token": token})


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(request: Request, session: Db, token: Token, event: EventQuery = None) -> Response:
    """Turns the link's e-mails off: the page's button, or a mail client's one-click POST."""
    target = preferences.unsubscribe_target(session, token=token, event=event)
    preferences.unsubscribe(session, token=token, event=event, now=now(),
                            origin=origin_of(request))  # fmt: skip
    return render(request, "unsubscribe_done.html", {"target": target})
