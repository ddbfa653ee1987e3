"""An organisation's outgoing webhooks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hoshin.store.notification import WebhookRow


def webhooks_of(session: Session, *, org_id: int) -> list[WebhookRow]:
    """The organisation's webhooks, oldest first."""
    return list(
        session.scalars(
            select(WebhookRow).where(WebhookRow.org_id == org_id).order_by(WebhookRow.id)
        )
    )
