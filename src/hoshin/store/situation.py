"""The current position (situation items) and the objectives that address them."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, org_column
from hoshin.store.repository import refers_to


class SituationItemRow(Base):
    """A strength, weakness, opportunity or threat; ``key`` is unique among the
    organisation's situation items (not across the plan: ``addresses`` names only them)."""

    __tablename__ = "situation_items"
    __table_args__ = (UniqueConstraint("org_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


class AddressesRow(Base):
    """The ``objective`` addresses the situation ``item``; an item still addressed cannot be
    deleted (the service says by whom), a deleted objective takes its links with it."""

    __tablename__ = "objective_addresses"
    __table_args__ = (
        refers_to("objectives", "objective", cascade=True),
        refers_to("situation_items", "item"),
    )

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objective: Mapped[str] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


def situation_items(session: Session, *, org_id: int) -> list[SituationItemRow]:
    """The organisation's situation items in plan order."""
    query = select(SituationItemRow).where(SituationItemRow.org_id == org_id)
    return list(session.scalars(query.order_by(SituationItemRow.position, SituationItemRow.id)))


def addressing(session: Session, *, org_id: int) -> dict[str, list[str]]:
    """The objectives that address each item (item -> objective ids), in the objectives'
    own order of their ``addresses``."""
    query = (
        select(AddressesRow.item, AddressesRow.objective)
        .where(AddressesRow.org_id == org_id)
        .order_by(AddressesRow.objective, AddressesRow.position)
    )
    found: dict[str, list[str]] = defaultdict(list)
    for item, objective in session.execute(query):
        found[item].append(objective)
    return dict(found)


def addresses_of(session: Session, *, org_id: int, objective: str) -> list[str]:
    """The items an objective addresses, in its order."""
    query = select(AddressesRow.item).where(
        AddressesRow.org_id == org_id, AddressesRow.objective == objective
    )
    return list(session.scalars(query.order_by(AddressesRow.position)))
