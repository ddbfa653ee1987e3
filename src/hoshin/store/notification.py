"""What people are told: notifications (the in-app bell and the record of every message),
the outbox that delivers e-mails and webhook calls, an organisation's webhooks, and each
person's notification settings.

Notifications and settings name people by plan id without a foreign key: a plan import
replaces every person row, and a person's messages and choices outlive a plan that drops
them (as reviews and comments do, store/review.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hoshin.store.base import KEY_LENGTH, Base, key_column, now, org_column

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
