"""A whole plan out of the tables, as a domain ``Plan`` (store.plan writes it); and each
entity's row as its domain value."""

from __future__ import annotations

import json
from collections import Counter, defaultdict, namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cache, partial
from itertools import chain
from sys import intern
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from hoshin.domain.actuals import Actuals, ActualsBuilder, actuals_in_runs
from hoshin.domain.analysis import paused_gc
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Risk,
    SituationItem,
    Unit,
    Vision,
)
from hoshin.domain.months import Month, month_of
from hoshin.store.action import (
    ActionRow,
    CountermeasureRow,
    MovesRow,
    RequiresRow,
    ServesRow,
)
from hoshin.store.metric import ActualRow, MetricRow
from hoshin.store.objective import ObjectiveRow, SupportRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.situation import AddressesRow, SituationItemRow
from hoshin.store.unit import PersonRow, UnitRow

Weak = dict[str, dict[str, Any]]  # entity -> link target -> strength (medium or weak)


def load_plan(session: Session, *, org: OrganizationRow) -> Plan:
    """The organisation's plan as domain values, in the order it was written.

    Rows are read as columns (Core rows, not ORM objects: no identity map holding a second
    copy of the plan) and the actuals into one columnar table (domain.actuals): at 50,000
    people that is 3.7 million actuals, most of a worker's memory when each was a dict entry.
    The cyclic collector is paused: each of its passes would walk the plan built so far.
    """
    with paused_gc():
        return _load(session, org)


def _load(session: Session, org: OrganizationRow) -> Plan:
    org_id = org.id
    connection = session.connection()

    def rows(table: Any) -> Iterator[Any]:
        return _rows(connection, table, org_id)

    actuals = _actuals(session, org_id)
    metrics: dict[str, list[Metric]] = defaultdict(list)
    for row in rows(MetricRow):
        metrics[row.objective].append(metric_of(row, actuals.get(row.key) or _EMPTY))
    del actuals
    addresses: dict[str, list[str]] = defaultdict(list)
    for link in rows(AddressesRow):
        addresses[link.objective].append(link.item)
    supports: dict[str, dict[str, float]] = defaultdict(dict)
    # field -> entity -> the links that are not strong (the model keeps only those)
    weak: dict[str, Weak] = {field: defaultdict(dict) for field in ("supports", "serves", "moves")}
    for link in rows(SupportRow):
        supports[link.child][intern(link.parent)] = link.weight
        if link.strength != "strong":
            weak["supports"][link.child][link.parent] = link.strength
    links = {
        field: grouped_links(rows(table), column, weak.get(field))
        for field, table, column in (
            ("serves", ServesRow, "objective"),
            ("moves", MovesRow, "metric"),
            ("requires", RequiresRow, "required"),
        )
    }
    return Plan(
        organization=Organization(org.name, org.fiscal_year_start),
        vision=vision_of(org),
        units=tuple(unit_of(u) for u in rows(UnitRow)),
        people=tuple(person_of(p) for p in rows(PersonRow)),
        objectives=tuple(
            objective_of(
                o,
                supports.get(o.key, _EMPTY),
                metrics.get(o.key, []),
                weak["supports"].get(o.key, _EMPTY),
                tuple(addresses.get(o.key, ())),
            )
            for o in rows(ObjectiveRow)
        ),
        actions=tuple(action_of(a, links, weak) for a in rows(ActionRow)),
        countermeasures=tuple(countermeasure_of(c) for c in rows(CountermeasureRow)),
        situation=tuple(situation_of(i) for i in rows(SituationItemRow)),
    )


