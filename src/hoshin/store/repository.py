"""The queries every plan table shares: its rows by organisation and plan id, their pages,
positions and versions, and the links between them (units, people, objectives, metrics,
actions and countermeasures all have ``org_id``, ``key``, ``position`` and ``version``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKeyConstraint, delete, func, insert, select, update
from sqlalchemy.orm import Session


def refers_to(
    table: str, *columns: str, cascade: bool = False, cycle: bool = False
) -> ForeignKeyConstraint:
    """A reference by plan id within one organisation: (org_id, column) -> table(org_id, key).

    Deferred, so a plan can be written in any order and is checked whole at commit; a
    deleted target cascades only where the row cannot live without it (a metric's actuals).
    ``cycle``: the reference closes a loop of tables (a unit's lead is a person, a person is
    in a unit), which SQLAlchemy then leaves out when it orders the tables.
    """
    return ForeignKeyConstraint(
        ["org_id", *columns],
        [f"{table}.org_id", f"{table}.key"],
        ondelete="CASCADE" if cascade else "NO ACTION",
        onupdate="CASCADE",
        deferrable=True,
        initially="DEFERRED",
        use_alter=cycle,
    )


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
