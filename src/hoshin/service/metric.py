"""Metrics of objectives: create, change and delete them (actuals are recorded on their own)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Metric, Objective, Organization, Person, Plan
from hoshin.domain.months import Month
from hoshin.domain.validation import metric_problems, plan_problems
from hoshin.service import policy
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Referrers,
    Spec,
    create,
    delete,
    get_row,
    known,
    rule_problems,
    update,
)
from hoshin.store.action import CountermeasureRow, MovesRow
from hoshin.store.metric import MetricRow, actuals_of
from hoshin.store.objective import ObjectiveRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import page_rows, values_where
from hoshin.store.unit import PersonRow

ANY = Organization("")


@dataclass(frozen=True, slots=True)
class Placed:
    """A metric and the objective it measures."""

    objective: str
    metric: Metric

    @property
    def id(self) -> str:
        """The metric's id."""
        return self.metric.id


def metric_state(_: Session, row: MetricRow) -> dict[str, Any]:
    """A metric as JSON values, named as in the plan file, with its version."""
    return {
        "id": row.key, "objective": row.objective, "name": row.name, "unit": row.unit,
        "direction": row.direction, "baseline": row.baseline,
        "baseline_period": _month(row.baseline_period), "target": row.target,
        "rate_per_year": row.rate_per_year, "target_period": _month(row.target_period),
        "trajectory": row.trajectory, "targets": dict(row.targets), "tolerance": row.tolerance,
        "weight": row.weight, "frequency": row.frequency, "min": row.minimum,
        "max": row.maximum, "owner": row.owner, "version": row.version,
    }  # fmt: skip


def _month(value: int | None) -> str | None:
    return None if value is None else str(Month(value))


def _plan(placed: Placed) -> Plan:
    holder = Objective(placed.objective, "", "annual", metrics=(placed.metric,))
    return Plan(ANY, objectives=(holder,))


def _problems(
    session: Session, org: OrganizationRow, placed: Placed, _new: bool
) -> list[dict[str, str]]:
    owners = known(session, PersonRow, org=org, keys=[placed.metric.owner])
    # The metric in a plan with its owner, if they exist: the domain names an unknown one.
    plan = replace(_plan(placed), people=tuple(Person(key, "") for key in owners))
    owner = [p for p in plan_problems(plan) if p.path == (*_AT, "owner")]
    return rule_problems(metric_problems(("metric",), placed.metric), 1) + rule_problems(
        owner, len(_AT)
    )


_AT = ("objectives", 0, "metrics", 0)  # where _plan puts the metric


def _referrers(session: Session, org_id: int, key: str) -> Referrers:
    def where(table: type[Any], pick: str) -> list[str]:
        return values_where(session, table, org_id=org_id, column="metric", equals=key, pick=pick)

    return [
        ("is still moved by actions", where(MovesRow, "action")),
        ("still has countermeasures", where(CountermeasureRow, "key")),
    ]


METRICS: Spec[Placed] = Spec("metric", MetricRow, _plan, _problems, metric_state, _referrers)


def list_metrics(
    session: Session, *, org: OrganizationRow, objective: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of metrics in plan order (optionally of one objective), and the total."""
    rows, total = page_rows(
        session, MetricRow, org_id=org.id, filters={"objective": objective}, limit=limit,
        offset=offset,
    )  # fmt: skip
    return [metric_state(session, row) for row in rows], total


def read_metric(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One metric; raises NotFound."""
    return metric_state(session, get_row(session, MetricRow, org=org, kind="metric", key=key))


def measured_objective(session: Session, *, org: OrganizationRow, key: str) -> str:
    """The id of the objective that metric ``key`` measures; raises NotFound."""
    row: MetricRow = get_row(session, MetricRow, org=org, kind="metric", key=key)
    return row.objective


def create_metric(
    session: Session, *, change: Change, role: str, objective: str, metric: Metric
) -> dict[str, Any]:
    """A new metric of an existing objective (NotFound otherwise), without actuals; editors
    and admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    get_row(session, ObjectiveRow, org=change.org, kind="objective", key=objective)
    return create(session, METRICS, change=change, entity=Placed(objective, metric))


def update_metric(session: Session, *, change: Change, role: str, metric: Metric) -> dict[str, Any]:
    """The metric's fields replaced at the version read; its objective and actuals stay."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    placed = Placed("", metric)
    return update(session, METRICS, change=change, entity=placed, keep=("objective",))


def delete_metric(session: Session, *, change: Change, role: str, key: str) -> None:
    """Deletes a metric that no action moves and no countermeasure answers, with its actuals
    (they are kept in the audit event)."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)

    def actuals() -> dict[str, Any]:
        values = actuals_of(session, org_id=change.org.id, metric=key)
        return {"actuals": {str(Month(month)): value for month, value in values.items()}}

    delete(session, METRICS, change=change, key=key, extra=actuals)
