"""Monthly reviews of units, annual reflections on objectives, and comments on objectives.

They name units and objectives by plan id without a foreign key: the record of a meeting
outlives the plan it looked at (an import replaces every plan row, an objective may be
deleted), and each change is in the audit trail anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, now, org_column


class MonthlyReviewRow(Base):
    """The record of a unit's monthly review: attendees, decisions and notes."""

    __tablename__ = "monthly_reviews"
    __table_args__ = (UniqueConstraint("org_id", "unit", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    unit: Mapped[str] = key_column()
    period: Mapped[int]  # the month reviewed, ``year * 12 + month - 1``
    attendees: Mapped[list[Any]] = mapped_column(default=list)
    decisions: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    meeting_at: Mapped[datetime | None]  # when the review meets (UTC); None: not scheduled
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1)


class ReflectionRow(Base):
    """What worked and what did not for an objective in a fiscal year."""

    __tablename__ = "reflections"
    __table_args__ = (UniqueConstraint("org_id", "objective", "fiscal_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    objective: Mapped[str] = key_column()
    fiscal_year: Mapped[int]  # the calendar year in which the fiscal year starts
    worked: Mapped[str] = mapped_column(Text, default="")
    did_not: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1)


class CommentRow(Base):
    """A comment on an objective."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_org_id_objective", "org_id", "objective"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    objective: Mapped[str] = key_column()
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1)


def find_review(
    session: Session, *, org_id: int, unit: str, period: int
) -> MonthlyReviewRow | None:
    """The review of a unit's month, or None."""
    return session.scalars(
        select(MonthlyReviewRow).where(
            MonthlyReviewRow.org_id == org_id,
            MonthlyReviewRow.unit == unit,
            MonthlyReviewRow.period == period,
        )
    ).first()


def page_reviews(
    session: Session, *, org_id: int, unit: str | None, limit: int, offset: int
) -> tuple[list[MonthlyReviewRow], int]:
    """A page of reviews, newest month first (optionally of one unit), and the total."""
    query = select(MonthlyReviewRow).where(MonthlyReviewRow.org_id == org_id)
    if unit is not None:
        query = query.where(MonthlyReviewRow.unit == unit)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(MonthlyReviewRow.period.desc(), MonthlyReviewRow.unit)
    return list(session.scalars(ordered.limit(limit).offset(offset))), total


def find_reflection(
    session: Session, *, org_id: int, objective: str, fiscal_year: int
) -> ReflectionRow | None:
    """The reflection on an objective for a fiscal year, or None."""
    return session.scalars(
        select(ReflectionRow).where(
            ReflectionRow.org_id == org_id,
            ReflectionRow.objective == objective,
            ReflectionRow.fiscal_year == fiscal_year,
        )
    ).first()


def reflections_of(
    session: Session, *, org_id: int, fiscal_year: int, objectives: list[str]
) -> list[ReflectionRow]:
    """The reflections of a fiscal year on the given objectives."""
    if not objectives:
        return []
    return list(
        session.scalars(
            select(ReflectionRow).where(
                ReflectionRow.org_id == org_id,
                ReflectionRow.fiscal_year == fiscal_year,
                ReflectionRow.objective.in_(objectives),
            )
        )
    )


def comments_on(
    session: Session, *, org_id: int, objective: str, limit: int
) -> tuple[list[CommentRow], int]:
    """The latest ``limit`` comments on an objective, oldest first, and how many there are."""
    where = (CommentRow.org_id == org_id, CommentRow.objective == objective)
    total = session.scalar(select(func.count()).select_from(CommentRow).where(*where)) or 0
    latest = session.scalars(
        select(CommentRow).where(*where).order_by(CommentRow.id.desc()).limit(limit)
    )
    return list(latest)[::-1], total
