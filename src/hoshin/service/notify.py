"""Telling people: notices become notifications (the bell) and queued e-mails, as each
person chose, once per key, and at most one reminder per person and item a day; events of
the organisation become queued webhook calls. Both are written in the caller's transaction,
so a change and what it tells are saved together or not at all; ``hoshin worker`` delivers.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.notices import (
    CHOICES,
    DEFAULT_CHOICE,
    EVENTS,
    REMINDERS,
    Choice,
    Event,
    Notice,
    channels_of,
)
from hoshin.store.notification import (
    NotificationSettingsRow,
    add_settings,
    addresses_of,
    insert_notifications,
    insert_outbox,
    reminded_since,
    settings_of,
    told_keys,
)
from hoshin.store.organization import OrganizationRow
from hoshin.store.webhook import webhooks_of


@dataclass(frozen=True, slots=True)
class Preferences:
    """A person's notification choices (the defaults until they choose)."""

    person: str
    channels: Mapping[Event, Choice]
    daily_digest: bool = False
    weekly_digest: bool = True
    calendar: bool = False  # whether they have a calendar feed
    version: int = 0  # 0: never saved

    def choice(self, event: Event) -> Choice:
        """How this person is told of ``event``; the weekly digest off is "none"."""
        if event == "digest" and not self.weekly_digest:
            return "none"
        return self.channels.get(event, DEFAULT_CHOICE)


def preferences_of(row: NotificationSettingsRow | None, person: str) -> Preferences:
    """The preferences a settings row holds (the defaults for no row)."""
    if row is None:
        return Preferences(person, {event: DEFAULT_CHOICE for event in EVENTS})
    chosen = {e: c for e, c in row.channels.items() if e in EVENTS and c in CHOICES}
    channels: dict[Event, Choice] = {event: DEFAULT_CHOICE for event in EVENTS}
    channels.update(chosen)
    return Preferences(
        person, channels, row.daily_digest, row.weekly_digest,
        row.calendar_token_hash is not None, row.version,
    )  # fmt: skip


def tell(
    session: Session, *, org: OrganizationRow, notices: Sequence[Notice], now: datetime
) -> list[Notice]:
    """Writes the notices as each person chose and returns those told now. Not told: a
    notice whose key was told before (an actual still due on a later pass), one its person
    chose to hear nothing of, and a reminder after another of the day on the same item (the
    quiet rule, which only notices actually told count for)."""
    if not notices:
        return []
    known = told_keys(session, org_id=org.id, keys=[notice.key for notice in notices])
    new = [notice for notice in notices if notice.key not in known]
    people = {notice.person for notice in new}
    chosen = settings_of(session, org_id=org.id, people=people)
    prefs = {person: preferences_of(chosen.get(person), person) for person in people}
    wanted = [n for n in new if any(channels_of(prefs[n.person].choice(n.event)))]
    kept = _quiet(session, org=org, notices=wanted, now=now)
    rows, mailed = [], []
    for notice in kept:
        by_email, in_app = channels_of(prefs[notice.person].choice(notice.event))
        daily = by_email and prefs[notice.person].daily_digest and notice.event != "digest"
        rows.append(_notification(org, notice, in_app=in_app, digest=daily, now=now))
        if by_email and not daily:
            mailed.append(notice)
    inserted = insert_notifications(session, rows=rows)
    told = [notice for notice in kept if notice.key in inserted]
    mails = [n for n in mailed if n.key in inserted]
    _queue_mails(session, org=org, notices=mails, chosen=chosen, now=now)
    return told


def _quiet(
    session: Session, *, org: OrganizationRow, notices: Sequence[Notice], now: datetime
) -> list[Notice]:
    """The notices the quiet rule lets through: one reminder per person and item a day."""
    reminding = {notice.person for notice in notices if notice.reminder}
    if not reminding:
        return list(notices)
    midnight = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)
    seen = reminded_since(
        session, org_id=org.id, people=reminding, events=REMINDERS, since=midnight
    )
    kept = []
    for notice in notices:
        if notice.reminder:
            item = (notice.person, notice.item_kind, notice.item)
            if item in seen:
                continue
            seen.add(item)
        kept.append(notice)
    return kept


def _notification(
    org: OrganizationRow, notice: Notice, *, in_app: bool, digest: bool, now: datetime
) -> dict[str, Any]:
    return {
        "org_id": org.id, "key": notice.key, "person": notice.person, "event": notice.event,
        "item_kind": notice.item_kind, "item": notice.item, "period": notice.period,
        "title": notice.title, "body": notice.body, "link": notice.link,
        "data": dict(notice.data), "in_app": in_app, "digest": digest, "created_at": now,
    }  # fmt: skip


