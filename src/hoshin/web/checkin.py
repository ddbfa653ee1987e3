"""Check-in: this month's numbers for every metric someone owns, saved one by one in place."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from hoshin.domain.model import Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.errors import HoshinError, NotFound
from hoshin.service import metric as metric_service
from hoshin.service.metric import PreconditionFailed, Who
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.render import render

router = APIRouter()
HISTORY = 3  # months shown before the one that is due


@router.get("/orgs/{org}/check-in", response_class=HTMLResponse)
def check_in(request: Request, session: Db, here: Place, unit: str | None = None) -> Response:
    """The grid: a row per metric the asker owns (or of ``unit``), the last months' values
    and an input for the month that is due (the month before the as-of month)."""
    found = here.analysed(session)
    due = Month.of_date(here.as_of).minus(1)
    owned = _metrics(found.plan, here.me.person, unit)
    rows = [_row(session, here, found.analysis.metrics[m.id], o, m, due) for o, m in owned]
    context = {"here": here, "rows": rows, "due": due, "unit": unit, "units": found.plan.units}
    return render(request, "check_in.html", context)


@router.post("/orgs/{org}/check-in/{metric}/{period}", response_class=HTMLResponse)
async def save(request: Request, session: Db, here: Place, metric: str, period: str) -> Response:
    """Saves one value (htmx answers the row again, with its new status); without
    JavaScript the whole form comes here and the grid is shown again."""
    form = await request.form()
    value, version = str(form.get("value", "")).strip(), str(form.get("version", "")).strip()
    problem = _record(session, here, metric, period, value, version)
    if request.headers.get("HX-Request") != "true":
        return RedirectResponse(f"/orgs/{here.org.slug}/check-in{here.query()}", status_code=303)
    found = here.analysed(session)
    objective, owned = next(
        ((o, m) for o in found.plan.objectives for m in o.metrics if m.id == metric), (None, None)
    )
    if objective is None or owned is None:
        raise NotFound(f"no metric '{metric}'")
    due = Month.parse(period)
    row = _row(session, here, found.analysis.metrics[metric], objective, owned, due)
    row.update(problem=problem, saved=problem is None and bool(value), typed=value)
    return render(request, "check_in_row.html", {"here": here, "row": row})


def _record(
    session: Session, here: Here, metric: str, period: str, value: str, version: str
) -> str | None:
    """Records the value; the problem in words when it cannot be, else None."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return f"'{value}' is not a number"
    try:
        metric_service.check_may_record(
            session, org=here.org, role=here.role, person=here.me.person, metric=metric
        )
        metric_service.record_actual(
            session, org=here.org, metric=metric, period=Month.parse(period), value=number,
            if_match=int(version) if version.isdigit() else None,
            who=Who(here.me.email, here.me.user_id), now=now(),
        )  # fmt: skip
    except PreconditionFailed as error:
        session.rollback()
        return f"{error.message}: reload to see the value saved meanwhile"
    except (HoshinError, ValueError) as error:
        session.rollback()
        return getattr(error, "message", str(error))
    session.commit()  # the row then shows the analysis with the value saved
    return None


def _metrics(plan: Plan, person: str | None, unit: str | None) -> list[tuple[Objective, Metric]]:
    """The metrics of the objectives of ``unit``, else of those ``person`` owns."""
    return [
        (o, m)
        for o in plan.objectives
        if (o.unit == unit if unit is not None else person is not None and o.owner == person)
        for m in o.metrics
    ]


def _row(
    session: Session, here: Here, result: Any, objective: Objective, metric: Metric, due: Month
) -> dict[str, Any]:
    value = metric.actuals.get(due)
    version = None
    if value is not None:  # a correction names the version it read (If-Match)
        actual = metric_service.get_actual(session, org=here.org, metric=metric.id, period=due)
        version = actual.version
    return {
        "objective": objective,
        "metric": metric,
        "result": result,
        "due": due,
        "history": [
            (due.minus(k), metric.actuals.get(due.minus(k))) for k in range(HISTORY, 0, -1)
        ],
        "value": value,
        "version": version,
        "action": f"/orgs/{here.org.slug}/check-in/{metric.id}/{due}{here.query()}",
        "problem": None,
        "saved": False,
        "typed": "",
    }
