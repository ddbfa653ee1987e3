"""Backward goal-setting for a metric: the planned value of each month from baseline to target."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from hoshin.domain.model import Metric
from hoshin.domain.months import Month, months_between


class IncompleteMetric(ValueError):
    """The metric lacks what its direction needs (checked before analysis by ``plan_problems``)."""


class Course(NamedTuple):
    """The planned path of an ``increase``/``decrease`` metric; months are ordinals."""

    baseline: float
    target: float
    start: Month
    end: Month
    compound: bool
    overrides: Mapping[Month, float]

    def planned(self, month: Month) -> float:
        """The planned value of ``month``: an override, else the trajectory, flat outside it."""
        return planned_on(*self, month)

    def progress(self, value: float) -> float:
        """How far ``value`` lies from baseline to target, not clamped."""
        return (value - self.baseline) / (self.target - self.baseline)


def planned_on(
    baseline: float,
    target: float,
    start: Month,
    end: Month,
    compound: bool,
    overrides: Mapping[Month, float],
    month: Month,
) -> float:
    """The planned value of ``month`` on a course given by its fields (``Course.planned``;
    the engine's loop over every metric calls it without building a ``Course``)."""
    if overrides:
        override = overrides.get(month)
        if override is not None:
            return override
    if month <= start:
        return baseline
    if month >= end:
        return target
    share = (month - start) / (end - start)
    if compound:
        return float(baseline * (target / baseline) ** share)
    return baseline + (target - baseline) * share


def end_value(metric: Metric) -> float | None:
    """The target, or the value that ``rate_per_year`` compounds to by the target period."""
    if metric.rate_per_year is None:
        return metric.target
    if metric.baseline is None or metric.baseline_period is None or metric.target_period is None:
        return None
    years = (metric.target_period - metric.baseline_period) / 12
    try:
        return float(metric.baseline * (1 + metric.rate_per_year) ** years)
    except OverflowError:  # beyond any float: validation names it (metric_problems)
        return math.copysign(math.inf, metric.baseline)


def course(metric: Metric) -> Course | None:
    """The course of a metric, or None for a ``maintain`` metric, which has no trajectory."""
    if metric.direction == "maintain":
        return None
    baseline, start, end = metric.baseline, metric.baseline_period, metric.target_period
    target = metric.target if metric.rate_per_year is None else end_value(metric)
    if baseline is None or start is None or end is None or target is None:
        raise IncompleteMetric(f"metric {metric.id} needs baseline, periods and a target")
    compound = metric.trajectory == "compound" or metric.rate_per_year is not None
    # this runs once per metric per analysis: tuple.__new__ builds the NamedTuple in C (its own
    # constructor is Python code, three times slower)
    return tuple.__new__(Course, (baseline, target, start, end, compound, metric.targets))


def planned_value(metric: Metric, month: Month) -> float | None:
    """The planned value of ``month`` (None for a ``maintain`` metric)."""
    path = course(metric)
    return None if path is None else path.planned(month)


def metric_plan(metric: Metric) -> dict[Month, float]:
    """The planned value of every month from the baseline period to the target period."""
    path = course(metric)
    if path is None or metric.baseline_period is None or metric.target_period is None:
        return {}
    return {
        month: path.planned(month)
        for month in months_between(metric.baseline_period, metric.target_period)
    }
