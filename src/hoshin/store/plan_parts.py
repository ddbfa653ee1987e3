"""The entities a change touched, read as they are stored now: what a process that keeps a
copy of the plan (service.analysis) needs to bring the copy up to date without reading the
whole plan again. Each is built by the same conversion as ``load_plan``'s."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hoshin.domain.model import Metric, Vision
from hoshin.domain.months import Month
from hoshin.domain.patch import PlanPatch
from hoshin.store.action import ActionRow, CountermeasureRow, MovesRow, RequiresRow, ServesRow
from hoshin.store.metric import ActualRow, MetricRow
from hoshin.store.objective import ObjectiveRow, SupportRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.plan_load import (
    Weak,
    action_of,
    countermeasure_of,
    grouped_links,
    metric_of,
    objective_of,
    person_of,
    situation_of,
    unit_of,
    vision_of,
)
from hoshin.store.situation import AddressesRow, SituationItemRow
from hoshin.store.unit import PersonRow, UnitRow


def objectives_of_metrics(
    session: Session, *, org_id: int, metrics: Collection[str]
) -> dict[str, str]:
    """The objective each of ``metrics`` measures, by metric (a deleted metric has none)."""
    if not metrics:
        return {}
    query = select(MetricRow.key, MetricRow.objective).where(
        MetricRow.org_id == org_id, MetricRow.key.in_(list(metrics))
    )
    return {key: objective for key, objective in session.execute(query)}


def load_parts(
    session: Session,
    *,
    org: OrganizationRow,
    keys: Mapping[str, Collection[str]],
    vision: bool = False,
) -> PlanPatch:
    """The stored state of the entities ``keys`` names by kind (objective, action, unit,
    person, countermeasure, situation; None for one that no longer exists), and the vision
    when ``vision``; with the stored version of each objective read."""
    org_id = org.id

    def rows(table: Any, wanted: Collection[str], column: str = "key") -> list[Any]:
        if not wanted:
            return []
        query = select(table).where(table.org_id == org_id, getattr(table, column).in_(wanted))
        if hasattr(table, "position"):
            query = query.order_by(table.position)
        return list(session.scalars(query))

    objective_keys = list(keys.get("objective", ()))
    action_keys = list(keys.get("action", ()))
    objective_rows = rows(ObjectiveRow, objective_keys)
    action_rows = rows(ActionRow, action_keys)
    objectives = dict.fromkeys(objective_keys, None) | _objectives(
        session, org_id, objective_rows, rows
    )
    return PlanPatch(
        objectives=objectives,
        objective_versions={row.key: row.version for row in objective_rows},
        actions=dict.fromkeys(action_keys, None) | _actions(action_rows, rows),
        units=_by_key(keys.get("unit", ()), rows(UnitRow, list(keys.get("unit", ()))), unit_of),
        people=_by_key(
            keys.get("person", ()), rows(PersonRow, list(keys.get("person", ()))), person_of
        ),
        countermeasures=_by_key(
            keys.get("countermeasure", ()),
            rows(CountermeasureRow, list(keys.get("countermeasure", ()))),
            countermeasure_of,
        ),
        situation=_by_key(
            keys.get("situation", ()),
            rows(SituationItemRow, list(keys.get("situation", ()))),
            situation_of,
        ),
        vision=_vision(session, org_id) if vision else None,
    )


def _objectives(session: Session, org_id: int, found: list[Any], rows: Any) -> dict[str, Any]:
    keys = [row.key for row in found]
    metric_rows = rows(MetricRow, keys, "objective")
    actuals: dict[str, dict[Month, float]] = defaultdict(dict)
    if metric_rows:
        for metric, period, value in session.execute(
            select(ActualRow.metric, ActualRow.period, ActualRow.value)
            .where(ActualRow.org_id == org_id, ActualRow.metric.in_([m.key for m in metric_rows]))
            .order_by(ActualRow.metric, ActualRow.period)
        ):
            actuals[metric][Month(period)] = value
    metrics: dict[str, list[Metric]] = defaultdict(list)
    for row in metric_rows:
        metrics[row.objective].append(metric_of(row, actuals.get(row.key, {})))
    supports: dict[str, dict[str, float]] = defaultdict(dict)
    weak: dict[str, dict[str, Any]] = defaultdict(dict)
    for link in rows(SupportRow, keys, "child"):
        supports[link.child][link.parent] = link.weight
        if link.strength != "strong":
            weak[link.child][link.parent] = link.strength
    addresses: dict[str, list[str]] = defaultdict(list)
    for link in rows(AddressesRow, keys, "objective"):
        addresses[link.objective].append(link.item)
    return {
        row.key: objective_of(
            row,
            supports.get(row.key, {}),
            metrics.get(row.key, []),
            weak.get(row.key, {}),
            tuple(addresses.get(row.key, ())),
        )
        for row in found
    }


def _actions(found: list[Any], rows: Any) -> dict[str, Any]:
    keys = [row.key for row in found]
    weak: dict[str, Weak] = {field: defaultdict(dict) for field in ("serves", "moves")}
    links = {
        field: grouped_links(rows(table, keys, "action"), column, weak.get(field))
        for field, table, column in (
            ("serves", ServesRow, "objective"),
            ("moves", MovesRow, "metric"),
            ("requires", RequiresRow, "required"),
        )
    }
    return {row.key: action_of(row, links, weak) for row in found}


def _by_key(wanted: Collection[str], found: list[Any], convert: Any) -> dict[str, Any]:
    return dict.fromkeys(wanted, None) | {row.key: convert(row) for row in found}


def _vision(session: Session, org_id: int) -> Vision:
    return vision_of(session.get_one(OrganizationRow, org_id, populate_existing=True))
