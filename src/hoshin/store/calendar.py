"""What a person's calendar feed reads: whose feed a secret opens, and the review meetings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hoshin.store.notification import NotificationSettingsRow
from hoshin.store.review import MonthlyReviewRow


def find_settings_by_calendar(
    session: Session, *, token_hash: str
) -> NotificationSettingsRow | None:
    """The settings whose calendar link's secret has this SHA-256 (hex), or None."""
    return session.scalars(
        select(NotificationSettingsRow).where(
            NotificationSettingsRow.calendar_token_hash == token_hash
        )
    ).first()


def meetings_since(session: Session, *, org_id: int, since: datetime) -> list[MonthlyReviewRow]:
    """The organisation's monthly reviews that meet at or after ``since``, by time."""
    return list(
        session.scalars(
            select(MonthlyReviewRow)
            .where(MonthlyReviewRow.org_id == org_id, MonthlyReviewRow.meeting_at >= since)
            .order_by(MonthlyReviewRow.meeting_at, MonthlyReviewRow.id)
        )
    )
