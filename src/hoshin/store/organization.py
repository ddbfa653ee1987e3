"""Organisations with their vision, units and people; and the queries on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from hoshin.errors import Conflict, NotFound
from hoshin.store.base import Base, key_column, now, org_column, table_of


def refers_to(table: str, *columns: str, cascade: bool = False) -> ForeignKeyConstraint:
    """A reference by plan id within one organisation: (org_id, column) -> table(org_id, key).

    Deferred, so a plan can be written in any order and is checked whole at commit; a
    deleted target cascades only where the row cannot live without it (a metric's actuals).
    """
    return ForeignKeyConstraint(
        ["org_id", *columns],
        [f"{table}.org_id", f"{table}.key"],
        ondelete="CASCADE" if cascade else "NO ACTION",
        onupdate="CASCADE",
        deferrable=True,
        initially="DEFERRED",
    )


class OrganizationRow(Base):
    """An organisation: its name, fiscal calendar and vision."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    fiscal_year_start: Mapped[int] = mapped_column(default=1)
    vision_statement: Mapped[str] = mapped_column(Text, default="")
    vision_purpose: Mapped[str] = mapped_column(Text, default="")
    vision_horizon: Mapped[int | None]
    vision_values: Mapped[list[Any]] = mapped_column(default=list)
    # Bumped by every change to the plan: an analysis cached at this number is current.
    plan_version: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)


class UnitRow(Base):
    """A unit of an organisation."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("org_id", "key"), refers_to("units", "parent"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(Text)
    parent: Mapped[str | None] = key_column(nullable=True)
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


def find_organization(session: Session, *, slug: str) -> OrganizationRow | None:
    """The organisation with this slug, or None."""
    return session.scalars(select(OrganizationRow).where(OrganizationRow.slug == slug)).first()


def get_organization(session: Session, *, slug: str) -> OrganizationRow:
    """The organisation with this slug; raises NotFound."""
    row = find_organization(session, slug=slug)
    if row is None:
        raise NotFound(f"no organisation {slug[:100]!r}")
    return row


def create_organization(session: Session, *, slug: str, name: str) -> OrganizationRow:
    """A new, empty organisation; raises Conflict when the slug is taken."""
    if find_organization(session, slug=slug) is not None:
        raise Conflict(f"organisation '{slug}' exists already")
    row = OrganizationRow(slug=slug, name=name)
    session.add(row)
    session.flush()
    return row


def bump_plan_version(session: Session, *, org_id: int) -> int:
    """Marks the organisation's plan as changed (cached analyses of it are stale now);
    returns the new version, which the organisation's row in the session learns too.

    On the table, not the mapped class: the ORM's bulk UPDATE with synchronize_session was a
    third of a check-in's time in the database layer (py-spy, BENCHMARKS.md); and built once,
    as a statement made anew on every check-in cost more than running it."""
    version = session.execute(_BUMP_PLAN_VERSION, {"org_id": org_id}).scalar_one()
    loaded = session.identity_map.get(identity_key(OrganizationRow, org_id))
    if loaded is not None:
        set_committed_value(loaded, "plan_version", version)
    return int(version)


def plan_version_of(session: Session, *, org_id: int) -> int:
    """The organisation's current plan version."""
    return (
        session.scalar(select(OrganizationRow.plan_version).where(OrganizationRow.id == org_id))
        or 0
    )


def list_organizations(session: Session) -> list[OrganizationRow]:
    """Every organisation, by slug."""
    return list(session.scalars(select(OrganizationRow).order_by(OrganizationRow.slug)))


def find_person(session: Session, *, org_id: int, key: str) -> PersonRow | None:
    """The person with this plan id in the organisation, or None."""
    return session.scalars(
        select(PersonRow).where(PersonRow.org_id == org_id, PersonRow.key == key)
    ).first()


# Versioned plan rows: the same few queries serve every table that has ``org_id``, ``key``,
# ``position`` and ``version`` (units, people, objectives, metrics, actions, countermeasures).


