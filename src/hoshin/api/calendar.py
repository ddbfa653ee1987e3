"""The caller's own calendar link: a private iCalendar feed of their deadlines, check-ins
and review meetings, made (or renewed) and revoked."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from hoshin.api.deps import Db, Org, now
from hoshin.api.edits import CHANGES, READS
from hoshin.config import settings
from hoshin.errors import InvalidInput
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import calendar
from hoshin.service.asker import Asker

router = APIRouter(tags=["calendar"], responses=READS, route_class=OneThreadRoute)


def _person(org: Asker) -> str:
    """The plan person the caller is; InvalidInput when their account is linked to none."""
    if org.person is None:
        reason = "your account is linked to no person of the plan: an admin links it"
        raise InvalidInput(reason, [{"field": "person", "reason": reason}])
    return org.person


@router.post("/orgs/{org}/calendar-link", status_code=201, responses={422: CHANGES[422]})
def new_calendar_link(org: Org, session: Db) -> dict[str, Any]:
    """A new link to the caller's calendar feed (any member linked to a person); a link
    they had stops working. The answer holds it this once: keep it private."""
    secret = calendar.new_calendar_link(
        session, org=org.org, person=_person(org), who=org.who, now=now()
    )
    path = calendar.calendar_path(secret)
    return {"url": settings().base_url.rstrip("/") + path, "path": path}


@router.delete("/orgs/{org}/calendar-link", status_code=204, responses={422: CHANGES[422]})
def revoke_calendar_link(org: Org, session: Db) -> Response:
    """Ends the caller's calendar link: its feed answers 404 from now on."""
    calendar.revoke_calendar_link(session, org=org.org, person=_person(org), who=org.who, now=now())
    return Response(status_code=204)