def _rows(connection: Connection, table: Any, org_id: int) -> Iterator[Any]:
    """The organisation's rows of ``table`` (in plan order), each a named tuple of its
    columns, with the values SQLAlchemy would give (its types' result processors).

    Read with the driver's cursor: SQLAlchemy's rows cost 2.5 times the driver's tuples
    (its attribute access alone 0.4 us: 1.4 s for the 152,560 metrics' 22 columns). Made a
    batch at a time: a whole table's rows alive at once left 25 MB more resident."""
    columns = _columns_of(table)
    query = select(*columns).where(table.org_id == int(org_id))
    if hasattr(table, "position"):
        query = query.order_by(table.position)
    dialect = connection.dialect
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    fields = partial(tuple.__new__, _fields_of(table))  # _make without its Python frame
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        processors = [
            c.type.dialect_impl(dialect).result_processor(dialect, described[1])
            for c, described in zip(columns, cursor.description, strict=True)
        ]
        converting = any(processors)
        while batch := cursor.fetchmany(_ROWS):
            yield from map(fields, _converted(batch, processors) if converting else batch)
    finally:
        cursor.close()


_ROWS = 5_000  # rows of a table converted at a time


def _converted(batch: Sequence[Any], processors: list[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows with each value converted by its column's processor, column by column."""
    by_column = [
        values if processor is None else _each(processor, values)
        for processor, values in zip(processors, zip(*batch, strict=True), strict=True)
    ]
    return zip(*by_column, strict=True)


def _each(processor: Any, values: tuple[Any, ...]) -> Iterator[Any]:
    """``processor`` of each value, called once per distinct value: most rows repeat a few
    (an action's empty risks, a metric's empty targets, a due day), and a JSON text parsed
    for each row was 1 s at 50,000 people. Rows that repeat a value share its result: the
    plan's values are made from these (metric_of and action_of), never these themselves."""
    try:
        results = {value: processor(value) for value in set(values)}
    except TypeError:  # a value that cannot be hashed
        return map(processor, values)
    return map(results.__getitem__, values)


@cache
def _columns_of(table: Any) -> list[Any]:
    """The table's columns that hold the plan: not its bookkeeping (the row's own id, its
    organisation, version and place), which made an object per row and value to no use."""
    return [c for c in table.__table__.columns if c.name not in _BOOKKEEPING]


_BOOKKEEPING = frozenset({"id", "org_id", "version", "position"})


@cache
def _fields_of(table: Any) -> Any:
    """A named tuple of the plan's columns of the table."""
    return namedtuple(f"{table.__name__}Fields", [c.name for c in _columns_of(table)])


_BATCH = 20_000  # rows of actuals fetched at a time: the whole 3.7 million at once would be
# 3.7 million row tuples alive together, hundreds of MB the allocator keeps afterwards


def _actuals(session: Session, org_id: int) -> dict[str, Actuals]:
    """Every metric's actuals, by metric key, over one table."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite" and getattr(driver, "in_transaction", False):
        return _sqlite_actuals(driver, org_id)
    return _actuals_by_rows(session, org_id)


def _sqlite_actuals(driver: Any, org_id: int) -> dict[str, Actuals]:
    """Every metric's actuals, by metric key, read from SQLite in queries of one
    transaction (one snapshot): each metric's run (its count and first and last month) out
    of the covering unique index, then the values alone in the same order, and the months
    of the runs that are not consecutive. A row of one float is the least the driver makes
    per actual: with the metric's key and month it was twice the time (3.7 million rows at
    50,000 people)."""
    org = int(org_id)  # written into the statements: SQLite's literal, no parameter
    runs = driver.execute(
        "SELECT metric, count(*), min(period), max(period) FROM actuals "
        f"WHERE org_id = {org} GROUP BY metric ORDER BY metric"
    ).fetchall()
    if not runs:
        return {}
    keys, counts, firsts, _ = zip(*runs, strict=True)
    values = np.empty(sum(counts), dtype=np.float64)
    cursor = driver.execute(
        f"SELECT value FROM actuals WHERE org_id = {org} ORDER BY metric, period"
    )
    at = 0
    try:
        while batch := cursor.fetchmany(_BATCH):
            values[at : at + len(batch)] = np.fromiter(
                chain.from_iterable(batch), float, len(batch)
            )
            at += len(batch)
    finally:
        cursor.close()
    if at != len(values):
        raise RuntimeError(f"actuals changed between two reads of one snapshot: {at}")
    gapped = _gapped_months(driver, org, runs)
    return dict(zip(keys, actuals_in_runs(counts, firsts, values, gapped), strict=True))


def _gapped_months(driver: Any, org: int, runs: list[Any]) -> dict[int, list[int]]:
    """The months of each run (by its place in ``runs``) that are not consecutive, read by
    its metric's key (a quarterly metric's), in one query."""
    at = {
        key: place
        for place, (key, count, first, last) in enumerate(runs)
        if last - first + 1 != count
    }
    months: dict[int, list[int]] = defaultdict(list)
    if at:
        found = driver.execute(
            f"SELECT metric, period FROM actuals WHERE org_id = {org} "
            "AND metric IN (SELECT value FROM json_each(?))",
            (json.dumps(list(at)),),
        )
        for key, month in found:
            months[at[key]].append(month)
    return months


def _actuals_by_rows(session: Session, org_id: int) -> dict[str, Actuals]:
    """Every metric's actuals, by metric key, over one table, in one query.

    Read with the driver's own cursor: at 50,000 people these are 3.7 million rows, and
    SQLAlchemy's result rows cost several times the driver's tuples. The one parameter is
    the organisation's integer id, written into the statement by the dialect's compiler.
    """
    query = (
        select(ActualRow.metric, ActualRow.period, ActualRow.value)
        .where(ActualRow.org_id == int(org_id))
        .order_by(ActualRow.metric, ActualRow.period)
    )
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    builder = ActualsBuilder()
    found: dict[str, Actuals] = {}
    pending: str | None = None  # the metric whose run continues into the next batch
    periods: list[int] = []
    values: list[float] = []
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_BATCH):
            keys, batch_periods, batch_values = zip(*batch, strict=True)
            # rows come sorted by metric: the runs are the keys' counts, in order of appearance
            at = 0
            for key, count in Counter(keys).items():
                if key != pending:
                    if pending is not None:
                        found[pending] = builder.add(periods, values)
                    pending, periods, values = key, [], []
                periods += batch_periods[at : at + count]
                values += batch_values[at : at + count]
                at += count
    finally:
        cursor.close()
    if pending is not None:
        found[pending] = builder.add(periods, values)
    return found


def grouped_links(rows: Iterable[Any], column: str, weak: Weak | None) -> dict[str, list[str]]:
    """The targets of each action's links; those not strong also noted in ``weak``."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        target = intern(getattr(row, column))
        grouped[row.action].append(target)
        if weak is not None and row.strength != "strong":
            weak[row.action][target] = row.strength
    return grouped


