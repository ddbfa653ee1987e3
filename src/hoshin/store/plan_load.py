"""A whole plan out of the tables, as a domain ``Plan`` (store.plan writes it); and each
entity's row as its domain value."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from hoshin.domain.months import Month
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
    """The organisation's plan as domain values, in the order it was written."""
    org_id = org.id

    def rows(table: Any) -> list[Any]:
        query = select(table).where(table.org_id == org_id)
        if hasattr(table, "position"):
            query = query.order_by(table.position)
        return list(session.scalars(query))

    actuals: dict[str, dict[Month, float]] = defaultdict(dict)
    for actual in session.execute(
        select(ActualRow.metric, ActualRow.period, ActualRow.value)
        .where(ActualRow.org_id == org_id)
        .order_by(ActualRow.metric, ActualRow.period)
    ):
        actuals[actual.metric][Month(actual.period)] = actual.value
    metrics: dict[str, list[Metric]] = defaultdict(list)
    for row in rows(MetricRow):
        metrics[row.objective].append(metric_of(row, actuals.get(row.key, {})))
    addresses: dict[str, list[str]] = defaultdict(list)
    for link in rows(AddressesRow):
        addresses[link.objective].append(link.item)
    supports: dict[str, dict[str, float]] = defaultdict(dict)
    # field -> entity -> the links that are not strong (the model keeps only those)
    weak: dict[str, Weak] = {field: defaultdict(dict) for field in ("supports", "serves", "moves")}
    for link in rows(SupportRow):
        supports[link.child][link.parent] = link.weight
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
                supports.get(o.key, {}),
                metrics.get(o.key, []),
                weak["supports"].get(o.key, {}),
                tuple(addresses.get(o.key, ())),
            )
            for o in rows(ObjectiveRow)
        ),
        actions=tuple(action_of(a, links, weak) for a in rows(ActionRow)),
        countermeasures=tuple(countermeasure_of(c) for c in rows(CountermeasureRow)),
        situation=tuple(situation_of(i) for i in rows(SituationItemRow)),
    )


def grouped_links(rows: list[Any], column: str, weak: Weak | None) -> dict[str, list[str]]:
    """The targets of each action's links; those not strong also noted in ``weak``."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        target = getattr(row, column)
        grouped[row.action].append(target)
        if weak is not None and row.strength != "strong":
            weak[row.action][target] = row.strength
    return grouped


def unit_of(row: UnitRow) -> Unit:
    """The unit a row holds."""
    return Unit(row.key, row.name, row.parent, row.lead)


def person_of(row: PersonRow) -> Person:
    """The person a row holds."""
    return Person(row.key, row.name, row.unit, row.email)


def situation_of(row: SituationItemRow) -> SituationItem:
    """The situation item a row holds."""
    return SituationItem(row.key, row.kind, row.text)  # type: ignore[arg-type]


def vision_of(row: OrganizationRow) -> Vision:
    """The vision an organisation row holds."""
    return Vision(
        row.vision_statement, row.vision_purpose, row.vision_horizon, tuple(row.vision_values)
    )


def _month(value: int | None) -> Month | None:
    return None if value is None else Month(value)


def metric_of(row: MetricRow, actuals: dict[Month, float]) -> Metric:
    return Metric(
        id=row.key, name=row.name, direction=row.direction,  # type: ignore[arg-type]
        baseline=row.baseline, baseline_period=_month(row.baseline_period), target=row.target,
        rate_per_year=row.rate_per_year, target_period=_month(row.target_period),
        trajectory=row.trajectory,  # type: ignore[arg-type]
        targets={Month.parse(k): float(v) for k, v in row.targets.items()},
        tolerance=row.tolerance, weight=row.weight,
        frequency=row.frequency,  # type: ignore[arg-type]
        actuals=actuals, unit=row.unit, minimum=row.minimum, maximum=row.maximum,
        owner=row.owner,
    )  # fmt: skip


def objective_of(
    row: ObjectiveRow,
    supports: dict[str, float],
    metrics: list[Metric],
    weak: dict[str, Any],
    addresses: tuple[str, ...],
) -> Objective:
    return Objective(
        id=row.key, title=row.title, level=row.level,  # type: ignore[arg-type]
        owner=row.owner, unit=row.unit, start=_month(row.start), end=_month(row.end),
        supports=supports, metrics=tuple(metrics), customer_benefit=row.customer_benefit,
        tolerance=row.tolerance, description=row.description, supports_strength=weak,
        addresses=addresses,
    )  # fmt: skip


def action_of(
    row: ActionRow, links: dict[str, dict[str, list[str]]], weak: dict[str, Weak]
) -> Action:
    return Action(
        id=row.key, title=row.title, owner=row.owner, unit=row.unit,
        serves=tuple(links["serves"].get(row.key, ())),
        moves=tuple(links["moves"].get(row.key, ())),
        serves_strength=weak["serves"].get(row.key, {}),
        moves_strength=weak["moves"].get(row.key, {}),
        start=row.start, due=row.due, duration_days=row.duration_days,
        requires=tuple(links["requires"].get(row.key, ())),
        done=row.done, progress=row.progress, budget=row.budget, fte=row.fte,
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
