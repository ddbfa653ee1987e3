"""The changes that make an organisation's plan versions, typed: the audit trail stores them,
and a process that keeps a copy of the plan (service.analysis) reads back what changed.

A recorded actual is the one change whose content matters to the copy (it is applied in
place instead of loading the whole plan again), so its stored form is written and read here
and nowhere else: the audit event's ``after`` is ``Actual.as_json()``, and ``Actual.from_json``
reads it back. Any other change is known by its entity and key only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.store.audit import AuditEventRow

ACTUAL = "actual"  # the audit entity of a month's actual


@dataclass(frozen=True, slots=True)
class Actual:
    """A month's recorded actual and its version."""

    metric: str
    period: Month
    value: float
    version: int
    updated_at: datetime

    @property
    def key(self) -> str:
        """The actual's key in the audit trail: ``metric/YYYY-MM``."""
        return actual_key(self.metric, self.period)

    def as_json(self) -> dict[str, Any]:
        """The actual as JSON values: the API's answer and the audit event's state."""
        return {
            "metric": self.metric,
            "period": str(self.period),
            "value": self.value,
            "version": self.version,
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def from_json(cls, state: dict[str, Any]) -> Actual:
        """The actual that ``as_json`` wrote."""
        return cls(
            str(state["metric"]),
            Month.parse(state["period"]),
            float(state["value"]),
            int(state["version"]),
            datetime.fromisoformat(state["updated_at"]),
        )


def actual_key(metric: str, period: Month) -> str:
    """The audit key of a metric's actual in a month."""
    return f"{metric}/{period}"


@dataclass(frozen=True, slots=True)
class PlanChange:
    """One change that made plan version ``version``: the entity and key it changed, and the
    actual as saved when it recorded one (None for any other change, or a deleted actual)."""

    version: int
    entity: str
    key: str
    actual: Actual | None


def changes_since(session: Session, *, org_id: int, after: int, upto: int) -> list[PlanChange]:
    """The changes that made the organisation's plan versions ``after + 1`` to ``upto``, in
    the order they were made."""
    query = (
        select(
            AuditEventRow.plan_version, AuditEventRow.entity, AuditEventRow.key, AuditEventRow.after
        )
        .where(
            AuditEventRow.org_id == org_id,
            AuditEventRow.plan_version > after,
            AuditEventRow.plan_version <= upto,
        )
        .order_by(AuditEventRow.plan_version, AuditEventRow.id)
    )
    return [
        PlanChange(
            version or 0,
            entity,
            key,
            Actual.from_json(state) if entity == ACTUAL and state is not None else None,
        )
        for version, entity, key, state in session.execute(query)
    ]
