"""Metrics, their trajectories, and the months' actuals; the statements of a check-in."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, Text, UniqueConstraint, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, key_column, now, org_column, table_of
from hoshin.store.repository import refers_to


class MetricRow(Base):
    """A metric of an objective: its trajectory from baseline to target."""

    __tablename__ = "metrics"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        refers_to("objectives", "objective", cascade=True),
        refers_to("people", "owner"),
        Index("ix_metrics_org_id_objective", "org_id", "objective"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = org_column()
    key: Mapped[str] = key_column()
    objective: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str] = key_column()
    baseline: Mapped[float | None]
    baseline_period: Mapped[int | None]
    target: Mapped[float | None]
    rate_per_year: Mapped[float | None]
    target_period: Mapped[int | None]
    trajectory: Mapped[str] = key_column()
    targets: Mapped[dict[str, Any]] = mapped_column(default=dict)  # "YYYY-MM" -> value
    tolerance: Mapped[float]
    weight: Mapped[float]
    frequency: Mapped[str] = key_column()
    minimum: Mapped[float | None]
    maximum: Mapped[float | None]
    owner: Mapped[str | None] = key_column(nullable=True)  # None: its objective's owner
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)


class ActualRow(Base):
    """The actual value of a metric in a month; earlier values live in the audit trail."""

    __tablename__ = "actuals"
    __table_args__ = (
        UniqueConstraint("org_id", "metric", "period"),
        refers_to("metrics", "metric", cascade=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # the unique key (org_id, metric, period) is its index: one for 3.7 million rows is enough
    org_id: Mapped[int] = org_column(index=False)
    metric: Mapped[str] = key_column()
    period: Mapped[int]
    value: Mapped[float]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=now)


def find_metric(session: Session, *, org_id: int, key: str) -> MetricRow | None:
    """The metric with this plan id in the organisation, or None."""
    return session.scalars(
        select(MetricRow).where(MetricRow.org_id == org_id, MetricRow.key == key)
    ).first()


def metric_and_actual(
    session: Session, *, org_id: int, metric: str, period: int
) -> tuple[str, int | None] | None:
    """The objective of the metric with this plan id and the version of its actual in the
    month (None without one), in one query of two columns; None without the metric. What
    a check-in asks first, before it writes."""
    params = {"org_id": org_id, "metric": metric, "period": period}
    found = session.execute(_METRIC_AND_ACTUAL, params).first()
    return None if found is None else (found[0], found[1])


def metrics_and_actuals(
    session: Session, *, org_id: int, asked: Collection[tuple[str, int]]
) -> dict[tuple[str, int], tuple[str, int | None]]:
    """metric_and_actual of each (metric, month) asked, in one query: by (metric, month),
    its metric's objective and the version of its actual (None without one); a month
    whose metric does not exist is left out. What a batch of check-ins asks first."""
    params = {
        "org_id": org_id,
        "metrics": sorted({metric for metric, _ in asked}),
        "periods": sorted({period for _, period in asked}),
    }
    objectives: dict[str, str] = {}
    versions: dict[tuple[str, int], int] = {}
    for key, objective, period, version in session.execute(_METRICS_AND_ACTUALS, params):
        objectives[key] = objective
        if period is not None:
            versions[(key, period)] = version
    return {
        (metric, period): (objectives[metric], versions.get((metric, period)))
        for metric, period in asked
        if metric in objectives
    }


def find_actual(session: Session, *, org_id: int, metric: str, period: int) -> ActualRow | None:
    """The actual of a metric in a month, or None."""
    return session.scalars(
        select(ActualRow).where(
            ActualRow.org_id == org_id, ActualRow.metric == metric, ActualRow.period == period
        )
    ).first()


def insert_actual(
    session: Session, *, org_id: int, metric: str, period: int, value: float, at: datetime
) -> bool:
    """Inserts a new actual (version 1); False when the month has one already (the unique
    constraint: someone created it first). One statement, and no savepoint to catch the
    conflict: INSERT ... ON CONFLICT DO NOTHING, in SQLite's and PostgreSQL's dialect."""
    inserted = insert_actuals(session, org_id=org_id, actuals=[(metric, period, value, at)])
    return bool(inserted)


def insert_actuals(
    session: Session, *, org_id: int, actuals: Sequence[tuple[str, int, float, datetime]]
) -> set[tuple[str, int]]:
    """Inserts new actuals (metric, period, value, when; version 1) in one statement and
    returns the (metric, period) of those inserted: a month that has an actual already
    (someone created it first) keeps it. Each month must come once."""
    rows = [
        {"org_id": org_id, "metric": m, "period": p, "value": v, "version": 1, "updated_at": at}
        for m, p, v, at in actuals
    ]
    statement = _INSERT_ACTUALS[session.get_bind().dialect.name == "postgresql"]
    return {(metric, period) for metric, period in session.execute(statement, rows)}


def update_actual(
    session: Session, *, row_id: int, version: int, value: float, at: datetime
) -> bool:
    """Sets the value if the row is still at ``version``; False when someone changed it first."""
    result = session.execute(
        update(ActualRow)
        .where(ActualRow.id == row_id, ActualRow.version == version)
        .values(value=value, version=ActualRow.version + 1, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def metrics_of(session: Session, *, org_id: int, objective: str) -> list[MetricRow]:
    """The metrics of an objective, in plan order."""
    return list(
        session.scalars(
            select(MetricRow)
            .where(MetricRow.org_id == org_id, MetricRow.objective == objective)
            .order_by(MetricRow.position)
        )
    )


def actuals_of(session: Session, *, org_id: int, metric: str) -> dict[int, float]:
    """The actuals of a metric by month number, oldest first."""
    rows = session.execute(
        select(ActualRow.period, ActualRow.value)
        .where(ActualRow.org_id == org_id, ActualRow.metric == metric)
        .order_by(ActualRow.period)
    )
    return {period: value for period, value in rows}


def metric_objectives(session: Session, *, org_id: int) -> dict[str, str]:
    """Every metric of the organisation: its objective, by the metric's id (one query)."""
    rows = session.execute(
        select(MetricRow.key, MetricRow.objective).where(MetricRow.org_id == org_id)
    )
    return {key: objective for key, objective in rows}