def find_row(session: Session, table: type[Any], *, org_id: int, key: str) -> Any:
    """The row of ``table`` with this plan id in the organisation, or None."""
    return session.scalars(select(table).where(table.org_id == org_id, table.key == key)).first()


def page_rows(
    session: Session,
    table: type[Any],
    *,
    org_id: int,
    filters: dict[str, str | None],
    limit: int,
    offset: int,
) -> tuple[list[Any], int]:
    """A page of ``table``'s rows in plan order (filtered on equal columns) and the total."""
    query = select(table).where(table.org_id == org_id)
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(table, column) == value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(table.position, table.id).limit(limit).offset(offset))
    return list(rows), total


def next_position(session: Session, table: type[Any], *, org_id: int) -> int:
    """The position after the last row of ``table`` in the organisation (plan order)."""
    last = session.scalar(select(func.max(table.position)).where(table.org_id == org_id))
    return 0 if last is None else int(last) + 1


def insert_row(session: Session, row: Any) -> Any:
    """Adds a new row (version 1) and flushes, so a duplicate id fails here."""
    session.add(row)
    session.flush()
    return row


def update_versioned(
    session: Session, table: type[Any], *, row_id: int, version: int, values: dict[str, Any]
) -> bool:
    """Sets ``values`` if the row is still at ``version`` (and bumps it); False otherwise."""
    result = session.execute(
        update(table)
        .where(table.id == row_id, table.version == version)
        .values(**values, version=table.version + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def delete_versioned(session: Session, table: type[Any], *, row_id: int, version: int) -> bool:
    """Deletes the row if it is still at ``version``; False when someone changed it first."""
    result = session.execute(
        delete(table)
        .where(table.id == row_id, table.version == version)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def values_where(
    session: Session, table: type[Any], *, org_id: int, column: str, equals: str, pick: str
) -> list[str]:
    """The ``pick`` column of the organisation's rows of ``table`` whose ``column`` is
    ``equals``, in plan order (what still refers to an id)."""
    query = select(getattr(table, pick)).where(
        table.org_id == org_id, getattr(table, column) == equals
    )
    return list(session.scalars(query.order_by(table.position)))


def links_from(
    session: Session, table: type[Any], *, org_id: int, source: str, target: str, keys: list[str]
) -> list[tuple[str, str]]:
    """The (source, target) links of ``table`` that start at one of ``keys``."""
    if not keys:
        return []
    rows = session.execute(
        select(getattr(table, source), getattr(table, target)).where(
            table.org_id == org_id, getattr(table, source).in_(keys)
        )
    )
    return [(str(a), str(b)) for a, b in rows if b is not None]


def replace_links(
    session: Session,
    table: type[Any],
    *,
    org_id: int,
    source: str,
    key: str,
    rows: list[dict[str, Any]],
) -> None:
    """Makes ``rows`` the links of ``key`` (in column ``source``) in ``table``."""
    session.execute(
        delete(table)
        .where(table.org_id == org_id, getattr(table, source) == key)
        .execution_options(synchronize_session=False)
    )
    if rows:
        session.execute(insert(table), rows)


def existing_keys(session: Session, table: type[Any], *, org_id: int, keys: list[str]) -> set[str]:
    """Those of ``keys`` that are ids of rows of ``table`` in the organisation."""
    if not keys:
        return set()
    query = select(table.key).where(table.org_id == org_id, table.key.in_(keys))
    return set(session.scalars(query))


_ORGANIZATIONS = table_of(OrganizationRow)
_BUMP_PLAN_VERSION = (
    update(_ORGANIZATIONS)
    .where(_ORGANIZATIONS.c.id == bindparam("org_id"))
    .values(plan_version=_ORGANIZATIONS.c.plan_version + 1)
    .returning(_ORGANIZATIONS.c.plan_version)
)
