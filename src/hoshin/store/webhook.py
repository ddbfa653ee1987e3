"""An organisation's outgoing webhooks and their latest calls (the whole delivery log is
store.outbox.deliveries)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hoshin.store.notification import OutboxRow, WebhookRow


def webhooks_of(session: Session, *, org_id: int) -> list[WebhookRow]:
    """The organisation's webhooks, oldest first."""
    return list(
        session.scalars(
            select(WebhookRow).where(WebhookRow.org_id == org_id).order_by(WebhookRow.id)
        )
    )


def find_webhook(session: Session, *, org_id: int, webhook_id: int) -> WebhookRow | None:
    """The organisation's webhook with this id, or None (another organisation's is None)."""
    return session.scalars(
        select(WebhookRow).where(WebhookRow.org_id == org_id, WebhookRow.id == webhook_id)
    ).first()


def add_webhook(
    session: Session,
    *,
    org_id: int,
    url: str,
    events: list[str],
    secret: str,
    format: str,
    created_by: str,
) -> WebhookRow:
    """A new webhook of the organisation (flushed: it has its id)."""
    row = WebhookRow(
        org_id=org_id, url=url, events=events, secret=secret, format=format,
        created_by=created_by,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def delete_webhook(session: Session, *, row: WebhookRow) -> None:
    """Deletes a webhook; its queued and logged calls go with it (ON DELETE CASCADE)."""
    session.delete(row)
    session.flush()


def last_deliveries(session: Session, *, org_id: int) -> dict[int, OutboxRow]:
    """The latest call queued to each of the organisation's webhooks, by webhook id."""
    latest = (
        select(func.max(OutboxRow.id))
        .where(OutboxRow.org_id == org_id, OutboxRow.webhook_id.is_not(None))
        .group_by(OutboxRow.webhook_id)
    )
    rows = session.scalars(select(OutboxRow).where(OutboxRow.id.in_(latest)))
    return {row.webhook_id: row for row in rows if row.webhook_id is not None}
