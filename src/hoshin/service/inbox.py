"""A person's notifications (the bell): newest first, a page at a time, how many are unread,
and marking them read. A person sees and marks only their own, in one organisation; another
person's notification is not found, as an id that does not exist.

Marking read is the reader's own state, like a token's last use: it changes nothing of the
plan or of anyone else, so it is no audit event (service.preferences' choices are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.notices import EVENT_LABELS, EVENTS
from hoshin.errors import NotFound
from hoshin.store import inbox as store
from hoshin.store.notification import NotificationRow
from hoshin.store.organization import OrganizationRow


@dataclass(frozen=True, slots=True)
class Inbox:
    """A page of a person's notifications, newest first, with the totals the page shows."""

    items: list[dict[str, Any]]
    total: int  # of the list asked for (the unread ones only, when asked so)
    unread: int
    limit: int
    offset: int


def notification_state(row: NotificationRow) -> dict[str, Any]:
    """A notification as JSON values."""
    event = row.event if row.event in EVENTS else None
    return {
        "id": row.id, "event": row.event,
        "event_label": EVENT_LABELS[event] if event is not None else row.event,
        "title": row.title, "body": row.body, "link": row.link, "item_kind": row.item_kind,
        "item": row.item, "period": row.period, "created_at": row.created_at.isoformat(),
        "read": row.read_at is not None,
        "read_at": row.read_at.isoformat() if row.read_at is not None else None,
    }  # fmt: skip


def unread_count(session: Session, *, org: OrganizationRow, person: str) -> int:
    """How many of the person's in-app notifications are unread (the bell's number): one
    indexed query."""
    return store.count_notifications(session, org_id=org.id, person=person, unread_only=True)


def list_notifications(
    session: Session,
    *,
    org: OrganizationRow,
    person: str,
    unread_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Inbox:
    """A page of the person's in-app notifications, newest first."""
    rows = store.notifications_of(
        session, org_id=org.id, person=person, unread_only=unread_only, limit=limit,
        offset=offset,
    )  # fmt: skip
    total = store.count_notifications(
        session, org_id=org.id, person=person, unread_only=unread_only
    )
    unread = total if unread_only else unread_count(session, org=org, person=person)
    return Inbox([notification_state(row) for row in rows], total, unread, limit, offset)


def get_notification(
    session: Session, *, org: OrganizationRow, person: str, notification_id: int
) -> NotificationRow:
    """One of the person's notifications; NotFound for an unknown id or another's."""
    row = store.find_notification(
        session, org_id=org.id, person=person, notification_id=notification_id
    )
    if row is None:
        raise NotFound(f"no notification {notification_id}")
    return row


def mark_read(
    session: Session, *, org: OrganizationRow, person: str, notification_id: int, now: datetime
) -> dict[str, Any]:
    """Marks one of the person's notifications read (read before: it stays as it was) and
    returns it; NotFound for an unknown id or another's."""
    row = get_notification(session, org=org, person=person, notification_id=notification_id)
    if row.read_at is None:
        store.mark_read(session, org_id=org.id, person=person, now=now, ids=[row.id])
        session.refresh(row)
    return notification_state(row)


def mark_all_read(session: Session, *, org: OrganizationRow, person: str, now: datetime) -> int:
    """Marks every unread notification of the person read; returns how many there were."""
    return store.mark_read(session, org_id=org.id, person=person, now=now)
