"""What people are told: notifications (the in-app bell and the record of every message),
the outbox that delivers e-mails and webhook calls, an organisation's webhooks, and each
person's notification settings.

Notifications and settings name people by plan id without a foreign key: a plan import
replaces every person row, and a person's messages and choices outlive a plan that drops
them (as reviews and comments do, store/review.py).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    cast,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import KEY_LENGTH, Base, key_column, now, org_column, table_of
from hoshin.store.unit import PersonRow
from hoshin.store.user import MembershipRow, UserRow

NOTICE_KEY_LENGTH = 400  # event|person|item kind:item|period (domain.notices.notice_key)


class NotificationRow(Base):
    """One thing a person was told, once: ``key`` (event, person, item, period) is the
    idempotency key that makes a second scheduler pass or a repeated change tell nothing new."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        Index("ix_notifications_org_id_person_read_at", "org_id", "person", "read_at"),
        Index("ix_notifications_org_id_created_at", "org_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = mapped_column(String(NOTICE_KEY_LENGTH))
    person: Mapped[str] = key_column()  # the recipient's plan id
    event: Mapped[str] = mapped_column(String(40))  # domain.notices.EVENTS
    item_kind: Mapped[str] = mapped_column(String(20))  # metric, action, catchball, ...
    item: Mapped[str] = mapped_column(String(KEY_LENGTH * 2))
    period: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")  # a path under HOSHIN_BASE_URL
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    in_app: Mapped[bool] = mapped_column(default=True)  # shown under the bell
    digest: Mapped[bool] = mapped_column(default=False)  # e-mailed in the day's digest
    created_at: Mapped[datetime] = mapped_column(default=now)
    read_at: Mapped[datetime | None]


class OutboxRow(Base):
    """A message to deliver (an e-mail or a webhook call), written in the same transaction as
    the change that caused it and delivered by ``hoshin worker``; ``key`` makes it once."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = mapped_column(String(NOTICE_KEY_LENGTH + 40))
    channel: Mapped[str] = mapped_column(String(10))  # email, webhook
    webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(Text)  # an e-mail address or the webhook's URL
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    last_code: Mapped[int | None]  # the answer's status code (SMTP or HTTP)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]


class WebhookRow(Base):
    """An organisation's outgoing webhook: where to post which events, signed with a secret."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[Any]] = mapped_column(default=list)  # empty: every event
    secret: Mapped[str] = mapped_column(Text)  # the HMAC key: it must be read to sign
    format: Mapped[str] = mapped_column(String(10), default="json")  # json, slack, teams
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)


class NotificationSettingsRow(Base):
    """A person's choices: per event, e-mail, in-app, both or none; e-mails gathered in a
    daily digest; the weekly digest; the secrets of their unsubscribe and calendar links."""

    __tablename__ = "notification_settings"
    __table_args__ = (UniqueConstraint("org_id", "person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    person: Mapped[str] = key_column()
    channels: Mapped[dict[str, Any]] = mapped_column(default=dict)  # event -> choice
    daily_digest: Mapped[bool] = mapped_column(default=False)
    weekly_digest: Mapped[bool] = mapped_column(default=True)
    # In unsubscribe links, so kept as is: it can only turn e-mails off.
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1)


_NOTIFICATIONS = table_of(NotificationRow)
_OUTBOX = table_of(OutboxRow)
_SETTINGS = table_of(NotificationSettingsRow)
_INSERT_NOTIFICATIONS = {  # by "is it PostgreSQL": INSERT ... ON CONFLICT DO NOTHING
    postgres: (postgresql_insert if postgres else sqlite_insert)(_NOTIFICATIONS)
    .on_conflict_do_nothing()
    .returning(_NOTIFICATIONS.c.key)
    for postgres in (False, True)
}
_INSERT_OUTBOX = {
    postgres: (postgresql_insert if postgres else sqlite_insert)(_OUTBOX)
    .on_conflict_do_nothing()
    .returning(_OUTBOX.c.key)
    for postgres in (False, True)
}
_INSERT_SETTINGS = {
    postgres: (postgresql_insert if postgres else sqlite_insert)(_SETTINGS).on_conflict_do_nothing()
    for postgres in (False, True)
}
CHUNK = 1000  # rows per INSERT and keys per IN list


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_notifications(session: Session, *, rows: Sequence[Mapping[str, Any]]) -> set[str]:
    """Inserts notifications (each a dict of NotificationRow's columns); returns the keys of
    those inserted: one whose key the organisation has already keeps the first."""
    inserted: set[str] = set()
    postgres = _postgres(session)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if postgres:
            found = session.execute(_UNNESTED_NOTIFICATIONS, _as_arrays(chunk))
        else:
            found = session.execute(_INSERT_NOTIFICATIONS[False], list(chunk))
        inserted.update(key for (key,) in found)
    return inserted


# PostgreSQL: the rows as one array per column, unnested into an INSERT ... SELECT. The
# many-rows INSERT that SQLAlchemy writes otherwise is a statement of 14,000 parameters per
# 1,000 rows, which psycopg parses anew each time (it caches only short statements): that
# parsing was half of a scheduler pass (BENCHMARKS.md, the worker).
_ARRAY_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("org_id", Integer()), ("key", String()), ("person", String()), ("event", String()),
    ("item_kind", String()), ("item", String()), ("period", String()), ("title", Text()),
    ("body", Text()), ("link", Text()), ("data", Text()), ("in_app", Boolean()),
    ("digest", Boolean()), ("created_at", DateTime(timezone=True)),
)  # fmt: skip
_UNNESTED_NOTIFICATIONS = (
    postgresql_insert(_NOTIFICATIONS)
    .from_select(
        [name for name, _ in _ARRAY_COLUMNS],
        select(
            *(
                cast(func.unnest(bindparam(name, type_=ARRAY(kind))), JSON())
                if name == "data"
                else func.unnest(bindparam(name, type_=ARRAY(kind)))
                for name, kind in _ARRAY_COLUMNS
            )
        ),
    )
    .on_conflict_do_nothing()
    .returning(_NOTIFICATIONS.c.key)
)


