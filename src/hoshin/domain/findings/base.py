"""The finding value, the catalogue of codes, and what every check reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any, Literal, NamedTuple

from hoshin.domain.findings.columns import MetricRows
from hoshin.domain.model import Metric, Plan
from hoshin.domain.months import Month
from hoshin.domain.rollup import RollUp
from hoshin.domain.schedule import ActionDates, ObjectiveSchedule
from hoshin.domain.status import MetricResult

Severity = Literal["warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("warning", "info")

# code -> (severity, what it means); docs/rules.md's table of findings is written from this.
CODES: dict[str, tuple[Severity, str]] = {
    "orphan": ("warning", "a non-breakthrough objective that supports nothing"),
    "not_deployed": (
        "warning",
        "a breakthrough objective no annual objective supports, or an annual objective "
        "that nothing supports and no action serves",
    ),
    "unmeasured": ("warning", "an objective with no metric and no measured supporter"),
    "no_owner": ("warning", "an objective or action without an owner"),
    "no_deadline": ("warning", "an objective without an end month (not time-bound)"),
    "stale_metric": ("warning", "no actual for the last month (fiscal quarter) due"),
    "missing_countermeasure": ("warning", "a red month without a countermeasure"),
    "overdue_countermeasure": ("warning", "an open countermeasure past its due date"),
    "late_action": ("warning", "an action past its due date and not done"),
    "infeasible_schedule": ("warning", "an objective's action chain cannot finish in time"),
    "over_allocated": ("warning", "a person above 1.0 FTE of actions on some day"),
    "short_horizon": ("warning", "a vision horizon under five years from the plan's start"),
    "unaddressed_position": (
        "warning",
        "a weakness or threat of the situation no objective addresses",
    ),
    "uncovered_risk": ("warning", "a high risk of an open action without a contingency"),
    "unachievable_rate": (
        "info",
        "a metric behind plan that needs over twice its recent pace to reach its target",
    ),
    "owner_overloaded": ("info", "a person owns more than five objectives at one level"),
    "vague_title": ("info", "an objective title with vague words and no number"),
    "unscheduled_action": ("info", "an open action with neither a duration nor start and due"),
    "overlap": ("info", "two objectives or metrics of different units or people that say the same"),
}


class Finding(NamedTuple):
    """Something in the plan that needs attention."""

    code: str
    severity: Severity
    subject: str
    message: str


def finding(code: str, subject: str, message: str) -> Finding:
    """A finding with the severity its code has in the catalogue."""
    return new_finding(Finding, (code, CODES[code][0], subject, message))


# ``new_finding(Finding, (code, severity, subject, message))`` builds the same value as
# ``Finding(...)``, whose constructor is Python code, three times faster: the checks that
# run for every metric of a large plan build a hundred thousand findings with it.
new_finding = tuple.__new__
_id = attrgetter("id")


@dataclass(frozen=True, slots=True)
class Context:
    """The plan and the results every check reads."""

    plan: Plan
    as_of: date
    all_metrics: Sequence[Metric]
    metrics: Mapping[str, MetricResult]
    objectives: Mapping[str, RollUp]
    actions: Mapping[str, ActionDates]
    schedules: Mapping[str, ObjectiveSchedule]
    # the columns several checks read, made by the first that reads them (a cache, not a value)
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def metric_rows(self) -> MetricRows:
        """The metrics with their results as columns, read once for every check."""
        rows = self._memo.get("metric_rows")
        if rows is None:
            rows = self._memo["metric_rows"] = MetricRows(self.all_metrics, self.metrics)
        return rows

    def objective_ids(self) -> list[str]:
        """The ids of the plan's objectives, in its order."""
        ids = self._memo.get("objective_ids")
        if ids is None:
            ids = self._memo["objective_ids"] = list(map(_id, self.plan.objectives))
        return ids

    @property
    def as_of_month(self) -> Month:
        """The month of the as-of date."""
        return Month.of_date(self.as_of)
