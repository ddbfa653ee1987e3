"""The outbox's delivery queries: which messages are due, claiming one (PostgreSQL, several
workers), marking each sent, to retry or failed, the delivery log, and the notifications a
daily digest gathers.

PostgreSQL: a worker claims one due message at a time with ``FOR UPDATE SKIP LOCKED`` and
keeps its row locked while it sends it, so other workers take the next ones; a worker that
dies mid-send loses its connection, the lock goes with it, and the row is pending again.
SQLite has one worker (runtime.notifier): it reads the due rows (``due_messages``), closes
that read and marks each message in a short write transaction of its own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from hoshin.store.base import table_of
from hoshin.store.notification import NotificationRow, OutboxRow, WebhookRow

PENDING, SENT, FAILED = "pending", "sent", "failed"
ERROR_LENGTH = 2000  # an answer's error text kept for the delivery log
IN_LIST = 1000  # keys per IN list
_OUTBOX = table_of(OutboxRow)
_COLUMNS = (  # Message's fields, in order
    OutboxRow.id, OutboxRow.org_id, OutboxRow.key, OutboxRow.channel, OutboxRow.recipient,
    OutboxRow.payload, OutboxRow.attempts, OutboxRow.created_at, WebhookRow.secret,
    WebhookRow.format,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Message:
    """A due message as the worker delivers it; a webhook call with its webhook's secret and
    format (None for an e-mail)."""

    id: int
    org_id: int
    key: str
    channel: str  # email, webhook
    recipient: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    secret: str | None
    format: str | None


def _due(now: datetime, channels: Collection[str], after: int) -> Select[Any]:
    return (
        select(*_COLUMNS)
        .outerjoin(WebhookRow, WebhookRow.id == OutboxRow.webhook_id)
        .where(
            OutboxRow.status == PENDING,
            OutboxRow.next_attempt_at <= now,
            OutboxRow.channel.in_(channels),
            OutboxRow.id > after,
        )
        .order_by(OutboxRow.id)
    )


def _message(row: Any) -> Message:
    return Message(*row)


def due_messages(
    session: Session, *, now: datetime, channels: Collection[str], after: int = 0, limit: int
) -> list[Message]:
    """Up to ``limit`` pending messages of ``channels`` due by ``now`` with an id above
    ``after``, oldest first, unlocked (SQLite's single worker)."""
    return [_message(row) for row in session.execute(_due(now, channels, after).limit(limit))]


def claim_message(
    session: Session, *, now: datetime, channels: Collection[str], after: int = 0
) -> Message | None:
    """The oldest due message with an id above ``after`` that no other worker holds, its row
    locked until ``session``'s transaction ends (PostgreSQL: FOR UPDATE SKIP LOCKED); None
    when every due message is taken or there is none."""
    query = _due(now, channels, after).limit(1).with_for_update(skip_locked=True, of=OutboxRow)
    row = session.execute(query).first()
    return None if row is None else _message(row)


def _mark(session: Session, message_id: int, **values: Any) -> bool:
    statement = (
        update(_OUTBOX)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.status == PENDING)
        .values(attempts=_OUTBOX.c.attempts + 1, **values)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def mark_sent(session: Session, *, message_id: int, code: int | None, now: datetime) -> bool:
    """Records a delivered message; False when it was not pending any more."""
    return _mark(session, message_id, status=SENT, last_code=code, last_error=None, sent_at=now)


def mark_retry(
    session: Session,
    *,
    message_id: int,
    next_attempt_at: datetime,
    code: int | None,
    error: str,
) -> bool:
    """Records a failed try to be made again at ``next_attempt_at``."""
    return _mark(
        session, message_id, next_attempt_at=next_attempt_at, last_code=code,
        last_error=error[:ERROR_LENGTH],
    )  # fmt: skip


def mark_failed(session: Session, *, message_id: int, code: int | None, error: str) -> bool:
    """Records a message given up: a permanent refusal, or tries failing for 24 hours."""
    return _mark(
        session, message_id, status=FAILED, last_code=code, last_error=error[:ERROR_LENGTH]
    )


def give_up_unsent(session: Session, *, channel: str, queued_before: datetime, error: str) -> int:
    """Marks failed, untried, the pending messages of ``channel`` queued before
    ``queued_before`` (e-mails while e-mail is off); returns how many."""
    statement = (
        update(_OUTBOX)
        .where(
            _OUTBOX.c.status == PENDING,
            _OUTBOX.c.channel == channel,
            _OUTBOX.c.created_at < queued_before,
        )
        .values(status=FAILED, last_error=error[:ERROR_LENGTH])
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def pending_count(session: Session, *, channel: str) -> int:
    """How many messages of ``channel`` wait to be delivered (due or not)."""
    query = select(func.count()).where(OutboxRow.status == PENDING, OutboxRow.channel == channel)
    return int(session.scalar(query) or 0)


def deliveries(
    session: Session,
    *,
    org_id: int,
    limit: int = 50,
    channel: str | None = None,
    webhook_id: int | None = None,
) -> list[OutboxRow]:
    """The delivery log: the organisation's latest messages (status, attempts, last answer
    code and error), newest first; only one channel's or one webhook's when given."""
    query = select(OutboxRow).where(OutboxRow.org_id == org_id)
    if channel is not None:
        query = query.where(OutboxRow.channel == channel)
    if webhook_id is not None:
        query = query.where(OutboxRow.webhook_id == webhook_id)
    return list(session.scalars(query.order_by(OutboxRow.id.desc()).limit(limit)))


def digest_notifications(
    session: Session, *, org_id: int, since: datetime, until: datetime
) -> list[NotificationRow]:
    """The organisation's notifications kept for a daily digest, created in [since, until),
    by person and then in the order they were told."""
    query = (
        select(NotificationRow)
        .where(
            NotificationRow.org_id == org_id,
            NotificationRow.digest,
            NotificationRow.created_at >= since,
            NotificationRow.created_at < until,
        )
        .order_by(NotificationRow.person, NotificationRow.id)
    )
    return list(session.scalars(query))