def _as_arrays(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The rows' columns as lists (the data as JSON text), for _UNNESTED_NOTIFICATIONS."""
    arrays: dict[str, list[Any]] = {name: [] for name, _ in _ARRAY_COLUMNS}
    for row in rows:
        for name, values in arrays.items():
            values.append(json.dumps(row[name]) if name == "data" else row[name])
    return arrays


def insert_outbox(session: Session, *, rows: Sequence[Mapping[str, Any]]) -> set[str]:
    """Queues messages (each a dict of OutboxRow's columns); returns the keys queued now: a
    key queued before (a second pass, a repeated change) is not queued again."""
    inserted: set[str] = set()
    statement = _INSERT_OUTBOX[_postgres(session)]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        inserted.update(key for (key,) in session.execute(statement, list(chunk)))
    return inserted


def reminded_since(
    session: Session,
    *,
    org_id: int,
    people: Collection[str],
    events: Collection[str],
    since: datetime,
) -> set[tuple[str, str, str]]:
    """(person, item kind, item) of these people's notices of ``events`` since ``since``."""
    query = select(NotificationRow.person, NotificationRow.item_kind, NotificationRow.item).where(
        NotificationRow.org_id == org_id,
        NotificationRow.created_at >= since,
        NotificationRow.event.in_(events),
    )
    if len(people) <= CHUNK:  # beyond that, the organisation's day is fewer queries
        query = query.where(NotificationRow.person.in_(people))
    wanted = set(people)
    return {(p, kind, item) for p, kind, item in session.execute(query) if p in wanted}


def told_keys(session: Session, *, org_id: int, keys: Collection[str]) -> set[str]:
    """Which of these notice keys the organisation's notifications hold already: a notice
    told on an earlier day (an actual still due) is not new, and must not take the day's
    one reminder on its item from one that is (its escalation)."""
    wanted = list(keys)
    found: set[str] = set()
    postgres = _postgres(session)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(NotificationRow.key).where(NotificationRow.org_id == org_id)
        if postgres:
            # PostgreSQL plans `key IN (1,000 keys)` as a scan of the organisation's rows
            # (all of them, in one organisation's database), which grows with every pass;
            # joined to the keys as a table it looks each one up in the unique index.
            listed = func.unnest(cast(chunk, ARRAY(String))).table_valued("key")
            listed = listed.render_derived()
            query = query.join(listed, NotificationRow.key == listed.c.key)
        else:
            query = query.where(NotificationRow.key.in_(chunk))
        found.update(session.scalars(query))
    return found


def settings_of(
    session: Session, *, org_id: int, people: Collection[str]
) -> dict[str, NotificationSettingsRow]:
    """The notification settings of these people (those who have any), by plan id."""
    query = select(NotificationSettingsRow).where(NotificationSettingsRow.org_id == org_id)
    if len(people) <= CHUNK:  # beyond that, the organisation's rows are fewer queries
        query = query.where(NotificationSettingsRow.person.in_(people))
    wanted = set(people)
    return {row.person: row for row in session.scalars(query) if row.person in wanted}


def add_settings(session: Session, *, rows: Sequence[Mapping[str, Any]]) -> None:
    """Creates settings rows (dicts of NotificationSettingsRow's columns) for people who have
    none; a person who has one (created meanwhile) keeps theirs."""
    statement = _INSERT_SETTINGS[_postgres(session)]
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, list(rows[start : start + CHUNK]))


def find_settings_by_unsubscribe(session: Session, *, token: str) -> NotificationSettingsRow | None:
    """The settings whose unsubscribe link carries ``token``, or None."""
    return session.scalars(
        select(NotificationSettingsRow).where(NotificationSettingsRow.unsubscribe_token == token)
    ).first()


def addresses_of(
    session: Session, *, org_id: int, people: Collection[str]
) -> dict[str, tuple[str, str]]:
    """(name, e-mail address) of these people: the plan's address, else the address of the
    member account linked to them; people with neither are left out."""
    query = select(PersonRow.key, PersonRow.name, PersonRow.email).where(PersonRow.org_id == org_id)
    if len(people) <= CHUNK:
        query = query.where(PersonRow.key.in_(people))
    wanted = set(people)
    found: dict[str, tuple[str, str]] = {}
    missing: dict[str, str] = {}
    for key, name, email in session.execute(query):
        if key not in wanted:
            continue
        if email:
            found[key] = (name, email)
        else:
            missing[key] = name
    if missing:
        linked = (
            select(UserRow.person, UserRow.email)
            .join(MembershipRow, MembershipRow.user_id == UserRow.id)
            .where(MembershipRow.org_id == org_id, UserRow.active, UserRow.person.is_not(None))
        )
        for person, email in session.execute(linked):
            if person in missing:
                found[person] = (missing[person], email)
    return found
