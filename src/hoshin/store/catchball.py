"""Catchball threads (a proposed objective going back and forth) and their rounds.

A thread refers to plan ids (unit, lead, parent objective, the agreed objective) as plain
text, without foreign keys: the conversation stays readable after the plan is re-imported
or an objective is deleted.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, and_, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, now, org_column
from hoshin.store.unit import PersonRow, UnitRow
from hoshin.store.user import UserRow


class CatchballRow(Base):
    """A proposal of an objective to a unit's lead, and where the conversation stands."""

    __tablename__ = "catchball_threads"
    __table_args__ = (
        Index("ix_catchball_threads_org_id_status", "org_id", "status"),
        Index("ix_catchball_threads_org_id_objective", "org_id", "objective"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    title: Mapped[str] = mapped_column(Text)  # of the latest round, for lists
    unit: Mapped[str] = key_column()
    lead: Mapped[str] = key_column()  # the person of the unit who answers for it
    proposer: Mapped[str] = mapped_column(String(320))  # the proposer's email
    proposer_name: Mapped[str] = mapped_column(Text, default="")
    proposer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, agreed, withdrawn
    turn: Mapped[str] = mapped_column(String(20), default="unit")  # unit or proposer
    rounds: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    agreed_by: Mapped[str | None] = mapped_column(Text)
    agreed_at: Mapped[datetime | None]
    objective: Mapped[str | None] = key_column(nullable=True)  # the objective agreed
    version: Mapped[int] = mapped_column(default=1)


class CatchballRoundRow(Base):
    """One turn of a thread: who said what, when, with the fields as they stood then."""

    __tablename__ = "catchball_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("catchball_threads.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    side: Mapped[str] = mapped_column(String(20))  # proposer or unit
    kind: Mapped[str] = mapped_column(String(20))  # propose, counter, accept, withdraw
    author: Mapped[str] = mapped_column(String(320))
    author_name: Mapped[str] = mapped_column(Text, default="")
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=now)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")


def find_thread(session: Session, *, org_id: int, thread_id: int) -> CatchballRow | None:
    """The thread with this id in the organisation, or None."""
    return session.scalars(
        select(CatchballRow).where(CatchballRow.org_id == org_id, CatchballRow.id == thread_id)
    ).first()


def rounds_of(session: Session, *, thread_id: int) -> list[CatchballRoundRow]:
    """The rounds of a thread, first first."""
    query = select(CatchballRoundRow).where(CatchballRoundRow.thread_id == thread_id)
    return list(session.scalars(query.order_by(CatchballRoundRow.number)))


def last_round(session: Session, *, thread_id: int) -> CatchballRoundRow | None:
    """The latest round of a thread."""
    query = select(CatchballRoundRow).where(CatchballRoundRow.thread_id == thread_id)
    return session.scalars(query.order_by(CatchballRoundRow.number.desc()).limit(1)).first()


def page_threads(
    session: Session,
    *,
    org_id: int,
    status: str | None = None,
    unit: str | None = None,
    waiting_for: tuple[str | None, int | None] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[CatchballRow], int]:
    """A page of threads, newest change first, filtered; and how many match in all.

    ``waiting_for`` is (person, user id): open threads whose turn is that person's as the
    unit's lead, or that user's as the proposer.
    """
    query = select(CatchballRow).where(CatchballRow.org_id == org_id)
    if status is not None:
        query = query.where(CatchballRow.status == status)
    if unit is not None:
        query = query.where(CatchballRow.unit == unit)
    if waiting_for is not None:
        person, user_id = waiting_for
        query = query.where(
            CatchballRow.status == "open",
            or_(
                and_(CatchballRow.turn == "unit", CatchballRow.lead == (person or "")),
                and_(CatchballRow.turn == "proposer", CatchballRow.proposer_user_id == user_id),
            ),
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(CatchballRow.updated_at.desc(), CatchballRow.id.desc())
    return list(session.scalars(ordered.limit(limit).offset(offset))), total


def find_agreed(session: Session, *, org_id: int, objective: str) -> CatchballRow | None:
    """The agreed thread that made ``objective``, or None."""
    query = select(CatchballRow).where(
        CatchballRow.org_id == org_id,
        CatchballRow.objective == objective,
        CatchballRow.status == "agreed",
    )
    return session.scalars(query.limit(1)).first()


def add_row(session: Session, row: Any) -> Any:
    """Adds a new row and flushes, so it has its id."""
    session.add(row)
    session.flush()
    return row


def accepters(session: Session, *, thread_ids: Collection[int]) -> dict[int, str]:
    """The email of who accepted each of these threads (the author of its accept round)."""
    if not thread_ids:
        return {}
    query = select(CatchballRoundRow.thread_id, CatchballRoundRow.author).where(
        CatchballRoundRow.thread_id.in_(sorted(thread_ids)), CatchballRoundRow.kind == "accept"
    )
    return {thread: author for thread, author in session.execute(query)}


def names_of(
    session: Session, *, org_id: int, units: set[str], people: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The names of these units and people of the organisation, by id (two queries)."""
    found = []
    for table, keys in ((UnitRow, units), (PersonRow, people)):
        query = select(table.key, table.name).where(table.org_id == org_id, table.key.in_(keys))
        found.append({key: name for key, name in session.execute(query)} if keys else {})
    return found[0], found[1]


def proposer_person(session: Session, *, thread: CatchballRow) -> str | None:
    """The plan person who proposed ``thread``: the person the proposer's account is linked
    to, if the plan has them, else the plan's person with the proposer's email; None when
    the proposer is no person of the plan (an admin without one)."""
    linked = select(UserRow.person).where(UserRow.id == thread.proposer_user_id)
    person = None if thread.proposer_user_id is None else session.scalar(linked)
    query = select(PersonRow.key).where(PersonRow.org_id == thread.org_id)
    if person is not None:
        found = session.scalar(query.where(PersonRow.key == person))
        if found is not None:
            return found
    by_email = func.lower(PersonRow.email) == thread.proposer.lower()
    return session.scalars(query.where(by_email).order_by(PersonRow.id).limit(1)).first()