def actuals_in(
    session: Session, *, org_id: int, periods: Collection[int]
) -> dict[tuple[str, int], tuple[float, int]]:
    """The organisation's actuals in these months: (value, version) by (metric, month),
    in one query."""
    if not periods:
        return {}
    rows = session.execute(
        select(ActualRow.metric, ActualRow.period, ActualRow.value, ActualRow.version).where(
            ActualRow.org_id == org_id, ActualRow.period.in_(sorted(periods))
        )
    )
    return {(metric, period): (value, version) for metric, period, value, version in rows}


# The statements of a check-in, built once: one made anew on every request cost more than
# running it (its construction and cache key; BENCHMARKS.md).
_METRIC_AND_ACTUAL = (
    select(MetricRow.objective, ActualRow.version)
    .outerjoin(
        ActualRow,
        (ActualRow.org_id == MetricRow.org_id)
        & (ActualRow.metric == MetricRow.key)
        & (ActualRow.period == bindparam("period")),
    )
    .where(MetricRow.org_id == bindparam("org_id"), MetricRow.key == bindparam("metric"))
)

_METRICS_AND_ACTUALS = (  # the metrics asked and their actuals in the months asked
    select(MetricRow.key, MetricRow.objective, ActualRow.period, ActualRow.version)
    .outerjoin(
        ActualRow,
        (ActualRow.org_id == MetricRow.org_id)
        & (ActualRow.metric == MetricRow.key)
        & ActualRow.period.in_(bindparam("periods", expanding=True)),
    )
    .where(
        MetricRow.org_id == bindparam("org_id"),
        MetricRow.key.in_(bindparam("metrics", expanding=True)),
    )
)


_ACTUALS = table_of(ActualRow)


_INSERT_ACTUALS = {  # by "is it PostgreSQL": each dialect's INSERT ... ON CONFLICT DO NOTHING
    postgres: (postgresql_insert if postgres else sqlite_insert)(_ACTUALS)
    .on_conflict_do_nothing()
    .returning(_ACTUALS.c.metric, _ACTUALS.c.period)
    for postgres in (False, True)
}
