"""The annual review: fiscal years, an objective's result against target at the end of a
year, and the drafts of next year's annual objectives carried forward from unfinished ones.

A fiscal year is named by the calendar year in which it starts: with fiscal years opening
in April, fiscal year 2026 runs from 2026-04 to 2027-03.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from hoshin.domain.model import Direction, Frequency, Metric, Objective, Trajectory
from hoshin.domain.months import Month
from hoshin.domain.rollup import RollUp
from hoshin.domain.status import MetricResult, latest_actual
from hoshin.domain.trajectory import end_value, planned_value

FIRST_LEVELS = ("breakthrough", "annual")  # the review reads these first


@dataclass(frozen=True, slots=True)
class FiscalYear:
    """A fiscal year: its name (the calendar year it starts in) and its first month."""

    year: int
    first: Month

    @property
    def last(self) -> Month:
        """The last month of the fiscal year."""
        return self.first + 11

    @property
    def last_day(self) -> date:
        """The last day of the fiscal year: the review judges the year as of this day."""
        return self.last.last_day()

    def next(self) -> FiscalYear:
        """The fiscal year after this one."""
        return FiscalYear(self.year + 1, self.first + 12)


def fiscal_year(year: int, start_month: int) -> FiscalYear:
    """Fiscal year ``year`` of an organisation whose fiscal years open in ``start_month``."""
    return FiscalYear(year, Month.of(year, start_month))


def fiscal_year_of(day: date, start_month: int) -> FiscalYear:
    """The fiscal year that holds ``day``."""
    year = day.year if day.month >= start_month else day.year - 1
    return fiscal_year(year, start_month)


def active_in(objective: Objective, year: FiscalYear) -> bool:
    """Whether the objective's start..end overlaps the year (an open end overlaps all)."""
    starts_in_time = objective.start is None or objective.start <= year.last
    ends_in_time = objective.end is None or objective.end >= year.first
    return starts_in_time and ends_in_time


def review_order(objectives: list[Objective]) -> list[Objective]:
    """Breakthrough objectives first, then annual ones, then the rest, each in plan order."""
    rank = {level: k for k, level in enumerate(FIRST_LEVELS)}
    return sorted(objectives, key=lambda o: rank.get(o.level, len(FIRST_LEVELS)))


def finished(result: RollUp) -> bool:
    """An objective is finished (achieved) when it is green as of the year's last day: at or
    ahead of what was planned by its latest data, which by the year's end is all of it."""
    return result.status == "green"


@dataclass(frozen=True, slots=True)
class MetricYear:
    """A metric at the end of a fiscal year: the engine's result, and the target."""

    metric: Metric
    result: MetricResult
    target: float | None

    @property
    def reached(self) -> bool:
        """Whether the latest value reached the target (progress 1)."""
        return self.result.progress is not None and self.result.progress >= 1.0


def metric_year(metric: Metric, result: MetricResult) -> MetricYear:
    """The metric's year-end figures (``result``: the engine's, as of the year's last day)."""
    return MetricYear(metric, result, end_value(metric))


@dataclass(frozen=True, slots=True)
class MetricDraft:
    """Next year's course of a metric: from its latest actual toward the same target."""

    id: str
    name: str
    direction: Direction
    unit: str | None
    baseline: float | None
    baseline_period: Month | None
    target: float | None
    target_period: Month | None
    trajectory: Trajectory
    tolerance: float
    weight: float
    frequency: Frequency
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveDraft:
    """A draft of next year's annual objective, carried forward from ``source``."""

    source: str
    id: str
    title: str
    owner: str | None
    unit: str | None
    supports: Mapping[str, float]
    start: Month
    end: Month
    tolerance: float
    metrics: tuple[MetricDraft, ...] = field(default=())


def unfinished(
    objectives: list[Objective], results: Mapping[str, RollUp], year: FiscalYear
) -> list[Objective]:
    """The year's annual objectives that end in it and are not finished (not green); one
    that ends after the year goes on, and is not carried."""
    return [
        o for o in objectives
        if o.level == "annual" and active_in(o, year) and not finished(results[o.id])
        and o.end is not None and o.end <= year.last
    ]  # fmt: skip


