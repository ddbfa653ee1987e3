"""Runs every check in a fixed order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hoshin.domain.findings import alignment, execution, measures
from hoshin.domain.findings.base import Context, Finding

CHECKS: tuple[Callable[[Context], Iterator[Finding]], ...] = (
    alignment.short_horizon,
    alignment.orphans,
    alignment.not_deployed,
    alignment.unmeasured,
    alignment.no_owner,
    alignment.no_deadline,
    measures.stale_metrics,
    measures.missing_countermeasures,
    measures.overdue_countermeasures,
    execution.late_actions,
    execution.infeasible_schedules,
    execution.over_allocations,
    measures.unachievable_rates,
    alignment.owner_overloaded,
    alignment.vague_titles,
    execution.unscheduled_actions,
)


def find_all(ctx: Context) -> list[Finding]:
    """Every finding, warnings before infos, in the order of the checks."""
    found = [item for check in CHECKS for item in check(ctx)]
    return sorted(found, key=lambda item: item.severity != "warning")
