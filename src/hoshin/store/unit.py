"""An organisation's units and the people of its plan."""

from __future__ import annotations

from sqlalchemy import Index, Integer, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, org_column
from hoshin.store.repository import refers_to


class UnitRow(Base):
    """A unit of an organisation."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        refers_to("units", "parent"),
        refers_to("people", "lead", cycle=True),
        # a deleted person or unit looks here for its references (an import's delete)
        Index("ix_units_org_id_lead", "org_id", "lead"),
        Index("ix_units_org_id_parent", "org_id", "parent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(Text)
    parent: Mapped[str | None] = key_column(nullable=True)
    lead: Mapped[str | None] = key_column(nullable=True)  # a person's plan id
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


class PersonRow(Base):
    """A person of an organisation's plan (an owner); not necessarily a user who signs in."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("org_id", "key"), refers_to("units", "unit"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = key_column(nullable=True)
    email: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


def find_person(session: Session, *, org_id: int, key: str) -> PersonRow | None:
    """The person with this plan id in the organisation, or None."""
    return session.scalars(
        select(PersonRow).where(PersonRow.org_id == org_id, PersonRow.key == key)
    ).first()


def person_names(session: Session, *, org_id: int, keys: list[str]) -> dict[str, str]:
    """The names of the organisation's people with these plan ids (those that exist)."""
    if not keys:
        return {}
    query = select(PersonRow.key, PersonRow.name).where(
        PersonRow.org_id == org_id, PersonRow.key.in_(keys)
    )
    return {key: name for key, name in session.execute(query)}
