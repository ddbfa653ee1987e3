"""An organisation's webhooks, their delivery log and test calls, and its reminder settings
(admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from hoshin.api.deps import Db, Org, now
from hoshin.api.edits import CHANGES, READS, TEXT_PATTERN, Body
from hoshin.config import settings
from hoshin.fields import LARGEST_ROW_ID
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.runtime.ping import send_test
from hoshin.service import reminder_settings, webhook

router = APIRouter(tags=["webhooks and reminders"], responses=READS, route_class=OneThreadRoute)
WebhookId = Annotated[int, Path(ge=1, le=LARGEST_ROW_ID, description="The webhook's id.")]
ADMIN_CHANGES: dict[int | str, dict[str, Any]] = {key: CHANGES[key] for key in (400, 403, 422)}
ADMIN_READS: dict[int | str, dict[str, Any]] = {403: CHANGES[403]}


class WebhookCreate(Body):
    """Where to post which events, in which format, signed with which secret."""

    url: Annotated[str, Field(min_length=1, max_length=webhook.LONGEST_URL, pattern=TEXT_PATTERN)]
    events: list[Annotated[str, Field(max_length=60, pattern=TEXT_PATTERN)]] = Field(
        default_factory=list, max_length=50, description="Events to post; empty: every event."
    )
    format: Annotated[str, Field(max_length=20)] = Field(
        default="json", description="json (hoshin's body), slack or teams."
    )
    secret: (
        Annotated[str, Field(max_length=webhook.LONGEST_SECRET, pattern=TEXT_PATTERN)] | None
    ) = Field(default=None, description="The HMAC key; absent: a random one, in the answer.")


class ReminderSettingsChange(Body):
    """When an actual is due and when a missing one escalates."""

    reminder_lead_days: Annotated[int, Field(strict=True, ge=0, le=reminder_settings.LEAD_DAYS[1])]
    escalation_days: Annotated[
        int, Field(strict=True, ge=1, le=reminder_settings.ESCALATION_DAYS[1])
    ]


@router.get("/orgs/{org}/webhooks", responses=ADMIN_READS)
def list_webhooks(org: Org, session: Db) -> dict[str, Any]:
    """The organisation's webhooks with their last delivery, never their secrets (admins)."""
    found = webhook.list_webhooks(session, org=org.org, role=org.role)
    return {"items": [item.as_json() for item in found]}


@router.post("/orgs/{org}/webhooks", status_code=201, responses=ADMIN_CHANGES)
def add_webhook(org: Org, session: Db, body: WebhookCreate) -> dict[str, Any]:
    """A new webhook (admins); the answer holds its secret, shown this once."""
    added = webhook.add_webhook(
        session, org=org.org, role=org.role, who=org.who, url=body.url, events=body.events,
        format=body.format, secret=body.secret,
    )  # fmt: skip
    return {**added.webhook.as_json(), "secret": added.secret}


@router.delete("/orgs/{org}/webhooks/{webhook_id}", status_code=204, responses=ADMIN_READS)
def remove_webhook(org: Org, session: Db, webhook_id: WebhookId) -> Response:
    """Removes a webhook with its queued and logged calls (admins)."""
    webhook.remove_webhook(session, org=org.org, role=org.role, who=org.who, webhook_id=webhook_id)
    return Response(status_code=204)


@router.post("/orgs/{org}/webhooks/{webhook_id}/test", responses=ADMIN_READS)
def test_webhook(org: Org, session: Db, webhook_id: WebhookId) -> dict[str, Any]:
    """Posts the event webhook.test to the webhook now and answers how it went (status,
    code, error), as the delivery log keeps it (admins). 200 even when the receiver fails:
    its answer is the result."""
    sent = send_test(
        session, org=org.org, role=org.role, webhook_id=webhook_id, now=now(), config=settings()
    )
    return sent.as_json()


@router.get("/orgs/{org}/webhooks/{webhook_id}/deliveries", responses=ADMIN_READS)
def webhook_deliveries(
    org: Org,
    session: Db,
    webhook_id: WebhookId,
    limit: Annotated[int, Query(ge=1, le=500)] = webhook.LOG_LENGTH,
) -> dict[str, Any]:
    """The webhook's latest calls, newest first: event, status, answer code, attempts, next
    attempt and error (admins)."""
    found = webhook.deliveries(
        session, org=org.org, role=org.role, webhook_id=webhook_id, limit=limit
    )
    return {"items": [item.as_json() for item in found]}


@router.get("/orgs/{org}/reminder-settings", responses=ADMIN_READS)
def read_reminder_settings(org: Org) -> dict[str, Any]:
    """The reminder settings and whether e-mail is on (admins)."""
    webhook.require_admin(org.role, org.org)
    config = settings()
    return {
        **reminder_settings.reminder_settings(org.org).as_json(),
        "email": reminder_settings.email_status(config.smtp_url, config.mail_from),
    }


@router.put("/orgs/{org}/reminder-settings", responses=ADMIN_CHANGES)
def change_reminder_settings(org: Org, session: Db, body: ReminderSettingsChange) -> dict[str, Any]:
    """Changes when actuals are due (0-27 days before their month ends: 0 is the day after)
    and when missing ones escalate (1-60 days after), for the next scheduler pass (admins)."""
    changed = reminder_settings.set_reminder_settings(
        session, org=org.org, role=org.role, who=org.who,
        reminder_lead_days=body.reminder_lead_days, escalation_days=body.escalation_days,
    )  # fmt: skip
    return changed.as_json()