def unit_of(row: UnitRow) -> Unit:
    """The unit a row holds."""
    return Unit(row.key, row.name, row.parent, row.lead)


def person_of(row: PersonRow) -> Person:
    """The person a row holds."""
    return Person(intern(row.key), row.name, _shared(row.unit), row.email)


def situation_of(row: SituationItemRow) -> SituationItem:
    """The situation item a row holds."""
    return SituationItem(row.key, row.kind, row.text)  # type: ignore[arg-type]


def vision_of(row: OrganizationRow) -> Vision:
    """The vision an organisation row holds."""
    return Vision(
        row.vision_statement, row.vision_purpose, row.vision_horizon, tuple(row.vision_values)
    )


def _month(value: int | None) -> Month | None:
    return None if value is None else month_of(value)


_NUMBERS: dict[float, float] = {}
_N = TypeVar("_N", float, float | None)
_DAYS: dict[date, date] = {}


def _number(value: _N) -> _N:
    """One object per number many rows repeat (a tolerance, a weight, a baseline). Equal
    floats are the same bits except 0.0 and -0.0 (and NaN): those keep their own."""
    if not value:  # None, 0.0 or -0.0
        return value
    return _NUMBERS.setdefault(value, value) if len(_NUMBERS) < _KEPT else value


def _day(value: date | None) -> date | None:
    """One object per date many rows repeat."""
    if value is None:
        return None
    return _DAYS.setdefault(value, value) if len(_DAYS) < _KEPT else value


