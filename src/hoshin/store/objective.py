"""Objectives and their weighted ``supports`` links."""

from __future__ import annotations

from sqlalchemy import Integer, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, org_column, strength_column
from hoshin.store.repository import refers_to


class ObjectiveRow(Base):
    """An objective at one level; months are stored as ``year * 12 + month - 1``."""

    __tablename__ = "objectives"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        refers_to("people", "owner"),
        refers_to("units", "unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = key_column()
    owner: Mapped[str | None] = key_column(nullable=True)
    unit: Mapped[str | None] = key_column(nullable=True)
    start: Mapped[int | None]
    end: Mapped[int | None]
    customer_benefit: Mapped[str | None] = mapped_column(Text)
    tolerance: Mapped[float]
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


class SupportRow(Base):
    """``child`` supports ``parent`` with ``weight``."""

    __tablename__ = "supports"
    __table_args__ = (
        refers_to("objectives", "child", cascade=True),
        refers_to("objectives", "parent", cascade=True),
    )

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child: Mapped[str] = mapped_column(primary_key=True)
    parent: Mapped[str] = mapped_column(primary_key=True)
    weight: Mapped[float]
    strength: Mapped[str] = strength_column()
    position: Mapped[int] = mapped_column(default=0)


def find_objective(session: Session, *, org_id: int, key: str) -> ObjectiveRow | None:
    """The objective with this plan id in the organisation, or None."""
    return session.scalars(
        select(ObjectiveRow).where(ObjectiveRow.org_id == org_id, ObjectiveRow.key == key)
    ).first()


def list_objectives(
    session: Session,
    *,
    org_id: int,
    level: str | None = None,
    unit: str | None = None,
    owner: str | None = None,
    keys: list[str] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ObjectiveRow], int]:
    """A page of the organisation's objectives in plan order, and how many match in all."""
    query = select(ObjectiveRow).where(ObjectiveRow.org_id == org_id)
    for column, value in ((ObjectiveRow.level, level), (ObjectiveRow.unit, unit),
                          (ObjectiveRow.owner, owner)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    if keys is not None:
        query = query.where(ObjectiveRow.key.in_(keys))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ObjectiveRow.position).limit(limit).offset(offset))
    return list(rows), total


def objective_versions(session: Session, *, org_id: int) -> dict[str, int]:
    """The version of every objective of the organisation, by plan id."""
    query = select(ObjectiveRow.key, ObjectiveRow.version).where(ObjectiveRow.org_id == org_id)
    return {key: version for key, version in session.execute(query)}


def supports_of(session: Session, *, org_id: int, child: str) -> list[SupportRow]:
    """The objectives an objective supports, with weights."""
    return list(
        session.scalars(
            select(SupportRow)
            .where(SupportRow.org_id == org_id, SupportRow.child == child)
            .order_by(SupportRow.position)
        )
    )
