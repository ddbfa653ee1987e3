"""The objective page's forms in place: add a metric, an action or a countermeasure to the
objective (pre-filled with it), and move a countermeasure on: open, in progress, closed
with its effect. Each form is read as the plan's edit pages read theirs (web.forms)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from hoshin.domain.model import COUNTERMEASURE_STATUSES, Countermeasure, Objective
from hoshin.domain.months import Month
from hoshin.domain.status import month_status
from hoshin.domain.trajectory import course
from hoshin.web.forms import DIRECTIONS, Form, Reader, action_of, metric_of

ADDS = ("metric", "action", "countermeasure")
STATUS_WORDS = {"open": "open", "in_progress": "in progress", "closed": "closed"}


def latest_red(objective: Objective, as_of: date) -> tuple[str, Month] | None:
    """(metric, month) of the latest red month among the objective's metrics' actuals up to
    the as-of month (the first metric's on a tie), or None when none is red."""
    now = Month.of_date(as_of)
    found: tuple[str, Month] | None = None
    for metric in objective.metrics:
        path = course(metric)
        for month in sorted((m for m in metric.actuals if m <= now), reverse=True):
            if found is not None and month <= found[1]:
                break
            if month_status(metric, path, month, metric.actuals[month]) == "red":
                found = (metric.id, month)
                break
    return found


def blank(kind: str, objective: Objective, as_of: date, *, metric: str | None = None) -> Form:
    """The add form of ``kind``, pre-filled for the objective: an action serves it and its
    owner owns it (the id: the owner's picker shows the name), a countermeasure answers its
    latest red month (or ``metric``'s last month)."""
    owner = objective.owner or ""
    if kind == "metric":
        return Form({"direction": "increase"})
    if kind == "action":
        return Form({"owner": owner})
    red = latest_red(objective, as_of)
    chosen = metric or (red[0] if red else (objective.metrics[0].id if objective.metrics else ""))
    period = red[1] if red and red[0] == chosen else Month.of_date(as_of).minus(1)
    return Form({"metric": chosen, "period": str(period), "owner": owner})


def new_metric(form: Form) -> tuple[Reader, Any]:
    """The metric typed in the add form (its id made from the name when left empty)."""
    read = Reader(form.values)
    return read, metric_of(read, None)


def new_action(form: Form, objective: str) -> tuple[Reader, Any]:
    """The action typed in the add form; it serves the objective."""
    read = Reader({**form.values, "serves": objective})
    return read, action_of(read, None)


def measure_of(read: Reader, key: str, metrics: Mapping[str, str]) -> Countermeasure:
    """The countermeasure typed: metric (one of ``metrics``), month, cause, action, owner,
    due date, status and effect."""
    metric = read.required("metric", "id")
    if metric and metric not in metrics:
        read.note("metric", "choose one of the objective's metrics")
    period = read.month("period")
    if period is None and "period" not in read.problems:
        read.note("period", "required")
    status = read.choice("status", COUNTERMEASURE_STATUSES, "open")
    return Countermeasure(
        id=key, metric=metric, period=period or Month.of(2000, 1),
        cause=read.text("cause", "description"), action=read.text("action", "description"),
        owner=read.key("owner"), due=read.day("due"), status=status,  # type: ignore[arg-type]
        effect=read.text("effect", "description"),
    )  # fmt: skip


def measure_values(state: Mapping[str, Any]) -> dict[str, str]:
    """The countermeasure form's text from its saved state."""
    names = ("metric", "period", "cause", "action", "owner", "due", "status", "effect")
    return {name: "" if state.get(name) is None else str(state[name]) for name in names}


def choices(objective: Objective) -> dict[str, Any]:
    """What the add forms offer: the objective's metrics, the statuses, the directions."""
    return {
        "metric_choices": [(m.id, m.name) for m in objective.metrics],
        "statuses": [(s, STATUS_WORDS[s]) for s in COUNTERMEASURE_STATUSES],
        "directions": DIRECTIONS,
    }
