"""A whole plan into the tables: replace an organisation's plan (store.plan_load reads it).

An import writes millions of rows (the 50,000-person plan has 3.7 million actuals), so
replace_plan writes them as value tuples through store.bulk, inside the caller's
transaction, and on PostgreSQL makes a large plan's keys and indexes after the load.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Connection, UniqueConstraint, delete
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from hoshin.domain.actuals import Actuals
from hoshin.domain.analysis import paused_gc
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Person,
    Plan,
    Risk,
    Unit,
)
from hoshin.domain.months import Month
from hoshin.store.action import (
    ActionRow,
    CountermeasureRow,
    MovesRow,
    RequiresRow,
    ServesRow,
)
from hoshin.store.base import Base, table_of
from hoshin.store.bulk import Row, TableRows, insert_rows
from hoshin.store.metric import ActualRow, MetricRow
from hoshin.store.objective import ObjectiveRow, SupportRow
from hoshin.store.organization import OrganizationRow, bump_plan_version
from hoshin.store.situation import AddressesRow, SituationItemRow
from hoshin.store.unit import PersonRow, UnitRow

Weak = dict[str, dict[str, Any]]  # entity -> link target -> strength (medium or weak)
ACTUAL_COLUMNS = ("metric", "period", "value")  # and the organisation, shared
# A plan of this many rows or more has its keys and indexes made after it is written, on
# PostgreSQL (_checked_after), with this much memory for their sorts and joins.
CHECKED_AFTER = 100_000
WORK_MEMORY = "256MB"

# Dependents first; with deferred foreign keys the order only keeps the work obvious.
PLAN_TABLES: tuple[type[Base], ...] = (
    ActualRow,
    MovesRow,
    ServesRow,
    RequiresRow,
    CountermeasureRow,
    MetricRow,
    SupportRow,
    AddressesRow,
    ActionRow,
    ObjectiveRow,
    SituationItemRow,
    PersonRow,
    UnitRow,
)


def delete_plan(session: Session, *, org_id: int) -> None:
    """Removes every plan row of an organisation (the organisation itself stays)."""
    for table in PLAN_TABLES:
        session.execute(delete(table).where(table.org_id == org_id))  # type: ignore[attr-defined]


def replace_plan(session: Session, *, org: OrganizationRow, plan: Plan) -> None:
    """Makes ``plan`` the organisation's plan, all of it in the caller's transaction."""
    connection = session.connection()
    # the rows are tuples and dicts that make no cycles, but their millions of allocations set
    # off collections that walked the whole plan again and again: 8% of the 50,000-person
    # import's time (py-spy)
    with paused_gc():
        tables = plan_tables(org.id, plan)  # before the locks of _checked_after
        with _checked_after(connection, rows=_size(plan)):
            delete_plan(session, org_id=org.id)
            org.name = plan.organization.name
            org.fiscal_year_start = plan.organization.fiscal_year_start
            org.vision_statement = plan.vision.statement
            org.vision_purpose = plan.vision.purpose
            org.vision_horizon = plan.vision.horizon
            org.vision_values = list(plan.vision.values)
            bump_plan_version(session, org_id=org.id)  # in SQL: a stale org cannot undo one
            for table_rows in tables:
                insert_rows(connection, table_rows)


@contextmanager
def _checked_after(connection: Connection, *, rows: int) -> Iterator[None]:
    """On PostgreSQL, for a plan of at least CHECKED_AFTER rows: the plan tables' foreign
    keys, unique constraints and indexes dropped meanwhile and made again after, in the
    transaction (all or nothing still: PostgreSQL's DDL is transactional).

    PostgreSQL checks a foreign key row by row, a query each (a deferred one at COMMIT):
    at 10,000 people that made the import 2 to 2.5 times as long (38-49 s against 15-20 s
    on a busy 2-core host); adding a key again checks every row in one join. Building an
    index after the load, by sorting, took the 50,000-person import from 102 s to 62 s on
    that host. The price: from the first DROP to the COMMIT the import holds the plan
    tables and the organisations exclusively, so the server's other requests wait for it;
    a smaller plan keeps the row-by-row work and locks only its rows."""
    if connection.dialect.name != "postgresql" or rows < CHECKED_AFTER:
        yield
        return
    tables = [table_of(table) for table in PLAN_TABLES]
    keys = [k for t in tables for k in _by_name(t.foreign_key_constraints)]
    uniques = [
        c for t in tables for c in _by_name(t.constraints) if isinstance(c, UniqueConstraint)
    ]
    indexes = [i for t in tables for i in _by_name(t.indexes)]
    # for the sorts of the index builds and the joins of the key checks, this import only
    connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{WORK_MEMORY}'")
    connection.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEMORY}'")
    # checks the transaction's earlier changes now: a table with pending checks cannot change
    connection.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    for dropped in (*map(DropConstraint, keys), *map(DropConstraint, uniques)):
        connection.execute(dropped)
    for index in indexes:
        connection.execute(DropIndex(index))
    yield
    for index in indexes:
        connection.execute(CreateIndex(index))
    for made in (*map(AddConstraint, uniques), *map(AddConstraint, keys)):  # keys need uniques
        connection.execute(made)
    connection.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")  # refers_to's mode again


def _by_name(items: Iterable[Any]) -> list[Any]:
    """Constraints or indexes in the order of their names (DDL in the same order each time)."""
    return sorted(items, key=lambda item: str(item.name))


def _size(plan: Plan) -> int:
    """About how many rows the plan has (its actuals are most of them)."""
    metrics = plan.metrics()
    return len(metrics) + sum(len(m.actuals) for m in metrics) + len(plan.actions)


def plan_rows(org_id: int, plan: Plan) -> list[tuple[type[Base], list[dict[str, Any]]]]:
    """The rows of every plan table, as column dictionaries, in file order."""
    return [
        (t.table, [{**t.shared, **dict(zip(t.columns, row, strict=True))} for row in t.rows])
        for t in plan_tables(org_id, plan)
    ]


def plan_tables(org_id: int, plan: Plan) -> list[TableRows]:
    """The rows of every plan table, as value tuples, in file order."""
    metrics = [(o, m) for o in plan.objectives for m in o.metrics]
    tables = [_tuples(table, rows) for table, rows in _dict_rows(org_id, plan, metrics)]
    actuals = TableRows(
        ActualRow, ACTUAL_COLUMNS, _actuals([m for _, m in metrics]), {"org_id": org_id}
    )
    return [*tables[:7], actuals, *tables[7:]]


def _dict_rows(
    org_id: int, plan: Plan, metrics: list[tuple[Objective, Metric]]
) -> list[tuple[type[Base], list[dict[str, Any]]]]:
    """The rows of every plan table but the actuals, as column dictionaries, in file order."""
    return [
        (UnitRow, [_unit(org_id, i, u) for i, u in enumerate(plan.units)]),
        (PersonRow, [_person(org_id, i, p) for i, p in enumerate(plan.people)]),
        (ObjectiveRow, [_objective(org_id, i, o) for i, o in enumerate(plan.objectives)]),
        (
            SupportRow,
            [
                {
                    "org_id": org_id,
                    "child": o.id,
                    "parent": p,
                    "weight": w,
                    "position": i,
                    "strength": o.supports_strength.get(p, "strong"),
                }
                for o in plan.objectives
                for i, (p, w) in enumerate(o.supports.items())
            ],
        ),
        (
            SituationItemRow,
            [
                {
                    "org_id": org_id,
                    "key": item.id,
                    "kind": item.kind,
                    "text": item.text,
                    "position": i,
                }
                for i, item in enumerate(plan.situation)
            ],
        ),
        (
            AddressesRow,
            [
                {"org_id": org_id, "objective": o.id, "item": key, "position": i}
                for o in plan.objectives
                for i, key in enumerate(o.addresses)
            ],
        ),
        (MetricRow, [_metric(org_id, i, o.id, m) for i, (o, m) in enumerate(metrics)]),
        (ActionRow, [_action(org_id, i, a) for i, a in enumerate(plan.actions)]),
        (ServesRow, _links(org_id, plan.actions, "serves", "objective", strong=True)),
        (MovesRow, _links(org_id, plan.actions, "moves", "metric", strong=True)),
        (RequiresRow, _links(org_id, plan.actions, "requires", "required")),
        (
            CountermeasureRow,
            [_countermeasure(org_id, i, c) for i, c in enumerate(plan.countermeasures)],
        ),
    ]


def _tuples(table: type[Base], rows: list[dict[str, Any]]) -> TableRows:
    """Column dictionaries as value tuples (every row of a table has the same columns)."""
    if not rows:
        return TableRows(table, (), ())
    columns = tuple(rows[0])
    return TableRows(table, columns, list(map(itemgetter(*columns), rows)))


def _actuals(metrics: list[Metric]) -> Iterator[Row]:
    """The actual rows (ACTUAL_COLUMNS) in the order of their unique key (metric, period).

    In that order SQLite appends to the key's index instead of inserting all over it, and a
    re-import's delete walks it in order: with the plan's order, the 50,000-person plan's
    3.7 million actuals took 58 s to insert on a loaded host (11.5 s of CPU), mostly reading
    back pages of the index that the cache had let go; sorted 38 s (10.9 s). There are
    millions of rows, so each metric's are zipped from its columns, in C."""
    return chain.from_iterable(
        zip(repeat(m.id), *_months_and_values(m.actuals))
        for m in sorted(metrics, key=attrgetter("id"))
    )


def _months_and_values(actuals: Mapping[Month, float]) -> tuple[list[int], list[float]]:
    """A metric's months (as ints) and values in month order; read in C from the plan's
    columnar table when the actuals are a slice of one (a plan file's or a database's)."""
    if isinstance(actuals, Actuals):
        months, values, start, stop = (
            actuals.table.months, actuals.table.values, actuals.start, actuals.stop,
        )  # fmt: skip
        return months[start:stop].tolist(), values[start:stop].tolist()
    ordered = sorted(actuals.items())
    return [int(month) for month, _ in ordered], [value for _, value in ordered]


def _unit(org_id: int, position: int, unit: Unit) -> dict[str, Any]:
    return {"org_id": org_id, "key": unit.id, "name": unit.name, "parent": unit.parent,
            "lead": unit.lead, "position": position}  # fmt: skip


def _person(org_id: int, position: int, person: Person) -> dict[str, Any]:
    return {"org_id": org_id, "key": person.id, "name": person.name, "unit": person.unit,
            "email": person.email, "position": position}  # fmt: skip


def _objective(org_id: int, position: int, o: Objective) -> dict[str, Any]:
    return {
        "org_id": org_id, "key": o.id, "title": o.title, "level": o.level, "owner": o.owner,
        "unit": o.unit, "start": _int(o.start), "end": _int(o.end),
        "customer_benefit": o.customer_benefit, "tolerance": o.tolerance,
        "description": o.description, "position": position,
    }  # fmt: skip


def _metric(org_id: int, position: int, objective: str, m: Metric) -> dict[str, Any]:
    return {
        "org_id": org_id, "key": m.id, "objective": objective, "name": m.name, "unit": m.unit,
        "direction": m.direction, "baseline": m.baseline,
        "baseline_period": _int(m.baseline_period), "target": m.target,
        "rate_per_year": m.rate_per_year, "target_period": _int(m.target_period),
        "trajectory": m.trajectory, "targets": {str(k): v for k, v in m.targets.items()},
        "tolerance": m.tolerance, "weight": m.weight, "frequency": m.frequency,
        "minimum": m.minimum, "maximum": m.maximum, "owner": m.owner, "position": position,
    }  # fmt: skip


def _action(org_id: int, position: int, a: Action) -> dict[str, Any]:
    return {
        "org_id": org_id, "key": a.id, "title": a.title, "owner": a.owner, "unit": a.unit,
        "start": a.start, "due": a.due, "duration_days": a.duration_days, "done": a.done,
        "progress": a.progress, "budget": a.budget, "fte": a.fte, "position": position,
        "risks": [risk_json(r) for r in a.risks],
    }  # fmt: skip


def risk_json(risk: Risk) -> dict[str, Any]:
    """A risk as the action row keeps it (JSON); a level or trigger only when given."""
    stored: dict[str, Any] = {"risk": risk.risk, "contingency": risk.contingency}
    if risk.level is not None:
        stored["level"] = risk.level
    if risk.trigger is not None:
        stored["trigger"] = risk.trigger
    return stored


def _countermeasure(org_id: int, position: int, c: Countermeasure) -> dict[str, Any]:
    return {
        "org_id": org_id, "key": c.id, "metric": c.metric, "period": int(c.period),
        "cause": c.cause, "action": c.action, "owner": c.owner, "due": c.due,
        "status": c.status, "effect": c.effect, "position": position,
    }  # fmt: skip


def _links(
    org_id: int, actions: tuple[Action, ...], field: str, column: str, *, strong: bool = False
) -> list[dict[str, Any]]:
    """The link rows of ``field``; with ``strong``, each with its strength (the action's
    ``{field}_strength``, strong when not there)."""
    rows = []
    for a in actions:
        strengths = getattr(a, f"{field}_strength") if strong else {}
        for i, target in enumerate(getattr(a, field)):
            row = {"org_id": org_id, "action": a.id, column: target, "position": i}
            if strong:
                row["strength"] = strengths.get(target, "strong")
            rows.append(row)
    return rows


def _int(month: Month | None) -> int | None:
    return None if month is None else int(month)