_EMPTY: Mapping[Any, Any] = {}  # every empty mapping of a loaded plan: a metric's targets,
# a link's strengths; the plan's values are never changed in place, and 400,000 empty dicts
# of their own were 26 MB at 50,000 people

_KEPT = 100_000  # values kept for sharing, at most: a bound, not a leak


def _shared(text: str | None) -> str | None:
    """One copy of a text many rows repeat (a direction, an owner's or a unit's id): the
    driver gives each row its own, 50 MB of copies at 50,000 people."""
    return None if text is None else intern(text)


def metric_of(row: MetricRow, actuals: Mapping[Month, float]) -> Metric:
    return Metric(
        id=row.key, name=row.name, direction=intern(row.direction),  # type: ignore[arg-type]
        baseline=_number(row.baseline), baseline_period=_month(row.baseline_period),
        target=_number(row.target),
        rate_per_year=row.rate_per_year, target_period=_month(row.target_period),
        trajectory=intern(row.trajectory),  # type: ignore[arg-type]
        targets={Month.parse(k): float(v) for k, v in row.targets.items()} or _EMPTY,
        tolerance=_number(row.tolerance), weight=_number(row.weight),
        frequency=intern(row.frequency),  # type: ignore[arg-type]
        actuals=actuals, unit=_shared(row.unit), minimum=row.minimum, maximum=row.maximum,
        owner=_shared(row.owner),
    )  # fmt: skip


def objective_of(
    row: ObjectiveRow,
    supports: Mapping[str, float],
    metrics: list[Metric],
    weak: Mapping[str, Any],
    addresses: tuple[str, ...],
) -> Objective:
    return Objective(
        id=intern(row.key), title=row.title, level=intern(row.level),  # type: ignore[arg-type]
        owner=_shared(row.owner), unit=_shared(row.unit), start=_month(row.start),
        end=_month(row.end),
        supports=supports, metrics=tuple(metrics), customer_benefit=row.customer_benefit,
        tolerance=row.tolerance, description=row.description, supports_strength=weak,
        addresses=addresses,
    )  # fmt: skip


def action_of(
    row: ActionRow, links: dict[str, dict[str, list[str]]], weak: dict[str, Weak]
) -> Action:
    return Action(
        id=intern(row.key), title=row.title, owner=_shared(row.owner), unit=_shared(row.unit),
        serves=tuple(links["serves"].get(row.key, ())),
        moves=tuple(links["moves"].get(row.key, ())),
        serves_strength=weak["serves"].get(row.key, _EMPTY),
        moves_strength=weak["moves"].get(row.key, _EMPTY),
        start=_day(row.start), due=_day(row.due), duration_days=row.duration_days,
        requires=tuple(links["requires"].get(row.key, ())),
        done=row.done, progress=_number(row.progress), budget=row.budget,
        fte=_number(row.fte),
        risks=tuple(risk_of(r) for r in row.risks),
    )  # fmt: skip


def countermeasure_of(row: CountermeasureRow) -> Countermeasure:
    return Countermeasure(
        id=row.key, metric=row.metric, period=Month(row.period), cause=row.cause,
        action=row.action, owner=row.owner, due=row.due,
        status=row.status, effect=row.effect,  # type: ignore[arg-type]
    )  # fmt: skip


def risk_of(stored: dict[str, Any]) -> Risk:
    """The risk an action row keeps (rows written before levels and triggers have neither)."""
    return Risk(stored["risk"], stored.get("contingency"), stored.get("trigger"),
                stored.get("level"))  # fmt: skip
