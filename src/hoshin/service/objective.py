"""Reading objectives: a filtered page of them, and one with its metrics and links."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.errors import NotFound
from hoshin.service.analysis import Analysed
from hoshin.store import metric as metric_store
from hoshin.store import objective as objective_store
from hoshin.store.objective import ObjectiveRow
from hoshin.store.organization import OrganizationRow


def record(row: ObjectiveRow) -> dict[str, Any]:
    """An objective as JSON values, as in the plan file, with its version."""
    return {
        "id": row.key, "title": row.title, "level": row.level, "owner": row.owner,
        "unit": row.unit, "start": _month(row.start), "end": _month(row.end),
        "tolerance": row.tolerance, "customer_benefit": row.customer_benefit,
        "description": row.description, "version": row.version,
    }  # fmt: skip


def page(
    session: Session,
    *,
    org: OrganizationRow,
    level: str | None,
    unit: str | None,
    owner: str | None,
    keys: list[str] | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of objectives in plan order, and how many match in all."""
    rows, total = objective_store.list_objectives(
        session, org_id=org.id, level=level, unit=unit, owner=owner, keys=keys, limit=limit,
        offset=offset,
    )  # fmt: skip
    return [record(row) for row in rows], total


def kept_detail(analysed: Analysed, *, key: str) -> dict[str, Any]:
    """What ``detail`` answers, from the plan the analysis cache keeps (no query): the same
    values, as stored at the analysis's plan version; raises NotFound."""
    found = analysed.objective(key)
    if found is None:
        raise NotFound(f"no objective '{key}'")
    objective, version = found
    return {
        "id": objective.id, "title": objective.title, "level": objective.level,
        "owner": objective.owner, "unit": objective.unit, "start": _text(objective.start),
        "end": _text(objective.end), "tolerance": objective.tolerance,
        "customer_benefit": objective.customer_benefit, "description": objective.description,
        "version": version, "supports": dict(objective.supports),
        "metrics": [
            {"id": m.id, "name": m.name, "unit": m.unit, "direction": m.direction}
            for m in objective.metrics
        ],
    }  # fmt: skip


def _text(month: Month | None) -> str | None:
    return None if month is None else str(month)


def detail(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One objective with the objectives it supports and its metrics; raises NotFound."""
    row = objective_store.find_objective(session, org_id=org.id, key=key)
    if row is None:
        raise NotFound(f"no objective '{key}'")
    links = objective_store.supports_of(session, org_id=org.id, child=row.key)
    metrics = metric_store.metrics_of(session, org_id=org.id, objective=row.key)
    return {
        **record(row),
        "supports": {link.parent: link.weight for link in links},
        "metrics": [
            {"id": m.key, "name": m.name, "unit": m.unit, "direction": m.direction} for m in metrics
        ],
    }


def _month(value: int | None) -> str | None:
    return None if value is None else str(Month(value))
