"""A person's inbox: the notifications shown under the bell (in-app ones), newest first,
how many are unread, and marking them read; and whose settings an unsubscribe link names.
Every inbox query names the organisation and the person, so no one reads or marks another's."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from hoshin.store.notification import NotificationRow, NotificationSettingsRow
from hoshin.store.organization import OrganizationRow


def _theirs(org_id: int, person: str, unread_only: bool = False) -> list[ColumnElement[bool]]:
    """The conditions of a person's in-app notifications (ix_notifications_org_id_person_read_at
    finds them: org_id, person, then read_at for the unread)."""
    conditions = [
        NotificationRow.org_id == org_id,
        NotificationRow.person == person,
        NotificationRow.in_app.is_(True),
    ]
    if unread_only:
        conditions.append(NotificationRow.read_at.is_(None))
    return conditions


def notifications_of(
    session: Session, *, org_id: int, person: str, unread_only: bool, limit: int, offset: int
) -> list[NotificationRow]:
    """A page of a person's in-app notifications, newest first (the later id first among
    those of one moment)."""
    query = (
        select(NotificationRow)
        .where(*_theirs(org_id, person, unread_only))
        .order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def count_notifications(session: Session, *, org_id: int, person: str, unread_only: bool) -> int:
    """How many in-app notifications a person has (unread ones only: the bell's number)."""
    query = select(func.count()).select_from(NotificationRow)
    return int(session.scalar(query.where(*_theirs(org_id, person, unread_only))) or 0)


def find_notification(
    session: Session, *, org_id: int, person: str, notification_id: int
) -> NotificationRow | None:
    """One of a person's in-app notifications by id, or None (another's is None too)."""
    query = select(NotificationRow).where(
        NotificationRow.id == notification_id, *_theirs(org_id, person)
    )
    return session.scalars(query).first()


def mark_read(
    session: Session,
    *,
    org_id: int,
    person: str,
    now: datetime,
    ids: Collection[int] | None = None,
) -> int:
    """Marks a person's unread in-app notifications read (only ``ids``, when given); returns
    how many were unread. One read before keeps the moment it was first read."""
    statement = (
        update(NotificationRow)
        .where(*_theirs(org_id, person, unread_only=True))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        statement = statement.where(NotificationRow.id.in_(list(ids)))
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def unsubscribing(
    session: Session, *, token: str
) -> tuple[NotificationSettingsRow, OrganizationRow] | None:
    """The settings whose unsubscribe link carries ``token`` and their organisation, or None."""
    query = (
        select(NotificationSettingsRow, OrganizationRow)
        .join(OrganizationRow, OrganizationRow.id == NotificationSettingsRow.org_id)
        .where(NotificationSettingsRow.unsubscribe_token == token)
    )
    found = session.execute(query).first()
    return None if found is None else (found[0], found[1])
