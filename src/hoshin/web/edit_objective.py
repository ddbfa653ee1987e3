"""Editing objectives (with their weighted ``supports`` links) and their metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from hoshin.domain.model import LEVELS, Metric, Objective
from hoshin.runtime.sessions import Session
from hoshin.service import metric as metric_service
from hoshin.service import objective as objective_service
from hoshin.service import unit as unit_service
from hoshin.service.objective import MetricSummary
from hoshin.web.assist_forms import assist_url, form_parents, parents_url
from hoshin.web.deps import Here
from hoshin.web.edit_base import Editable, plan_url, register
from hoshin.web.edit_values import metric_values, objective_values
from hoshin.web.forms import (
    DIRECTIONS,
    FREQUENCIES,
    TRAJECTORIES,
    Form,
    metric_of,
    objective_of,
)
from hoshin.web.references import Reference
from hoshin.web.situation import situation_choices

router = APIRouter()


def _objective_context(
    session: Session, here: Here, form: Form, key: str | None, _parent: str | None
) -> dict[str, Any]:
    """The objective's metrics (edited on their own), and the levels to choose from; the
    assistant's parents for the title (web/assist_forms.py)."""
    metrics = [] if key is None else _metrics(session, here, key)
    return {
        "levels": LEVELS, "metrics": metrics,
        "page": None if key is None else f"/orgs/{here.org.slug}/objectives/{key}",
        "new_metric": None if key is None else plan_url(here, "objectives", key, "metrics", "new"),
        "assist_parents": form_parents(session, here, form.values, key),
        "assist_parents_url": parents_url(here, "f-supports-new-id", key),
        "assist_draft_url": assist_url(here, "draft/objective", key=key),
        **situation_choices(session, here),
    }  # fmt: skip


def _metrics(session: Session, here: Here, key: str) -> list[tuple[MetricSummary, str]]:
    """The objective's metrics, each with its form's URL."""
    found = objective_service.get_outline(session, org=here.org, key=key).metrics
    return [(metric, plan_url(here, "metrics", metric.id)) for metric in found]


def _metric_context(
    session: Session, here: Here, _form: Form, key: str | None, parent: str | None
) -> dict[str, Any]:
    """The objective the metric measures, and the choices of its fields."""
    objective = parent
    if key is not None:
        objective = metric_service.measured_objective(session, org=here.org, key=key)
    found = objective_service.get_outline(session, org=here.org, key=objective or "")
    return {
        "objective": found, "objective_url": plan_url(here, "objectives", found.id),
        "objective_owner": _owner_name(session, here, found.id),
        "directions": DIRECTIONS, "trajectories": TRAJECTORIES, "frequencies": FREQUENCIES,
    }  # fmt: skip


def _owner_name(session: Session, here: Here, objective: str) -> str:
    """The name of the objective's owner (who owns its metrics that have none), or ''."""
    owner: str | None = objective_service.detail(session, org=here.org, key=objective)["owner"]
    if owner is None:
        return ""
    name: str = unit_service.read_person(session, org=here.org, key=owner)["name"]
    return name


OBJECTIVES: Editable[Objective] = Editable(
    kind="objective", plural="objectives", template="edit_objective.html", parse=objective_of,
    values=objective_values,
    read=lambda session, here, key: objective_service.detail(session, org=here.org, key=key),
    create=lambda session, change, here, objective, _parent: objective_service.create_objective(
        session, change=change, role=here.role, objective=objective
    ),
    update=lambda session, change, here, objective: objective_service.update_objective(
        session, change=change, role=here.role, objective=objective
    ),
    delete=lambda session, change, here, key: objective_service.delete_objective(
        session, change=change, role=here.role, key=key
    ),
    context=_objective_context,
    done=lambda here, key: f"/orgs/{here.org.slug}/objectives/{key}",
    blank={"level": "annual", "tolerance": "0.1"},
    refs={"owner": Reference("people"), "unit": Reference("units"),
          "supports-*-id": Reference("objectives")},
)  # fmt: skip
METRICS: Editable[Metric] = Editable(
    kind="metric", plural="metrics", template="edit_metric.html", parse=metric_of,
    values=metric_values,
    read=lambda session, here, key: metric_service.read_metric(session, org=here.org, key=key),
    create=lambda session, change, here, metric, parent: metric_service.create_metric(
        session, change=change, role=here.role, objective=parent or "", metric=metric
    ),
    update=lambda session, change, here, metric: metric_service.update_metric(
        session, change=change, role=here.role, metric=metric
    ),
    delete=lambda session, change, here, key: metric_service.delete_metric(
        session, change=change, role=here.role, key=key
    ),
    context=_metric_context,
    blank={"direction": "increase", "tolerance": "0.1", "weight": "1", "frequency": "monthly"},
    new_path="/orgs/{org}/plan/objectives/{parent}/metrics/new",
    refs={"owner": Reference("people")}, titled="name",
)  # fmt: skip

register(router, METRICS)
register(router, OBJECTIVES)
