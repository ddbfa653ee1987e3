"""The engine's contract: the JSON object of an analysis (``hoshin check --format json``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hoshin.domain.analysis import Analysis
from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.domain.report_charts import charts
from hoshin.domain.rollup import RollUp
from hoshin.domain.schedule import ActionDates, ObjectiveSchedule
from hoshin.domain.status import MetricResult

Json = dict[str, Any]


def report(plan: Plan, analysis: Analysis) -> Json:
    """The whole analysis as plain JSON values: months ``YYYY-MM``, dates ISO, floats unrounded."""
    month = Month.of_date(analysis.as_of)
    metrics = list(plan.metrics())
    results = analysis.metrics
    summary = analysis.summary
    return {
        "as_of": analysis.as_of.isoformat(),
        "objectives": {
            key: objective_json(result, analysis.schedules[key])
            for key, result in analysis.objectives.items()
        },
        "metrics": {
            metric.id: _metric_json(results[metric.id], plan_json, bowling_json)
            for metric, (plan_json, bowling_json) in zip(
                metrics, charts(metrics, month, plan.organization.fiscal_year_start), strict=True
            )
        },
        "actions": {key: action_json(dates) for key, dates in analysis.actions.items()},
        "findings": [item._asdict() for item in analysis.findings],
        "summary": {
            "objectives": summary.objectives,
            **summary.by_status,
            "alignment_coverage": summary.alignment_coverage,
        },
    }


def objective_json(result: RollUp, schedule: ObjectiveSchedule) -> Json:
    """One objective of the report."""
    return {
        "level": result.level,
        "progress": result.progress,
        "planned_progress": result.planned_progress,
        "status": result.status,
        "schedule": {
            "feasible": schedule.feasible,
            "days_late": schedule.days_late,
            "critical": list(schedule.critical),
        },
    }


def _metric_json(result: MetricResult, plan_json: Json, bowling_json: list[Json]) -> Json:
    """One metric of the report, with its monthly plan and this fiscal year's bowling chart."""
    return {
        "current": result.current,
        "current_period": _month(result.current_period),
        "planned": result.planned,
        "progress": result.progress,
        "planned_progress": result.planned_progress,
        "status": result.status,
        "plan": plan_json,
        "bowling": bowling_json,
    }


def action_json(dates: ActionDates) -> Json:
    """One action's window and slack."""
    return {
        "earliest_start": _day(dates.earliest_start),
        "earliest_finish": _day(dates.earliest_finish),
        "latest_start": _day(dates.latest_start),
        "latest_finish": _day(dates.latest_finish),
        "slack_days": dates.slack_days,
    }


def _month(month: Month | None) -> str | None:
    return None if month is None else str(month)


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
