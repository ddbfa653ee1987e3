"""Metrics: read them, add one to an objective, change and delete them (actuals have their
own routes)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import Field

from hoshin.api.deps import Db, Org
from hoshin.api.edits import (
    CHANGES,
    MADE_ID,
    READS,
    Body,
    Filter,
    IfMatch,
    Key,
    Limit,
    Number,
    Offset,
    at,
    change_of,
    created,
    key_of,
    month,
    new_key,
    page,
    period,
    tagged,
)
from hoshin.domain.model import DEFAULT_TOLERANCE, Metric, Trajectory
from hoshin.domain.text import LONGEST
from hoshin.fields import ID_PATTERN, Id, Line, Period, Title
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import metric as metric_service

router = APIRouter(tags=["metrics"], responses=READS, route_class=OneThreadRoute)


class MetricFields(Body):
    """A metric's fields as in the plan file (``min``/``max`` bound a maintain metric)."""

    name: Title
    unit: Line | None = None
    direction: Literal["increase", "decrease", "maintain"] = "increase"
    baseline: Number | None = None
    baseline_period: Period | None = None
    target: Number | None = None
    rate_per_year: Number | None = None
    target_period: Period | None = None
    trajectory: Trajectory | None = Field(
        default=None, description="Default: compound with rate_per_year, else linear."
    )
    targets: dict[Period, Number] = Field(default_factory=dict)
    tolerance: Number = DEFAULT_TOLERANCE
    weight: Number = 1.0
    frequency: Literal["monthly", "quarterly"] = "monthly"
    minimum: Number | None = Field(default=None, alias="min")
    maximum: Number | None = Field(default=None, alias="max")
    owner: Id | None = Field(
        default=None,
        description="The person who enters its actuals; none: its objective's owner.",
    )

    def metric(self, key: str) -> Metric:
        """The domain's metric (no actuals: they are recorded on their own)."""
        implied: Trajectory = "compound" if self.rate_per_year is not None else "linear"
        return Metric(
            id=key, name=self.name, direction=self.direction, baseline=self.baseline,
            baseline_period=month(self.baseline_period, "baseline_period"), target=self.target,
            rate_per_year=self.rate_per_year,
            target_period=month(self.target_period, "target_period"),
            trajectory=self.trajectory or implied,
            targets={period(k, f"targets.{k}"): v for k, v in self.targets.items()},
            tolerance=self.tolerance, weight=self.weight, frequency=self.frequency,
            unit=self.unit, minimum=self.minimum, maximum=self.maximum, owner=self.owner,
        )  # fmt: skip


class MetricCreate(MetricFields):
    """A new metric."""

    id: Id | None = Field(default=None, description=MADE_ID)


class MetricUpdate(MetricFields):
    """A metric's fields, replaced whole; ``id`` may be left out (it is in the path)."""

    id: Id | None = None


class MetricRead(MetricCreate):
    """A metric, the objective it measures, and its version (also its ETag)."""

    id: Id
    objective: str
    version: int


class MetricPage(Body):
    """A page of metrics."""

    items: list[MetricRead]
    total: int
    limit: int
    offset: int


@router.get("/orgs/{org}/metrics", response_model=MetricPage)
def list_metrics(
    org: Org, session: Db, objective: Filter = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """Metrics in plan order, optionally of one objective."""
    items, total = metric_service.list_metrics(
        session, org=org.org, objective=objective, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/metrics/{key}", response_model=MetricRead)
def read_metric(org: Org, session: Db, key: Key, response: Response) -> dict[str, Any]:
    """One metric; its ETag is the version to send back in If-Match."""
    return tagged(response, metric_service.read_metric(session, org=org.org, key=key))


@router.post(
    "/orgs/{org}/objectives/{objective}/metrics",
    response_model=MetricRead,
    status_code=201,
    responses=CHANGES,
)
def create_metric(
    org: Org,
    session: Db,
    objective: Annotated[
        str,
        Path(
            description="The objective it measures.",
            max_length=LONGEST["id"],
            pattern=ID_PATTERN,
        ),
    ],
    body: MetricCreate,
    response: Response,
) -> dict[str, Any]:
    """A new metric of an objective (editors and admins)."""
    key = new_key(session, org, body.id, body.name, "metric")
    state = metric_service.create_metric(
        session, change=change_of(org), role=org.role, objective=objective,
        metric=body.metric(key),
    )  # fmt: skip
    return created(response, state, at(org, "metrics", key))


@router.put("/orgs/{org}/metrics/{key}", response_model=MetricRead, responses=CHANGES)
def update_metric(
    org: Org,
    session: Db,
    key: Key,
    body: MetricUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The metric's fields replaced (its objective and actuals stay); needs If-Match."""
    metric = body.metric(key_of(key, body.id))
    change = change_of(org, if_match)
    state = metric_service.update_metric(session, change=change, role=org.role, metric=metric)
    return tagged(response, state)


@router.delete("/orgs/{org}/metrics/{key}", status_code=204, responses=CHANGES)
def delete_metric(org: Org, session: Db, key: Key, if_match: IfMatch = None) -> Response:
    """Deletes a metric no action moves and no countermeasure answers, with its actuals."""
    metric_service.delete_metric(session, change=change_of(org, if_match), role=org.role, key=key)
    return Response(status_code=204)
