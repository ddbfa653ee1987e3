"""Actions, their ``serves``/``moves``/``requires`` links and risks; countermeasures."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Integer, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, org_column, strength_column
from hoshin.store.metric import MetricRow
from hoshin.store.objective import ObjectiveRow
from hoshin.store.repository import refers_to
from hoshin.store.unit import PersonRow, UnitRow


class ActionRow(Base):
    """An action: who does what by when, with which resources and risks."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        refers_to("people", "owner"),
        refers_to("units", "unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = key_column(nullable=True)
    unit: Mapped[str | None] = key_column(nullable=True)
    start: Mapped[date | None]
    due: Mapped[date | None]
    duration_days: Mapped[int | None]
    done: Mapped[bool] = mapped_column(default=False)
    progress: Mapped[float] = mapped_column(default=0.0)
    budget: Mapped[float | None]
    fte: Mapped[float | None]
    risks: Mapped[list[Any]] = mapped_column(default=list)  # [{"risk", "contingency", ...}]
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


class ServesRow(Base):
    """The action serves the objective."""

    __tablename__ = "action_serves"
    __table_args__ = (
        refers_to("actions", "action", cascade=True),
        refers_to("objectives", "objective", cascade=True),
    )

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(primary_key=True)
    objective: Mapped[str] = mapped_column(primary_key=True)
    strength: Mapped[str] = strength_column()
    position: Mapped[int] = mapped_column(default=0)


class MovesRow(Base):
    """The action moves the metric."""

    __tablename__ = "action_moves"
    __table_args__ = (
        refers_to("actions", "action", cascade=True),
        refers_to("metrics", "metric", cascade=True),
    )

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(primary_key=True)
    strength: Mapped[str] = strength_column()
    position: Mapped[int] = mapped_column(default=0)


class RequiresRow(Base):
    """The action cannot start before ``required`` is finished."""

    __tablename__ = "action_requires"
    __table_args__ = (
        refers_to("actions", "action", cascade=True),
        refers_to("actions", "required"),
    )

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(primary_key=True)
    required: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class CountermeasureRow(Base):
    """The response to a missed month of a metric."""

    __tablename__ = "countermeasures"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        refers_to("metrics", "metric"),
        refers_to("people", "owner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    metric: Mapped[str] = key_column()
    period: Mapped[int]
    cause: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = key_column(nullable=True)
    due: Mapped[date | None]
    status: Mapped[str] = key_column()
    effect: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


# Every table whose ``key`` shares the plan's one namespace of ids, with the kind it holds.
KEYED_TABLES: tuple[tuple[str, type[Any]], ...] = (
    ("unit", UnitRow),
    ("person", PersonRow),
    ("objective", ObjectiveRow),
    ("metric", MetricRow),
    ("action", ActionRow),
    ("countermeasure", CountermeasureRow),
)


def kind_of_key(session: Session, *, org_id: int, key: str) -> str | None:
    """The kind of entity that holds this id in the organisation's plan, or None if free."""
    for kind, table in KEYED_TABLES:
        found = session.scalar(select(table.id).where(table.org_id == org_id, table.key == key))
        if found is not None:
            return kind
    return None


def strength_links(
    session: Session, table: type[Any], *, org_id: int, action: str, column: str
) -> list[tuple[str, str]]:
    """The action's links in ``table`` (ServesRow, MovesRow) as (``column``'s id, strength),
    in plan order."""
    query = select(getattr(table, column), table.strength).where(
        table.org_id == org_id, table.action == action
    )
    return [(key, strength) for key, strength in session.execute(query.order_by(table.position))]
