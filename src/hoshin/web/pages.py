"""True north (the home page of an organisation) and the objective page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain import chart
from hoshin.domain.guide import is_empty
from hoshin.domain.model import Countermeasure, Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.status import bowling
from hoshin.domain.trajectory import end_value
from hoshin.errors import NotFound
from hoshin.runtime.sessions import Session
from hoshin.service import audit, catchball, review, view
from hoshin.service.analysis import Analysed
from hoshin.web import history, objective_forms
from hoshin.web.deps import Db, Here, Place
from hoshin.web.history_words import Words
from hoshin.web.names import Names, names_of
from hoshin.web.parents import awaiting_mark
from hoshin.web.render import render
from hoshin.web.start import resume_url, start_url

router = APIRouter()
ATTENTION = 20  # findings listed on true north; the rest are counted


@router.get("/orgs/{org}/", response_class=HTMLResponse)
def true_north(request: Request, session: Db, here: Place) -> Response:
    """Vision and values; each breakthrough objective with its status, progress against
    plan and headline metrics; the status counts; the findings that need attention. An
    empty plan (no vision, no objective) leads to the guided start instead."""
    found = here.analysed(session)
    plan, analysis = found.plan, found.analysis
    if is_empty(plan):
        return RedirectResponse(start_url(here), status_code=303)
    warnings = [f for f in analysis.findings if f.severity == "warning"]
    context = {
        "here": here,
        "plan": plan,
        "summary": analysis.summary,
        "breakthroughs": [
            _card(found, objective, Month.of_date(here.as_of)) for objective in plan.objectives
            if objective.level == "breakthrough"
        ],
        "attention": warnings[:ATTENTION],
        "more": max(len(warnings) - ATTENTION, 0),
        "resume": resume_url(here, found),
    }  # fmt: skip
    return render(request, "true_north.html", context)


@router.get("/orgs/{org}/objectives/{key}", response_class=HTMLResponse)
def objective_page(
    request: Request,
    session: Db,
    here: Place,
    key: str,
    add: Annotated[str | None, Query(max_length=20)] = None,
    metric: Annotated[str | None, Query(max_length=100)] = None,
    period: Annotated[str | None, Query(max_length=7)] = None,
) -> Response:
    """An objective: metrics with charts and this year's bowling chart, contributors,
    actions with the backward schedule, countermeasures and the history of changes;
    ``add`` opens the form that adds a metric, an action or a countermeasure (of
    ``metric`` in ``period``) in its section (web.countermeasure saves it)."""
    context = objective_context(session, here, key)
    if add in objective_forms.ADDS:
        objective = context["objective"]
        form = objective_forms.blank(add, objective, here.as_of, metric=metric)
        if add == "countermeasure" and period:  # as asked (the monthly review's month)
            form.values["period"] = period
        context.update(adding=add, add_form=form, **objective_forms.choices(objective))
    return render(request, "objective.html", context)


def objective_context(session: Session, here: Here, key: str) -> dict[str, Any]:
    """What the objective page shows of objective ``key``."""
    found = here.analysed(session)
    objective = _objective(found.plan, key)
    analysis = found.analysis
    month = Month.of_date(here.as_of)
    fiscal = found.plan.organization.fiscal_year_start
    metrics = [
        {
            "metric": metric,
            "result": analysis.metrics[metric.id],
            "chart": chart.metric_chart(metric, month),
            "summary": chart.chart_summary(metric, month),
            "target": end_value(metric),
            "bowling": bowling(metric, month, fiscal),
        }
        for metric in objective.metrics
    ]
    ids = {m.id for m in objective.metrics}
    actions = [a for a in found.plan.actions if key in a.serves]
    measures = [c for c in found.plan.countermeasures if c.metric in ids]
    context = {
        "here": here,
        "objective": objective,
        "names": names_of(found),
        "result": analysis.objectives[key],
        "schedule": analysis.schedules.get(key),
        "metrics": metrics,
        "supports": [(_objective(found.plan, p), w) for p, w in objective.supports.items()],
        "contributors": _contributors(found, key),
        "actions": [(a, analysis.actions[a.id]) for a in actions],
        "countermeasures": measures,
        "comments": review.comments_of(session, org=here.org, objective=key),
        "agreement": catchball.agreement_of(session, org=here.org, objective=key),
        "history": _history(session, here, objective, measures, names_of(found)),
        "history_limit": audit.HISTORY,
        "adding": None,
    }  # fmt: skip
    return context


def _history(
    session: Session,
    here: Here,
    objective: Objective,
    measures: list[Countermeasure],
    names: Names,
) -> list[history.Line]:
    """The latest changes of the objective, its metrics, their check-ins and countermeasures."""
    events = audit.objective_history(
        session,
        org=here.org,
        objective=objective.id,
        metrics={metric.id: list(metric.actuals) for metric in objective.metrics},
        countermeasures=[measure.id for measure in measures],
    )
    metrics = {metric.id: metric for metric in objective.metrics}
    return history.lines(events, Words(metrics, names))


def _card(found: Analysed, objective: Objective, month: Month) -> dict[str, Any]:
    result = found.analysis.objectives[objective.id]
    return {
        "objective": objective,
        "result": result,
        "label": f"progress {view.percent(result.progress)}, "
        f"planned {view.percent(result.planned_progress)}",
        "metrics": [
            {
                "metric": metric,
                "result": found.analysis.metrics[metric.id],
                "trend": chart.sparkline(metric.actuals),
                "change": chart.trend(metric, month),
            }
            for metric in objective.metrics
        ],
    }


def _objective(plan: Plan, key: str) -> Objective:
    for objective in plan.objectives:
        if objective.id == key:
            return objective
    raise NotFound(f"no objective '{key}'")


def _contributors(found: Analysed, key: str) -> list[dict[str, Any]]:
    """The objectives that support ``key``, with the weight of each link, and a mark on
    each that counts as 0 until its first actual."""
    return [
        {
            "objective": o,
            "weight": o.supports[key],
            "result": found.analysis.objectives[o.id],
            "awaiting": awaiting_mark(found, o.id),
        }
        for o in found.plan.objectives
        if key in o.supports
    ]
