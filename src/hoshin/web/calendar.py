"""A person's calendar feed, opened by its private link without signing in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hoshin.config import settings
from hoshin.domain.model import Plan
from hoshin.runtime.sessions import Session
from hoshin.service import calendar
from hoshin.service.analysis import AnalysisCache
from hoshin.service.organization import OrganizationRow
from hoshin.web.deps import Db, now

router = APIRouter()


@router.get("/ical/{secret}.ics")
def calendar_feed(request: Request, session: Db, secret: str) -> Response:
    """The feed (text/calendar) of the link's person; 404 for a link revoked or never made."""
    moment = now()
    cache: AnalysisCache = request.app.state.analyses

    def plan_of(session: Session, org: OrganizationRow) -> Plan:
        return cache.get(session, org=org, as_of=moment.date()).plan

    feed = calendar.calendar_feed(
        session, secret=secret, now=moment, base_url=settings().base_url, plan_of=plan_of
    )
    headers = {
        "Cache-Control": "private, no-cache",
        "Content-Disposition": f'inline; filename="hoshin-{feed.org.slug}.ics"',
        "Referrer-Policy": "no-referrer",  # the link is the secret
    }
    return Response(feed.body, media_type=calendar.MEDIA_TYPE, headers=headers)
