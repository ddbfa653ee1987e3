"""Check-ins: read and record a month's actual (ETag / If-Match), many at once, and history."""

from __future__ import annotations

import functools
import re
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import Scope

from hoshin.api.deps import (
    Db,
    Org,
    OrgSlug,
    access,
    checked_in_by,
    etag,
    now,
    version_of,
)
from hoshin.api.edits import period
from hoshin.domain.months import Month
from hoshin.guard.client import origin_of
from hoshin.runtime import one_thread
from hoshin.runtime.admission import Slots
from hoshin.runtime.group_commit import CheckIn, NewActuals
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.runtime.sessions import Session
from hoshin.service import checkin as checkin_service
from hoshin.service.account import SESSION_COOKIE
from hoshin.service.asker import Asker
from hoshin.service.checkin import Actual

router = APIRouter(tags=["check-ins"], route_class=OneThreadRoute)
PERIOD = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class ActualIn(BaseModel):
    """The value of a month's actual."""

    model_config = ConfigDict(extra="forbid")
    value: float = Field(description="The measured value.", allow_inf_nan=False)


class ActualRead(BaseModel):
    """A month's actual and its version (also its ETag)."""

    metric: str
    period: str
    value: float
    version: int
    updated_at: str


class BulkItem(BaseModel):
    """One actual of a bulk check-in; ``version`` is required to correct an existing one."""

    model_config = ConfigDict(extra="forbid")
    metric: str
    period: str = Field(pattern=PERIOD)
    value: float = Field(allow_inf_nan=False)
    version: int | None = None


class BulkIn(BaseModel):
    """Many actuals, saved all or nothing."""

    model_config = ConfigDict(extra="forbid")
    actuals: list[BulkItem] = Field(min_length=1, max_length=5000)


class BulkRead(BaseModel):
    """The saved actuals."""

    actuals: list[ActualRead]


class ChangeRead(BaseModel):
    """One change of an entity in the audit trail."""

    at: str
    actor: str
    origin: str | None
    change: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


MetricId = Annotated[str, Path(description="The metric's id in the plan.")]
Period = Annotated[str, Path(pattern=PERIOD, description="The month, YYYY-MM.")]


def _month(text: str) -> Month:
    return period(text, "period")


@router.get("/orgs/{org}/metrics/{metric}/actuals/{period}", response_model=ActualRead)
def read_actual(
    org: Org, session: Db, metric: MetricId, period: Period, response: Response
) -> dict[str, Any]:
    """A month's actual; its ETag is the version to send back in If-Match."""
    found = checkin_service.get_actual(session, org=org.org, metric=metric, period=_month(period))
    response.headers["ETag"] = etag(found.version)
    return found.as_json()


@router.put(
    "/orgs/{org}/metrics/{metric}/actuals/{period}",
    response_model=ActualRead,
    responses={
        201: {"description": "Created", "model": ActualRead},
        412: {"description": "Changed by someone else: the body holds the current state"},
        428: {"description": "Correcting an existing actual needs If-Match"},
    },
)
async def record_actual(
    request: Request,
    org: OrgSlug,
    metric: MetricId,
    period: Period,
    actual: ActualIn,
    authorization: Annotated[str | None, Header()] = None,
    if_match: Annotated[str | None, Header(description='The version read: "3".')] = None,
) -> Response:
    """Record or correct a month's actual. A correction must send If-Match; a stale one is 412."""
    month, version = _month(period), version_of(if_match)
    correction = functools.partial(
        _correction, request, org, authorization, metric, month, actual.value, version
    )
    if version is not None:  # it holds an admission slot (not waits_for_the_writer)
        return await correction()
    # A month's first actual, most likely: checked and written by the process's writer
    # with the others that come meanwhile (group commit), while this request waits in the
    # event loop, without a thread, without an admission slot and without a session of its
    # own (a session dependency cost every check-in a tenth of its CPU: py-spy, bench-server).
    # The address too: check-ins of one key share the recorder, and its Who carries it.
    credentials = (org, authorization, request.cookies.get(SESSION_COOKIE), origin_of(request))
    asked = CheckIn(
        checked_in_by(request, org, authorization), credentials, metric, month, actual.value,
        now(),
    )  # fmt: skip
    writer: NewActuals = request.app.state.new_actuals
    saved = await writer.record_soon(asked)
    if saved is not None:
        return _answer(saved, created=True)
    slots: Slots = request.app.state.slots
    async with slots.taken():  # the month has an actual: a thread for record_actual
        return await correction()


# The request's session as the Db dependency makes and ends it, for a route that needs one
# only sometimes (record_actual's corrections).
_request_session = asynccontextmanager(one_thread.request_session)


async def _correction(
    request: Request,
    org: str,
    authorization: str | None,
    metric: str,
    period: Month,
    value: float,
    version: int | None,
) -> Response:
    """record_actual's correction, on a request session of its own, in one thread hand-off
    (runtime.one_thread)."""
    async with _request_session(request) as session:
        found = await access(request, session, org, authorization)
        answer: Response = await one_thread.run(
            _record, org=found, session=session, metric=metric, period=period, value=value,
            version=version,
        )  # fmt: skip
    return answer


_CHECK_IN = re.compile(r"/api/v1/orgs/[^/]+/metrics/[^/]+/actuals/[^/]+")


def waits_for_the_writer(scope: Scope) -> bool:
    """Whether an HTTP request is a check-in without If-Match (record_actual), which waits
    for the writer in the event loop, without a thread: runtime.admission lets it in without a
    slot, and record_actual takes one if it needs a thread after all."""
    return (
        scope["method"] == "PUT"
        and _CHECK_IN.fullmatch(scope["path"]) is not None
        and all(name != b"if-match" for name, _ in scope["headers"])
    )


def _record(
    org: Asker, session: Session, metric: str, period: Month, value: float, version: int | None
) -> Response:
    """record_actual's correction (or a month created since the writer looked), in the
    request's thread; one_thread.run commits it."""
    saved, created = checkin_service.record_actual(
        session, org=org.org, role=org.role, person=org.principal.person, metric=metric,
        period=period, value=value, if_match=version,
        who=org.who, now=now(),
    )  # fmt: skip
    return _answer(saved, created=created)


def _answer(saved: Actual, *, created: bool) -> Response:
    """The saved actual as record_actual answers it, with its version as the ETag."""
    return JSONResponse(
        saved.as_json(), status_code=201 if created else 200, headers={"ETag": etag(saved.version)}
    )


@router.post("/orgs/{org}/actuals", response_model=BulkRead)
def record_actuals(org: Org, session: Db, bulk: BulkIn) -> dict[str, Any]:
    """Record many actuals in one call: all are saved, or none (the first problem is named)."""
    actuals = [checkin_service.ActualIn(**item.model_dump()) for item in bulk.actuals]
    saved = checkin_service.record_actuals(
        session, org=org.org, role=org.role, person=org.person, actuals=actuals, who=org.who,
        now=now(),
    )  # fmt: skip
    return {"actuals": [actual.as_json() for actual in saved]}


@router.get(
    "/orgs/{org}/metrics/{metric}/actuals/{period}/history", response_model=list[ChangeRead]
)
def actual_history(org: Org, session: Db, metric: MetricId, period: Period) -> list[dict[str, Any]]:
    """Every value the month's actual has had, oldest first: corrections keep the earlier one."""
    events = checkin_service.actual_history(
        session, org=org.org, metric=metric, period=_month(period)
    )
    return [
        {"at": e.at.isoformat(), "actor": e.actor, "origin": e.origin, "change": e.change,
         "before": e.before, "after": e.after}
        for e in events
    ]  # fmt: skip
