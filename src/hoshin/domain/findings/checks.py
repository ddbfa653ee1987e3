"""Runs every check in a fixed order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hoshin.domain.findings import alignment, execution, measures, position
from hoshin.domain.findings.base import CODES, Context, Finding

Check = Callable[[Context], Iterator[Finding]]

# Each check gives the findings of one code; the order here is the order of the report.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("short_horizon", alignment.short_horizon),
    ("orphan", alignment.orphans),
    ("not_deployed", alignment.not_deployed),
    ("unmeasured", alignment.unmeasured),
    ("no_owner", alignment.no_owner),
    ("no_deadline", alignment.no_deadline),
    ("unaddressed_position", position.unaddressed_positions),
    ("stale_metric", measures.stale_metrics),
    ("missing_countermeasure", measures.missing_countermeasures),
    ("overdue_countermeasure", measures.overdue_countermeasures),
    ("late_action", execution.late_actions),
    ("infeasible_schedule", execution.infeasible_schedules),
    ("over_allocated", execution.over_allocations),
    ("uncovered_risk", position.uncovered_risks),
    ("unachievable_rate", measures.unachievable_rates),
    ("owner_overloaded", alignment.owner_overloaded),
    ("vague_title", alignment.vague_titles),
    ("unscheduled_action", execution.unscheduled_actions),
)
# The place of a finding in the report: warnings first, then by check.
CHECK_RANK = {code: rank for rank, (code, _) in enumerate(CHECKS)}


def find_all(ctx: Context) -> list[Finding]:
    """Every finding, warnings before infos, in the order of the checks."""
    # Each check gives findings of one code, so one severity: no sort is needed.
    found = [item for code, check in CHECKS if CODES[code][0] == "warning" for item in check(ctx)]
    found += [item for code, check in CHECKS if CODES[code][0] != "warning" for item in check(ctx)]
    return found