def carry_forward(objective: Objective, year: FiscalYear) -> ObjectiveDraft:
    """Next fiscal year's draft of an annual objective of ``year``.

    The same title without the year's date (``undated``), owner, unit and supports; start
    and end are the next year's first and last months. A metric that reached its target
    is not carried; each other starts again from its latest actual at or before the year's
    last month, as the baseline of that last month (where the new year's course begins).
    Its target: the same one when its target period lies within the next year (kept) or
    before it (moved to the next year's last month); when it lies beyond the next year,
    the trajectory's planned value of the next year's last month, unless the latest
    actual is already past that (then the same target and period). Monthly target
    overrides are not carried. Ids get the next year as a suffix: ``A1`` -> ``A1-2027``.
    """
    after = year.next()
    carried = [
        m for m in objective.metrics if not reached(m, latest_actual(m, year.last))
    ]  # fmt: skip
    return ObjectiveDraft(
        source=objective.id,
        id=f"{objective.id}-{after.year}",
        title=undated(objective.title, year),
        owner=objective.owner,
        unit=objective.unit,
        supports=dict(objective.supports),
        start=after.first,
        end=after.last,
        tolerance=objective.tolerance,
        metrics=tuple(_metric_draft(m, year, after) for m in carried),
    )


def reached(metric: Metric, latest: tuple[Month, float] | None) -> bool:
    """Whether the latest actual is at or beyond the metric's target (a maintain metric,
    a band, never is: it is kept every year)."""
    target = end_value(metric)
    if latest is None or target is None or metric.direction == "maintain":
        return False
    value = latest[1]
    return value >= target if metric.direction == "increase" else value <= target


_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


def undated(title: str, year: FiscalYear) -> str:
    """The title without a date in the fiscal year: "by Dec 2026", "in 2026", "by the end
    of 2026", "in every month of 2026", "by 2026-12", "(2026)", "(FY2026)"; a title that
    is only a date stays as it is."""
    years = "|".join(sorted({str(year.first.year), str(year.last.year)}))
    words = r"(?:(?:the|end|of|every|each|month|year|fiscal|calendar)\s+)*"
    when = rf"(?:(?:{_MONTHS}|q[1-4]|h[12])\.?\s+)?(?:fy\s*)?(?:{years})(?:-[01][0-9])?"
    dated = re.compile(
        rf"\s*\((?:fy\s*)?(?:{years})\)"
        rf"|[\s,;]*\b(?:by|in|for|during|until|before|through|throughout)\s+{words}{when}\b",
        re.IGNORECASE,
    )
    left = re.sub(r"\s{2,}", " ", dated.sub("", title)).strip(" ,;:-")
    return left or title


def _metric_draft(metric: Metric, year: FiscalYear, after: FiscalYear) -> MetricDraft:
    latest = latest_actual(metric, year.last)
    maintain = metric.direction == "maintain"
    baseline, since = metric.baseline, metric.baseline_period
    target, until = end_value(metric), metric.target_period
    if not maintain:
        if latest is not None:
            baseline, since = latest[1], year.last
        if until is None or until < after.first:
            until = after.last
        elif until > after.last:
            target, until = _next_point(metric, baseline, after) or (target, until)
    return MetricDraft(
        id=f"{metric.id}-{after.year}", name=metric.name, direction=metric.direction,
        unit=metric.unit, baseline=baseline, baseline_period=since,
        target=target, target_period=until,
        # a rate per year becomes its end value, so the course is compound
        trajectory="compound" if metric.rate_per_year is not None else metric.trajectory,
        tolerance=metric.tolerance, weight=metric.weight, frequency=metric.frequency,
        minimum=metric.minimum, maximum=metric.maximum,
    )  # fmt: skip


def _next_point(
    metric: Metric, baseline: float | None, after: FiscalYear
) -> tuple[float, Month] | None:
    """The trajectory's planned value of the next year's last month, with that month;
    None when it does not lie beyond ``baseline`` in the metric's direction."""
    planned = planned_value(metric, after.last)
    if planned is None or baseline is None:
        return None
    ahead = planned > baseline if metric.direction == "increase" else planned < baseline
    return (planned, after.last) if ahead else None


def draft_objective(draft: ObjectiveDraft) -> Objective:
    """The annual objective a draft creates (without its metrics, created on their own)."""
    return Objective(
        id=draft.id, title=draft.title, level="annual", owner=draft.owner, unit=draft.unit,
        start=draft.start, end=draft.end, supports=dict(draft.supports),
        tolerance=draft.tolerance,
    )  # fmt: skip


def draft_metric(draft: MetricDraft) -> Metric:
    """The metric a metric draft creates (a course from its baseline to its target)."""
    return Metric(
        id=draft.id, name=draft.name, direction=draft.direction,
        unit=draft.unit, baseline=draft.baseline, baseline_period=draft.baseline_period,
        target=draft.target, target_period=draft.target_period,
        trajectory=draft.trajectory,
        tolerance=draft.tolerance, weight=draft.weight,
        frequency=draft.frequency,
        minimum=draft.minimum, maximum=draft.maximum,
    )  # fmt: skip
