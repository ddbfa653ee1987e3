"""What changed in a kept plan since its version, read back from the store: the entities
each change names (store.plan_parts), with what referred to anything deleted, as a patch
(domain.patch) for service.analysis to apply."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from hoshin.domain.model import Plan
from hoshin.domain.patch import PlanPatch, referrers
from hoshin.store.changes import ACTUAL, PlanChange
from hoshin.store.organization import OrganizationRow
from hoshin.store.plan_parts import load_parts, objectives_of_metrics

# The entities whose changes are read back one by one and patched into the kept plan.
PATCHED = frozenset(
    ("objective", "metric", "action", "unit", "person", "countermeasure", "situation", "vision",
     ACTUAL)
)  # fmt: skip
MOST_PATCHED = 1_000  # changes since the kept version; more load the plan afresh


def every_version(after: int, upto: int, changes: list[PlanChange]) -> bool:
    """Whether ``changes`` name every version from ``after + 1`` to ``upto``: none left
    without a record of what it changed (an import leaves none)."""
    return {change.version for change in changes} == set(range(after + 1, upto + 1))


def patchable(after: int, upto: int, changes: list[PlanChange]) -> bool:
    """Whether ``changes`` name every version from ``after`` to ``upto`` and only entities
    a patch reads back."""
    if len(changes) > MOST_PATCHED or not every_version(after, upto, changes):
        return False
    return all(change.entity in PATCHED for change in changes)


def read_back(
    session: Session, org: OrganizationRow, plan: Plan, changes: list[PlanChange]
) -> PlanPatch:
    """The stored state of what ``changes`` touched, and of what referred to what is gone."""
    keys: dict[str, set[str]] = defaultdict(set)
    metrics: set[str] = set()
    for change in changes:
        if change.entity == ACTUAL:
            metrics.add(change.key.rpartition("/")[0])
        elif change.entity == "metric":
            metrics.add(change.key)
        elif change.entity != "vision":
            keys[change.entity].add(change.key)
    if metrics:  # a metric's objective (it never moves); a deleted one's, before
        measured = objectives_of_metrics(session, org_id=org.id, metrics=metrics)
        keys["objective"] |= set(measured.values())
        if len(measured) < len(metrics):
            keys["objective"] |= {
                o.id for o in plan.objectives for m in o.metrics if m.id in metrics
            }
    vision = any(change.entity == "vision" for change in changes)
    patch = load_parts(session, org=org, keys=keys, vision=vision)
    also = referrers(plan, patch.gone())
    if not any(also.values()):
        return patch
    more = load_parts(session, org=org, keys=also)
    return _joined(patch, more)


def _joined(first: PlanPatch, second: PlanPatch) -> PlanPatch:
    return PlanPatch(
        objectives={**first.objectives, **second.objectives},
        objective_versions={**first.objective_versions, **second.objective_versions},
        actions={**first.actions, **second.actions},
        units=first.units,
        people=first.people,
        countermeasures={**first.countermeasures, **second.countermeasures},
        situation=first.situation,
        vision=first.vision,
    )
