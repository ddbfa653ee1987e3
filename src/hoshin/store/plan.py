"""A whole plan in and out of the tables: load it as a domain ``Plan``, or replace it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, insert, select
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
from hoshin.store.base import Base
from hoshin.store.metric import ActualRow, MetricRow
from hoshin.store.objective import ObjectiveRow, SupportRow
from hoshin.store.organization import OrganizationRow, bump_plan_version
from hoshin.store.situation import AddressesRow, SituationItemRow
from hoshin.store.unit import PersonRow, UnitRow

Weak = dict[str, dict[str, Any]]  # entity -> link target -> strength (medium or weak)

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
    delete_plan(session, org_id=org.id)
    org.name = plan.organization.name
    org.fiscal_year_start = plan.organization.fiscal_year_start
    org.vision_statement = plan.vision.statement
    org.vision_purpose = plan.vision.purpose
    org.vision_horizon = plan.vision.horizon
    org.vision_values = list(plan.vision.values)
    bump_plan_version(session, org_id=org.id)  # in SQL: a stale org object cannot undo one
    for table, rows in plan_rows(org.id, plan):
        if rows:
            session.execute(insert(table), rows)


def plan_rows(org_id: int, plan: Plan) -> list[tuple[type[Base], list[dict[str, Any]]]]:
    """The rows of every plan table, as column dictionaries, in file order."""
    metrics = [(o, m) for o in plan.objectives for m in o.metrics]
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
        (
            ActualRow,
            [
                {"org_id": org_id, "metric": m.id, "period": int(p), "value": v}
                for _, m in metrics
                for p, v in m.actuals.items()
            ],
        ),
        (ActionRow, [_action(org_id, i, a) for i, a in enumerate(plan.actions)]),
        (ServesRow, _links(org_id, plan.actions, "serves", "objective", strong=True)),
        (MovesRow, _links(org_id, plan.actions, "moves", "metric", strong=True)),
        (RequiresRow, _links(org_id, plan.actions, "requires", "required")),
        (
            CountermeasureRow,
            [_countermeasure(org_id, i, c) for i, c in enumerate(plan.countermeasures)],
        ),
    ]


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


def risk_of(stored: dict[str, Any]) -> Risk:
    """The risk an action row keeps (rows written before levels and triggers have neither)."""
    return Risk(stored["risk"], stored.get("contingency"), stored.get("trigger"),
                stored.get("level"))  # fmt: skip


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
        metrics[row.objective].append(_metric_of(row, actuals.get(row.key, {})))
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
        field: _grouped(rows(table), column, weak.get(field))
        for field, table, column in (
            ("serves", ServesRow, "objective"),
            ("moves", MovesRow, "metric"),
            ("requires", RequiresRow, "required"),
        )
    }
    return Plan(
        organization=Organization(org.name, org.fiscal_year_start),
        vision=Vision(
            org.vision_statement, org.vision_purpose, org.vision_horizon, tuple(org.vision_values)
        ),
        units=tuple(Unit(u.key, u.name, u.parent, u.lead) for u in rows(UnitRow)),
        people=tuple(Person(p.key, p.name, p.unit, p.email) for p in rows(PersonRow)),
        objectives=tuple(
            _objective_of(
                o,
                supports.get(o.key, {}),
                metrics.get(o.key, []),
                weak["supports"].get(o.key, {}),
                tuple(addresses.get(o.key, ())),
            )
            for o in rows(ObjectiveRow)
        ),
        actions=tuple(_action_of(a, links, weak) for a in rows(ActionRow)),
        countermeasures=tuple(_countermeasure_of(c) for c in rows(CountermeasureRow)),
        situation=tuple(SituationItem(i.key, i.kind, i.text) for i in rows(SituationItemRow)),
    )


def _grouped(rows: list[Any], column: str, weak: Weak | None) -> dict[str, list[str]]:
    """The targets of each action's links; those not strong also noted in ``weak``."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        target = getattr(row, column)
        grouped[row.action].append(target)
        if weak is not None and row.strength != "strong":
            weak[row.action][target] = row.strength
    return grouped


def _month(value: int | None) -> Month | None:
    return None if value is None else Month(value)


def _metric_of(row: MetricRow, actuals: dict[Month, float]) -> Metric:
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


def _objective_of(
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


def _action_of(
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


def _countermeasure_of(row: CountermeasureRow) -> Countermeasure:
    return Countermeasure(
        id=row.key, metric=row.metric, period=Month(row.period), cause=row.cause,
        action=row.action, owner=row.owner, due=row.due,
        status=row.status, effect=row.effect,  # type: ignore[arg-type]
    )  # fmt: skip
