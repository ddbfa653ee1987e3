"""Monthly reviews, annual reflections and comments under /api/v1/orgs/{org}."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import Field

from hoshin.api.deps import Db, Org, now
from hoshin.api.edits import (
    CHANGES,
    PERIOD,
    READS,
    Body,
    Filter,
    IfMatch,
    Key,
    Limit,
    Offset,
    change_of,
    page,
    period,
    tagged,
)
from hoshin.errors import NotFound
from hoshin.fields import Line, Text
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import reflection as reflection_service
from hoshin.service import review as review_service

router = APIRouter(tags=["reviews and comments"], responses=READS, route_class=OneThreadRoute)
Period = Annotated[str, Path(description="The month reviewed, YYYY-MM.", pattern=PERIOD)]
Year = Annotated[int, Path(description="The fiscal year, named by the year it starts in.",
                           ge=1900, le=2998)]  # fmt: skip


class MonthlyReviewWrite(Body):
    """The record of a unit's monthly review: who came, what was decided, notes, and when
    it meets."""

    attendees: list[Line] = Field(default_factory=list, max_length=200)
    decisions: list[Line] = Field(default_factory=list, max_length=100)
    notes: Text = ""
    meeting_at: datetime | None = Field(
        None,
        description="When the review meets: ISO 8601, e.g. 2026-07-02T09:00:00+02:00; "
        "without an offset, UTC. Answered in UTC. Setting or moving it tells the attendees "
        "(a line that is a person's id or exact name) and the unit's lead.",
    )


class MonthlyReviewRead(MonthlyReviewWrite):
    """A recorded monthly review and its version (also its ETag)."""

    unit: str
    period: str
    updated_by: str
    updated_at: str
    version: int


class MonthlyReviewPage(Body):
    """A page of recorded monthly reviews, newest month first."""

    items: list[MonthlyReviewRead]
    total: int
    limit: int
    offset: int


class ReflectionWrite(Body):
    """What worked and what did not for an objective in a fiscal year."""

    worked: Text = ""
    did_not: Text = ""


class ReflectionRead(ReflectionWrite):
    """A reflection and its version (also its ETag)."""

    objective: str
    fiscal_year: int
    updated_by: str
    updated_at: str
    version: int


class CommentCreate(Body):
    """A new comment on an objective."""

    body: Text


class CommentRead(CommentCreate):
    """A comment: who wrote it and when."""

    id: int
    objective: str
    author: str
    at: str
    version: int


@router.get("/orgs/{org}/reviews/monthly", response_model=MonthlyReviewPage)
def list_reviews(
    org: Org, session: Db, unit: Filter = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """Recorded monthly reviews, newest month first, optionally of one unit."""
    items, total = review_service.list_monthly_reviews(
        session, org=org.org, unit=unit, limit=limit, offset=offset
    )
    return page(items, total, limit, offset)


@router.get("/orgs/{org}/reviews/monthly/{unit}/{month}", response_model=MonthlyReviewRead)
def read_review(
    org: Org, session: Db, unit: Key, month: Period, response: Response
) -> dict[str, Any]:
    """The recorded review of a unit's month; 404 until it is recorded."""
    state = review_service.find_monthly_review(
        session, org=org.org, unit=unit, period=period(month, "month")
    )
    if state is None:
        raise NotFound(f"no review of unit {unit} for {month} is recorded")
    return tagged(response, state)


@router.put(
    "/orgs/{org}/reviews/monthly/{unit}/{month}",
    response_model=MonthlyReviewRead,
    responses={**CHANGES, 201: {"description": "Recorded for the first time"}},
)
def save_review(
    org: Org,
    session: Db,
    unit: Key,
    month: Period,
    body: MonthlyReviewWrite,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Records the review (201) or replaces it (needs If-Match). Editors and admins review
    any unit; a contributor their own unit and those below it."""
    state = review_service.save_monthly_review(
        session, change=change_of(org, if_match), asker=(org.role, org.principal.person),
        unit=unit, period=period(month, "month"), record=body.model_dump(), now=now(),
    )  # fmt: skip
    if state["version"] == 1:
        response.status_code = 201
    return tagged(response, state)


@router.get("/orgs/{org}/objectives/{key}/reflections/{year}", response_model=ReflectionRead)
def read_reflection(
    org: Org, session: Db, key: Key, year: Year, response: Response
) -> dict[str, Any]:
    """The reflection on an objective for a fiscal year; 404 until one is written."""
    state = reflection_service.read_reflection(session, org=org.org, objective=key, year=year)
    if state is None:
        raise NotFound(f"no reflection on {key} for {year} yet")
    return tagged(response, state)


@router.put(
    "/orgs/{org}/objectives/{key}/reflections/{year}",
    response_model=ReflectionRead,
    responses={**CHANGES, 201: {"description": "Written for the first time"}},
)
def save_reflection(
    org: Org,
    session: Db,
    key: Key,
    year: Year,
    body: ReflectionWrite,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Writes the reflection (201) or replaces it (needs If-Match). Editors and admins on
    any objective; a contributor on those they own or of their unit."""
    state = reflection_service.save_reflection(
        session, change=change_of(org, if_match), asker=(org.role, org.principal.person),
        objective=key, year=year, worked=body.worked, did_not=body.did_not, now=now(),
    )  # fmt: skip
    if state["version"] == 1:
        response.status_code = 201
    return tagged(response, state)


@router.get("/orgs/{org}/objectives/{key}/comments", response_model=list[CommentRead])
def list_comments(org: Org, session: Db, key: Key) -> list[dict[str, Any]]:
    """The latest comments on an objective (at most 100), newest last."""
    return review_service.comments_of(session, org=org.org, objective=key)


@router.post(
    "/orgs/{org}/objectives/{key}/comments",
    response_model=CommentRead,
    status_code=201,
    responses=CHANGES,
)
def add_comment(
    org: Org, session: Db, key: Key, body: CommentCreate, response: Response
) -> dict[str, Any]:
    """A new comment (contributors, editors and admins; viewers read). ``@id`` in the body
    mentions the person of the plan with that id (any case): they are told, and so is the
    objective's owner; an @ that names nobody stays text."""
    state = review_service.add_comment(
        session, change=change_of(org), role=org.role, objective=key, body=body.body, now=now(),
        person=org.principal.person,
    )  # fmt: skip
    response.headers["Location"] = f"/api/v1/orgs/{org.org.slug}/objectives/{key}/comments"
    return state
