"""An organisation's outgoing webhooks, managed by its admins: add (the secret shown once),
list (with each one's last delivery, never the secret), remove, and the delivery log; a test
call is prepared here and recorded here, and sent by the door that asks (runtime.delivery),
so this module stays free of I/O.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from hoshin.domain.notices import WEBHOOK_EVENTS
from hoshin.domain.text import control_character
from hoshin.domain.webhook_body import FORMATS
from hoshin.errors import InvalidInput, NotFound
from hoshin.service import policy
from hoshin.service.asker import Who
from hoshin.service.notify import queued
from hoshin.service.policy import Act
from hoshin.store import outbox
from hoshin.store import webhook as store
from hoshin.store.audit import record_event
from hoshin.store.notification import OutboxRow, WebhookRow, insert_outbox
from hoshin.store.organization import OrganizationRow, get_organization

LONGEST_URL = 2000  # a Teams workflow's address is some 300 characters; no receiver needs more
SHORTEST_SECRET, LONGEST_SECRET = 16, 200
TEST_EVENT = "webhook.test"  # the event of a test call (domain.webhook_body has its words)
LOG_LENGTH = 50  # outbox messages the delivery log shows
ERROR_SHOWN = 200  # characters of a delivery's last error


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox message as the log shows it: what, to where, and how its delivery went."""

    id: int
    channel: str  # email, webhook
    webhook_id: int | None
    event: str
    recipient: str
    status: str  # pending, sent, failed
    code: int | None
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None  # None once sent or given up
    sent_at: datetime | None
    error: str | None  # short

    def as_json(self) -> dict[str, Any]:
        """The delivery as JSON values."""
        return {
            "id": self.id, "channel": self.channel, "webhook_id": self.webhook_id,
            "event": self.event, "recipient": self.recipient, "status": self.status,
            "code": self.code, "attempts": self.attempts, "created_at": _iso(self.created_at),
            "next_attempt_at": _iso(self.next_attempt_at), "sent_at": _iso(self.sent_at),
            "error": self.error,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Webhook:
    """A webhook as its organisation's admins see it: never its secret."""

    id: int
    url: str
    events: tuple[str, ...]  # empty: every event
    format: str
    created_by: str
    created_at: datetime
    last: Delivery | None = None  # its latest call

    def as_json(self) -> dict[str, Any]:
        """The webhook as JSON values."""
        return {
            "id": self.id, "url": self.url, "events": list(self.events), "format": self.format,
            "created_by": self.created_by, "created_at": _iso(self.created_at),
            "last_delivery": None if self.last is None else self.last.as_json(),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Added:
    """A new webhook and its secret, shown this once."""

    webhook: Webhook
    secret: str


@dataclass(frozen=True, slots=True)
class CallToSend:
    """A test call to send now: what runtime.delivery.Deliverer.webhook takes."""

    webhook_id: int
    url: str
    secret: str
    format: str
    event: str
    delivery_id: str
    body: dict[str, Any]


def check_url(url: str) -> str:
    """The webhook's address, stripped: http(s), a host, no user or password, one line of
    at most LONGEST_URL characters; InvalidInput (field ``url``) otherwise."""
    url = url.strip()
    problem = _url_problem(url)
    if problem is not None:
        raise InvalidInput(f"url: {problem}", [{"field": "url", "reason": problem}])
    return url


def _url_problem(url: str) -> str | None:
    if not url:
        return "is empty: give the address the receiver gave you (https://...)"
    if len(url) > LONGEST_URL:
        return f"is {len(url):,} characters long: at most {LONGEST_URL:,}"
    bad = control_character(url)
    if bad is not None or " " in url:
        return f"contains {bad or 'a space'}, which an address cannot hold"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        return f"is no address: {error}"
    if parts.scheme not in ("http", "https"):
        return "must start with https:// (or http://)"
    if not host:
        return "names no host"
    if parts.username is not None or parts.password is not None:
        return "must hold no user or password: the secret signs each call"
    return None


def check_events(events: Iterable[str]) -> list[str]:
    """The events asked for, each once, in WEBHOOK_EVENTS' order (empty: every event);
    InvalidInput (field ``events``) naming one that is none."""
    wanted = {event.strip() for event in events if event.strip()}
    unknown = sorted(wanted - set(WEBHOOK_EVENTS))
    if unknown:
        shown = ", ".join(repr(event[:60]) for event in unknown[:3])
        reason = f"{shown} {'is no event' if len(unknown) == 1 else 'are no events'}: use " + (
            ", ".join(WEBHOOK_EVENTS)
        )
        raise InvalidInput(f"events: {reason}", [{"field": "events", "reason": reason}])
    return [event for event in WEBHOOK_EVENTS if event in wanted]


def check_format(format: str) -> str:
    """The message format: json, slack or teams; InvalidInput (field ``format``) otherwise."""
    if format not in FORMATS:
        reason = f"'{format[:20]}' is no format: use {', '.join(FORMATS)}"
        raise InvalidInput(f"format: {reason}", [{"field": "format", "reason": reason}])
    return format


def check_secret(secret: str | None) -> str:
    """The secret given (SHORTEST_SECRET to LONGEST_SECRET printable characters, no spaces),
    or a new random one for None or empty; InvalidInput (field ``secret``) otherwise."""
    if not secret:
        return secrets.token_urlsafe(32)
    problem = None
    if not SHORTEST_SECRET <= len(secret) <= LONGEST_SECRET:
        problem = f"has {len(secret)} characters: {SHORTEST_SECRET} to {LONGEST_SECRET}"
    elif control_character(secret) is not None or any(c.isspace() for c in secret):
        problem = "holds a space or a control character"
    if problem is not None:
        reason = f"{problem} (or leave it empty for a random one)"
        raise InvalidInput(f"secret: {reason}", [{"field": "secret", "reason": reason}])
    return secret


def add_webhook(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    who: Who,
    url: str,
    events: Sequence[str] = (),
    format: str = "json",
    secret: str | None = None,
) -> Added:
    """A new webhook of the organisation (admins): its secret is the one given or a random
    one, returned this once; audited without it."""
    require_admin(role, org)
    url, chosen = check_url(url), check_events(events)
    format, secret = check_format(format), check_secret(secret)
    row = store.add_webhook(
        session, org_id=org.id, url=url, events=chosen, secret=secret, format=format,
        created_by=who.actor,
    )  # fmt: skip
    made = _webhook(row, None)
    _audit(session, org, who, row.id, "create", None, made)
    return Added(made, secret)


def list_webhooks(session: Session, *, org: OrganizationRow, role: str) -> list[Webhook]:
    """The organisation's webhooks, oldest first, each with its latest call (admins)."""
    require_admin(role, org)
    last = store.last_deliveries(session, org_id=org.id)
    return [_webhook(row, last.get(row.id)) for row in store.webhooks_of(session, org_id=org.id)]


def get_webhook(session: Session, *, org: OrganizationRow, role: str, webhook_id: int) -> Webhook:
    """One of the organisation's webhooks (admins); NotFound for none, or another's."""
    require_admin(role, org)
    row = _row(session, org, webhook_id)
    return _webhook(row, store.last_deliveries(session, org_id=org.id).get(row.id))


def remove_webhook(
    session: Session, *, org: OrganizationRow, role: str, who: Who, webhook_id: int
) -> Webhook:
    """Removes a webhook and its calls, queued or logged (admins); returns what it was."""
    require_admin(role, org)
    row = _row(session, org, webhook_id)
    gone = _webhook(row, None)
    store.delete_webhook(session, row=row)
    _audit(session, org, who, webhook_id, "delete", gone, None)
    return gone


def deliveries(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    webhook_id: int | None = None,
    limit: int = LOG_LENGTH,
) -> list[Delivery]:
    """The organisation's latest messages, newest first: e-mails and webhook calls, or the
    calls of one webhook (NotFound for none); admins."""
    require_admin(role, org)
    if webhook_id is not None:
        _row(session, org, webhook_id)
    rows = outbox.deliveries(session, org_id=org.id, limit=limit, webhook_id=webhook_id)
    return [delivery_of(row) for row in rows]


def prepare_test(
    session: Session, *, org: OrganizationRow, role: str, webhook_id: int, now: datetime
) -> CallToSend:
    """The test call to send to a webhook now (admins): the event ``webhook.test`` in the
    body every call has, to any webhook whatever events it chose."""
    require_admin(role, org)
    row = _row(session, org, webhook_id)
    delivery = str(uuid.uuid4())  # each test is a call of its own
    body = {
        "id": delivery, "event": TEST_EVENT, "occurred_at": now.isoformat(),
        "organization": org.slug,
        "subject": {"kind": "webhook", "id": str(row.id), "title": f"Test of webhook {row.id}",
                    "link": f"/orgs/{org.slug}/admin/webhooks"},
        "data": {"body": "If you read this, hoshin reaches this address."},
    }  # fmt: skip
    return CallToSend(row.id, row.url, row.secret, row.format, TEST_EVENT, delivery, body)


def record_test(
    session: Session,
    *,
    org: OrganizationRow,
    call: CallToSend,
    delivered: bool,
    code: int | None,
    error: str | None,
    now: datetime,
) -> Delivery:
    """Logs a test call's answer as an outbox message, sent or failed (never tried again),
    so that the delivery log shows it."""
    key = f"webhook|{call.webhook_id}|test|{call.delivery_id}"
    row = queued(org, key=key, channel="webhook", recipient=call.url, payload=call.body,
                 now=now, webhook_id=call.webhook_id)  # fmt: skip
    row.update(status="sent" if delivered else "failed", attempts=1, last_code=code,
               last_error=None if error is None else error[:1000],
               sent_at=now if delivered else None)  # fmt: skip
    insert_outbox(session, rows=[row])
    logged = outbox.deliveries(session, org_id=org.id, limit=1, webhook_id=call.webhook_id)
    return delivery_of(logged[0])


def delivery_of(row: OutboxRow) -> Delivery:
    """An outbox row as the log shows it."""
    payload = row.payload if isinstance(row.payload, dict) else {}
    error = row.last_error
    if error is not None and len(error) > ERROR_SHOWN:
        error = error[: ERROR_SHOWN - 1].rstrip() + "…"
    waiting = row.status == "pending"
    return Delivery(
        row.id, row.channel, row.webhook_id, str(payload.get("event") or ""), row.recipient,
        row.status, row.last_code, row.attempts, row.created_at,
        row.next_attempt_at if waiting else None, row.sent_at, error,
    )  # fmt: skip


def organization(session: Session, *, slug: str) -> OrganizationRow:
    """The organisation with this slug (for the command line); NotFound for none."""
    return get_organization(session, slug=slug)


def require_admin(role: str, org: OrganizationRow) -> None:
    """Raises Forbidden unless ``role`` manages the organisation (its admins)."""
    policy.require(role, Act.MANAGE_MEMBERS, "manage webhooks", where=org.slug)


def _row(session: Session, org: OrganizationRow, webhook_id: int) -> WebhookRow:
    row = store.find_webhook(session, org_id=org.id, webhook_id=webhook_id)
    if row is None:
        raise NotFound(f"no webhook {webhook_id} in {org.slug}")
    return row


def _webhook(row: WebhookRow, last: OutboxRow | None) -> Webhook:
    return Webhook(
        row.id, row.url, tuple(str(event) for event in row.events), row.format, row.created_by,
        row.created_at, None if last is None else delivery_of(last),
    )  # fmt: skip


def _audit(
    session: Session,
    org: OrganizationRow,
    who: Who,
    webhook_id: int,
    change: str,
    before: Webhook | None,
    after: Webhook | None,
) -> None:
    """The audit event of a webhook's change: its address, events and format, never the
    secret nor its deliveries."""

    def state(hook: Webhook | None) -> dict[str, Any] | None:
        if hook is None:
            return None
        return {"url": hook.url, "events": list(hook.events), "format": hook.format}

    record_event(
        session, org_id=org.id, actor=who.actor, entity="webhook", key=str(webhook_id),
        change=change, before=state(before), after=state(after), user_id=who.user_id,
        origin=who.origin,
    )  # fmt: skip


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
