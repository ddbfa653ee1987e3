"""The audit trail: who changed what, when, with the state before and after."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, and_, func, insert, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import KEY_LENGTH, Base, now, table_of
from hoshin.store.unit import PersonRow
from hoshin.store.user import UserRow


class AuditEventRow(Base):
    """One change: to an entity of an organisation's plan, to its members, or (without an
    organisation) to an account."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_org_id_plan_version", "org_id", "plan_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )  # None: an account event (a user, a password, a token) of no one organisation
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor: Mapped[str] = mapped_column(String(200))  # a user's email, or "cli:<os user>"
    entity: Mapped[str] = mapped_column(String(40))  # objective, metric, actual, ...
    key: Mapped[str] = mapped_column(String(KEY_LENGTH * 2), index=True)
    change: Mapped[str] = mapped_column(String(20))  # create, update, delete, import
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    plan_version: Mapped[int | None]  # the organisation's plan version this change made
    origin: Mapped[str | None] = mapped_column(String(200))  # client address, or "cli"


def record_event(
    session: Session,
    *,
    org_id: int | None,
    actor: str,
    entity: str,
    key: str,
    change: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    user_id: int | None = None,
    plan_version: int | None = None,
    origin: str | None = None,
) -> None:
    """Writes an audit event in the session's transaction (it is committed with the change);
    ``org_id`` None for an account event of no one organisation."""
    event = {"actor": actor, "entity": entity, "key": key, "change": change, "before": before,
             "after": after, "user_id": user_id, "origin": origin}  # fmt: skip
    record_events(session, org_id=org_id, plan_version=plan_version, events=[event])


def record_events(
    session: Session,
    *,
    org_id: int | None,
    plan_version: int | None,
    events: Sequence[Mapping[str, Any]],
) -> None:
    """Writes audit events of one plan version in one statement; each names record_event's
    actor, entity, key, change, before, after and user_id, and may name its origin.

    A Core INSERT rather than objects for the session to flush: the unit of work cost a
    check-in more than the statement itself."""
    rows = [
        {"origin": None, **event, "org_id": org_id, "plan_version": plan_version}
        for event in events
    ]
    session.execute(_INSERT_EVENTS, rows)


_INSERT_EVENTS = insert(table_of(AuditEventRow))  # built once: every change writes events


def list_events(
    session: Session, *, org_id: int, entity: str | None = None, key: str | None = None
) -> list[AuditEventRow]:
    """The events of an organisation, oldest first, optionally of one entity."""
    query = select(AuditEventRow).where(AuditEventRow.org_id == org_id)
    if entity is not None:
        query = query.where(AuditEventRow.entity == entity)
    if key is not None:
        query = query.where(AuditEventRow.key == key)
    return list(session.scalars(query.order_by(AuditEventRow.id)))


def events_after(
    session: Session, *, org_id: int | None, since: datetime | None, after_id: int, limit: int
) -> list[AuditEventRow]:
    """Up to ``limit`` events of an organisation (``org_id`` None: the account events of no
    organisation) with an id above ``after_id``, at or after ``since``, oldest first: a page
    of the trail, and the next one starts after its last id (no OFFSET to skip through)."""
    query = select(AuditEventRow).where(
        AuditEventRow.org_id.is_(None) if org_id is None else AuditEventRow.org_id == org_id,
        AuditEventRow.id > after_id,
    )
    if since is not None:
        query = query.where(AuditEventRow.at >= since)
    return list(session.scalars(query.order_by(AuditEventRow.id).limit(limit)))


def page_events(
    session: Session,
    *,
    org_id: int,
    entity: str | None = None,
    key: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEventRow], int]:
    """A page of an organisation's events, newest first, and how many match in all."""
    query = select(AuditEventRow).where(AuditEventRow.org_id == org_id)
    if entity is not None:
        query = query.where(AuditEventRow.entity == entity)
    if key is not None:
        query = query.where(AuditEventRow.key == key)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEventRow.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def related_events(
    session: Session, *, org_id: int, keys: Mapping[str, Collection[str]], limit: int
) -> list[AuditEventRow]:
    """The latest ``limit`` events of an organisation about any of ``keys`` (the keys of each
    entity, by entity), newest first."""
    wanted = [
        and_(AuditEventRow.entity == entity, AuditEventRow.key.in_(sorted(some)))
        for entity, some in keys.items()
        if some
    ]
    if not wanted:
        return []
    query = select(AuditEventRow).where(AuditEventRow.org_id == org_id, or_(*wanted))
    return list(session.scalars(query.order_by(AuditEventRow.id.desc()).limit(limit)))


def actor_names(session: Session, *, org_id: int, emails: Collection[str]) -> dict[str, str]:
    """The names of the users with these emails, as the organisation knows them: the name of
    the person of its plan they are linked to, else of the person with their email, else
    the user's own name; users with none of these are left out."""
    if not emails:
        return {}
    wanted = sorted(emails)
    users = session.execute(
        select(UserRow.email, UserRow.name, UserRow.person).where(UserRow.email.in_(wanted))
    ).all()
    names = {email: name for email, name, _ in users if name}
    people = session.execute(
        select(PersonRow.key, PersonRow.email, PersonRow.name).where(
            PersonRow.org_id == org_id,
            or_(
                PersonRow.email.in_(wanted),
                PersonRow.key.in_(sorted({person for *_, person in users if person})),
            ),
        )
    ).all()
    names |= {
        email: name for _, email, name in people if email is not None and email in emails and name
    }
    by_key = {key: name for key, _, name in people if name}
    # the link an admin made wins over an email that happens to match
    names |= {email: by_key[person] for email, _, person in users if person in by_key}
    return names