def _queue_mails(
    session: Session,
    *,
    org: OrganizationRow,
    notices: Sequence[Notice],
    chosen: Mapping[str, NotificationSettingsRow],
    now: datetime,
) -> None:
    """Queues one e-mail per notice to its person's address (people without one are told
    in-app only); ``chosen``: the settings rows tell read."""
    if not notices:
        return
    people = {notice.person for notice in notices}
    addresses = addresses_of(session, org_id=org.id, people=people)
    tokens = unsubscribe_tokens(session, org=org, people=set(addresses), now=now, known=chosen)
    rows = []
    for notice in notices:
        if notice.person not in addresses:
            continue
        name, address = addresses[notice.person]
        items = [_item(notice)]
        subject = notice.title if notice.event != "digest" else f"Your week in {org.name}"
        payload = mail_payload(org, subject=subject, name=name, items=items,
                               event=notice.event, token=tokens[notice.person])  # fmt: skip
        if notice.event == "digest":
            payload.update(digest=True, sections=dict(notice.data))
        rows.append(queued(org, key=f"email|{notice.key}", channel="email",
                           recipient=address, payload=payload, now=now))  # fmt: skip
    insert_outbox(session, rows=rows)


def _item(notice: Notice) -> dict[str, str]:
    return {"title": notice.title, "body": notice.body, "link": notice.link}


def mail_payload(
    org: OrganizationRow,
    *,
    subject: str,
    name: str,
    items: list[dict[str, str]],
    event: str,
    token: str,
) -> dict[str, Any]:
    """What service.mail composes an e-mail from."""
    return {
        "subject": subject, "greeting_name": name, "org": org.name, "slug": org.slug,
        "items": items, "digest": False, "unsubscribe": token, "event": event,
    }  # fmt: skip


def queued(
    org: OrganizationRow,
    *,
    key: str,
    channel: str,
    recipient: str,
    payload: Mapping[str, Any],
    now: datetime,
    webhook_id: int | None = None,
) -> dict[str, Any]:
    """An outbox row's columns for a message to deliver from ``now`` on."""
    return {
        "org_id": org.id, "key": key, "channel": channel, "webhook_id": webhook_id,
        "recipient": recipient, "payload": dict(payload), "status": "pending", "attempts": 0,
        "next_attempt_at": now, "created_at": now,
    }  # fmt: skip


def unsubscribe_tokens(
    session: Session,
    *,
    org: OrganizationRow,
    people: set[str],
    now: datetime,
    known: Mapping[str, NotificationSettingsRow] | None = None,
) -> dict[str, str]:
    """The unsubscribe token of each person, made (with their default settings) for those
    who have none yet; ``known``: their settings rows as the caller read them already."""
    if known is None:
        rows = settings_of(session, org_id=org.id, people=people)
    else:
        rows = {person: row for person, row in known.items() if person in people}
    new = [
        {"org_id": org.id, "person": person, "channels": {}, "daily_digest": False,
         "weekly_digest": True, "unsubscribe_token": secrets.token_urlsafe(32),
         "updated_at": now, "version": 1}
        for person in people - set(rows)
    ]  # fmt: skip
    if new:
        add_settings(session, rows=new)
        rows = settings_of(session, org_id=org.id, people=people)
    return {person: row.unsubscribe_token for person, row in rows.items()}


def publish(
    session: Session,
    *,
    org: OrganizationRow,
    events: Iterable[tuple[str, str, Mapping[str, Any], str]],
    now: datetime,
) -> int:
    """Queues a call to each of the organisation's webhooks that subscribe to each event
    (event name, subject, data, idempotency key); returns how many were queued now."""
    hooks = webhooks_of(session, org_id=org.id)
    if not hooks:
        return 0
    rows = []
    for event, subject, data, key in events:
        for hook in hooks:
            if hook.events and event not in hook.events:
                continue
            delivery = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{org.id}|{hook.id}|{key}"))
            body = {
                "id": delivery, "event": event, "occurred_at": now.isoformat(),
                "organization": org.slug, "subject": subject, "data": dict(data),
            }  # fmt: skip
            rows.append(queued(org, key=f"webhook|{hook.id}|{key}", channel="webhook",
                               recipient=hook.url, payload=body, now=now,
                               webhook_id=hook.id))  # fmt: skip
    return len(insert_outbox(session, rows=rows))
