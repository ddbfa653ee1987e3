"""The admin's notifications page: the organisation's webhooks (add, send a test, remove),
their delivery log, the reminder settings and whether e-mail is on (admins only)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.config import settings
from hoshin.domain.notices import WEBHOOK_EVENTS
from hoshin.domain.webhook_body import FORMATS, event_words
from hoshin.errors import HoshinError, InvalidInput
from hoshin.fields import LARGEST_ROW_ID
from hoshin.runtime.ping import send_test
from hoshin.service import policy, reminder_settings, webhook
from hoshin.service.policy import Act
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.outcome import attempt, page_status
from hoshin.web.render import render

router = APIRouter()
Url = Annotated[str, Form(max_length=webhook.LONGEST_URL)]
Short = Annotated[str, Form(max_length=webhook.LONGEST_SECRET)]
Events = Annotated[list[str], Form(max_length=len(WEBHOOK_EVENTS))]
WebhookId = Annotated[int, Path(ge=1, le=LARGEST_ROW_ID)]
NOTICES = {
    "removed": "Webhook {} is removed, with its calls.",
    "reminders": "The reminder settings are saved: the next reminders follow them.",
}
EMPTY = {"url": "", "events": [], "format": "json", "secret": ""}


@router.get("/orgs/{org}/admin/webhooks", response_class=HTMLResponse)
def webhooks_page(
    request: Request,
    session: Db,
    here: Place,
    done: Annotated[str, Query(max_length=20)] = "",
    who: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The webhooks with their last delivery, the add form, the delivery log and the
    reminder settings; 403 unless an admin."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    notice = NOTICES[done].format(who) if done in NOTICES else None
    return _page(request, session, here, notice=notice)


@router.post("/orgs/{org}/admin/webhooks", response_class=HTMLResponse)
def add_webhook(
    request: Request,
    session: Db,
    here: Place,
    url: Url = "",
    events: Events = [],  # noqa: B006 - FastAPI copies a form's default
    format: Short = "json",
    secret: Short = "",
) -> Response:
    """Adds a webhook; the answer shows its secret, this once."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    typed = {"url": url.strip(), "events": events, "format": format, "secret": ""}
    added = attempt(
        session, webhook.add_webhook, session, org=here.org, role=here.role, who=here.who,
        url=url, events=events, format=format, secret=secret.strip() or None,
    )  # fmt: skip
    if isinstance(added, HoshinError):
        errors = _field_errors(added, "url")
        return _page(request, session, here, form=typed, errors=errors, status=page_status(added))
    shown = {"id": added.webhook.id, "url": added.webhook.url, "secret": added.secret}
    answer = _page(request, session, here, added=shown, status=201)
    answer.headers["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return answer


@router.post("/orgs/{org}/admin/webhooks/{webhook_id}/test", response_class=HTMLResponse)
def test_webhook(request: Request, session: Db, here: Place, webhook_id: WebhookId) -> Response:
    """Posts the test event to the webhook now and shows its answer."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    sent = send_test(
        session, org=here.org, role=here.role, webhook_id=webhook_id, now=now(),
        config=settings(),
    )  # fmt: skip
    return _page(request, session, here, tested=sent)


@router.get("/orgs/{org}/admin/webhooks/{webhook_id}/remove", response_class=HTMLResponse)
def confirm_removal(request: Request, session: Db, here: Place, webhook_id: WebhookId) -> Response:
    """Asks whether to remove the webhook."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    found = webhook.get_webhook(session, org=here.org, role=here.role, webhook_id=webhook_id)
    return render(request, "admin_webhook_remove.html", {"here": here, "hook": found})


@router.post("/orgs/{org}/admin/webhooks/{webhook_id}/remove", response_class=HTMLResponse)
def remove_webhook(request: Request, session: Db, here: Place, webhook_id: WebhookId) -> Response:
    """Removes the webhook with its queued and logged calls."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    webhook.remove_webhook(
        session, org=here.org, role=here.role, who=here.who, webhook_id=webhook_id
    )
    return _back(here, "removed", str(webhook_id))


@router.post("/orgs/{org}/admin/reminders", response_class=HTMLResponse)
def change_reminders(
    request: Request,
    session: Db,
    here: Place,
    reminder_lead_days: Annotated[str, Form(max_length=10)] = "",
    escalation_days: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Saves when actuals are due and when missing ones escalate."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    typed = {"reminder_lead_days": reminder_lead_days, "escalation_days": escalation_days}
    errors = {
        name: "Enter a whole number of days."
        for name, value in typed.items()
        if not value.strip().isdigit()
    }
    if not errors:
        saved = attempt(
            session, reminder_settings.set_reminder_settings, session, org=here.org,
            role=here.role, who=here.who, reminder_lead_days=int(reminder_lead_days),
            escalation_days=int(escalation_days),
        )  # fmt: skip
        if not isinstance(saved, HoshinError):
            return _back(here, "reminders", "")
        errors = _field_errors(saved, "reminder_lead_days")
    return _page(request, session, here, reminders=typed, reminder_errors=errors, status=422)


def _page(
    request: Request,
    session: Db,
    here: Here,
    *,
    notice: str | None = None,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    added: dict[str, Any] | None = None,
    tested: webhook.Delivery | None = None,
    reminders: dict[str, str] | None = None,
    reminder_errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    config = settings()
    current = reminder_settings.reminder_settings(here.org)
    context: dict[str, Any] = {
        "here": here, "notice": notice, "form": form or EMPTY, "errors": errors or {},
        "added": added, "tested": tested,
        "hooks": webhook.list_webhooks(session, org=here.org, role=here.role),
        "log": webhook.deliveries(session, org=here.org, role=here.role),
        "events": WEBHOOK_EVENTS, "event_words": event_words, "formats": FORMATS,
        "reminders": reminders or {k: str(v) for k, v in current.as_json().items()},
        "reminder_errors": reminder_errors or {},
        "lead_days": reminder_settings.LEAD_DAYS,
        "escalation_days": reminder_settings.ESCALATION_DAYS,
        "email": reminder_settings.email_status(config.smtp_url, config.mail_from),
    }  # fmt: skip
    return render(request, "admin_webhooks.html", context, status)


def _field_errors(error: HoshinError, fallback: str) -> dict[str, str]:
    """The service's refusal next to the field it names."""
    items = (
        error.detail if isinstance(error, InvalidInput) and isinstance(error.detail, list) else []
    )
    field = next((str(i["field"]) for i in items if isinstance(i, dict) and "field" in i), fallback)
    message = error.message.split(": ", 1)[-1] if ": " in error.message else error.message
    return {field: message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")}


def _not_admin(request: Request, here: Here) -> Response:
    return render(request, "admin_forbidden.html", {"here": here}, 403)


def _back(here: Here, done: str, who: str) -> Response:
    query = urlencode({"done": done, "who": who})
    return RedirectResponse(f"/orgs/{here.org.slug}/admin/webhooks?{query}", status_code=303)
