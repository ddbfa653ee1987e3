"""Finding an organisation's plan entities by what people type: a picker's first matches of
a name, a title or an id; the entities a name names exactly; the names of given ids; the ids
that start alike (for a new id made unique)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, func, null, select, true
from sqlalchemy.orm import Session, aliased

from hoshin.store.action import KEYED_TABLES, ActionRow
from hoshin.store.metric import MetricRow
from hoshin.store.objective import ObjectiveRow
from hoshin.store.unit import PersonRow, UnitRow

Kind = Literal["people", "units", "objectives", "metrics", "actions"]
KINDS: tuple[Kind, ...] = ("people", "units", "objectives", "metrics", "actions")
# (id, name or title, what tells it apart: a person's unit, a metric's objective)
Found = tuple[str, str, str | None]
_TABLES: dict[Kind, tuple[type[Any], str]] = {
    "people": (PersonRow, "name"), "units": (UnitRow, "name"),
    "objectives": (ObjectiveRow, "title"), "metrics": (MetricRow, "name"),
    "actions": (ActionRow, "title"),
}  # fmt: skip


def _found(kind: Kind, org_id: int) -> tuple[Select[Any], Any, Any]:
    """The query of ``kind``'s (id, text, detail) in the organisation, its table and text."""
    table, text_name = _TABLES[kind]
    text = getattr(table, text_name)
    if kind == "people":
        unit = aliased(UnitRow)
        joined = and_(unit.org_id == PersonRow.org_id, unit.key == PersonRow.unit)
        query = select(PersonRow.key, text, unit.name).outerjoin(unit, joined)
    elif kind == "metrics":
        query = select(MetricRow.key, text, MetricRow.objective)
    else:
        query = select(table.key, text, null())
    return query.where(table.org_id == org_id), table, text


def _rows(session: Session, query: Select[Any]) -> list[Found]:
    return _rows_of(session.execute(query))


def _rows_of(rows: Iterable[Any]) -> list[Found]:
    return [(str(key), str(text), None if detail is None else str(detail))
            for key, text, detail in rows]  # fmt: skip


def _like(text: str) -> str:
    """``text`` as a LIKE pattern's literal part (its wildcards escaped with '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches(
    session: Session, *, org_id: int, kind: Kind, query: str, limit: int, unit: str | None = None
) -> list[Found]:
    """The first ``limit`` of ``kind`` whose id starts with ``query`` or whose name (title)
    holds it, ignoring case: an exact id or name first, then names that start with it,
    then plan order; with no query, the first in plan order. ``unit``: only the people of
    that unit."""
    table, text_name = _TABLES[kind]
    scope: list[ColumnElement[bool]] = [table.org_id == org_id]
    if unit is not None and kind == "people":
        scope.append(PersonRow.unit == unit)
    sqlite = session.get_bind().dialect.name == "sqlite"
    tiers = _tiers(table, getattr(table, text_name), query.strip().lower(), sqlite=sqlite)
    ids = _ranked(session, table, scope, tiers, limit)
    if not ids:
        return []
    found, _, _ = _found(kind, org_id)  # names and details of these few only (a join)
    rows = {row.id: row for row in session.execute(found.add_columns(table.id).where(
        table.id.in_(ids)))}  # fmt: skip
    return _rows_of([rows[key][:3] for key in ids if key in rows])


def _ranked(
    session: Session,
    table: Any,
    scope: list[ColumnElement[bool]],
    tiers: list[ColumnElement[bool]],
    limit: int,
) -> list[int]:
    """The row ids of the first ``limit`` matches, tier by tier, each tier in plan order."""
    # Each query in plan order, up to what is still wanted: rows are inserted in plan order
    # and never move (store.plan, service.versioned.create), so the primary key is plan
    # order and its index lets a scan stop at the limit instead of sorting every match (a
    # letter typed matches most of 50,000 people). The last tier holds the others: when it
    # has fewer than ``limit`` matches, those are all, and the tiers only order them.
    every = session.scalars(select(table.id).where(*scope, tiers[-1]).order_by(table.id)
                            .limit(limit)).all()  # fmt: skip
    if len(tiers) == 1 or not every:
        return list(every)
    if len(every) < limit:
        scope = [*scope, table.id.in_(every)]
    ids: list[int] = []
    for tier in tiers:
        wanted = select(table.id).where(*scope, tier).order_by(table.id)
        if ids:
            wanted = wanted.where(table.id.not_in(ids))
        ids.extend(session.scalars(wanted.limit(limit - len(ids))))
        if len(ids) >= limit:
            break
    return ids


def _tiers(table: Any, text: Any, wanted: str, *, sqlite: bool) -> list[ColumnElement[bool]]:
    """The matches of ``wanted`` (lower case) from the best: an exact id or name, a name
    that starts with it, then an id that starts with it or a name that holds it, which
    are all the matches (everything when nothing is typed)."""
    if not wanted:
        return [true()]
    key, name = _folded(table.key, sqlite), _folded(text, sqlite)
    pattern = _like(wanted)
    return [
        (key == wanted) | (name == wanted),
        name.like(f"{pattern}%", escape="\\"),
        key.like(f"{pattern}%", escape="\\") | name.like(f"%{pattern}%", escape="\\"),
    ]


def _folded(column: Any, sqlite: bool) -> Any:
    """``column`` compared ignoring case: SQLite's LIKE and NOCASE ignore the case of ASCII
    letters, which is all its lower() folds, so they compare the column as it is stored,
    twice as fast as lower() on each row; elsewhere lower()."""
    return column.collate("NOCASE") if sqlite else func.lower(column)


def named(session: Session, *, org_id: int, kind: Kind, name: str, limit: int) -> list[Found]:
    """Up to ``limit`` of ``kind`` whose name (title) is ``name``, ignoring case."""
    found, table, text = _found(kind, org_id)
    query = found.where(func.lower(text) == name.strip().lower())
    return _rows(session, query.order_by(table.position, table.id).limit(limit))


def by_keys(session: Session, *, org_id: int, kind: Kind, keys: Collection[str]) -> list[Found]:
    """Those of ``kind`` with these ids (the ones that exist)."""
    if not keys:
        return []
    found, table, _ = _found(kind, org_id)
    return _rows(session, found.where(table.key.in_(list(keys))))


def by_keys_any_case(
    session: Session, *, org_id: int, kind: Kind, keys: Collection[str]
) -> list[Found]:
    """Those of ``kind`` whose id is one of ``keys``, ignoring case (a mention's @ben.ode
    for Ben.Ode)."""
    if not keys:
        return []
    found, table, _ = _found(kind, org_id)
    sqlite = session.get_bind().dialect.name == "sqlite"
    wanted = sorted({key.lower() for key in keys})
    return _rows(session, found.where(_folded(table.key, sqlite).in_(wanted)))


def keys_starting(session: Session, *, org_id: int, prefix: str) -> set[str]:
    """Every id of the plan (of any kind: one namespace) that starts with ``prefix``."""
    pattern = f"{_like(prefix)}%"
    found: set[str] = set()
    for _, table in KEYED_TABLES:
        query = select(table.key).where(
            table.org_id == org_id, table.key.like(pattern, escape="\\")
        )
        found.update(session.scalars(query))
    return found
