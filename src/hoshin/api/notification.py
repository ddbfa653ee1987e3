"""The asker's notifications and notification settings under /api/v1/orgs/{org}: those of
the plan person their account is linked to (404 saying so for an account linked to none)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from hoshin.api.deps import Db, Org, now
from hoshin.api.edits import CHANGES, READS, Body, IfMatch, Limit, Offset, change_of, tagged
from hoshin.domain.notices import Choice, Event
from hoshin.errors import NotFound
from hoshin.fields import LARGEST_ROW_ID
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import inbox, preferences
from hoshin.service.asker import Asker

router = APIRouter(tags=["notifications"], responses=READS, route_class=OneThreadRoute)
NotificationId = Annotated[int, Path(description="The notification's id.", ge=1,
                                     le=LARGEST_ROW_ID)]  # fmt: skip
Unread = Annotated[bool, Query(description="Only the unread ones.")]


class NotificationRead(Body):
    """One thing the asker's person was told."""

    id: int
    event: str
    event_label: str
    title: str
    body: str
    link: str = Field(description="A path of the organisation's pages, under HOSHIN_BASE_URL.")
    item_kind: str
    item: str
    period: str
    created_at: str
    read: bool
    read_at: str | None


class NotificationPage(Body):
    """A page of the asker's notifications, newest first, and how many are unread."""

    items: list[NotificationRead]
    total: int
    unread: int
    limit: int
    offset: int


class MarkedRead(Body):
    """How many notifications were unread and are now read."""

    marked: int


class NotificationSettingsWrite(Body):
    """The asker's choices: per event, e-mail, in-app, both or none (an event left out
    takes the default, both); the daily digest of e-mails; the weekly digest (Mondays)."""

    channels: dict[Event, Choice] = Field(default_factory=dict)
    daily_digest: bool = False
    weekly_digest: bool = True


class NotificationSettingsRead(Body):
    """The asker's choices, every event listed, with the version (also the ETag; 0: never
    saved, the defaults) and whether they have a calendar link."""

    person: str
    channels: dict[Event, Choice]
    daily_digest: bool
    weekly_digest: bool
    calendar: bool
    version: int


def _person(org: Asker) -> str:
    if org.person is None:
        raise NotFound(
            "your account is not linked to a person of the plan: an admin links it "
            f"(PUT /api/v1/orgs/{org.org.slug}/members/{org.email} with a person)"
        )
    return org.person


@router.get("/orgs/{org}/notifications", response_model=NotificationPage)
def list_notifications(
    org: Org, session: Db, unread: Unread = False, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The asker's notifications, newest first (``unread=true``: only the unread)."""
    found = inbox.list_notifications(
        session, org=org.org, person=_person(org), unread_only=unread, limit=limit,
        offset=offset,
    )  # fmt: skip
    return {"items": found.items, "total": found.total, "unread": found.unread,
            "limit": limit, "offset": offset}  # fmt: skip


@router.post("/orgs/{org}/notifications/read-all", response_model=MarkedRead, responses=CHANGES)
def mark_all_read(org: Org, session: Db) -> dict[str, int]:
    """Marks every notification of the asker read."""
    return {"marked": inbox.mark_all_read(session, org=org.org, person=_person(org), now=now())}


@router.post(
    "/orgs/{org}/notifications/{notification_id}/read",
    response_model=NotificationRead,
    responses=CHANGES,
)
def mark_read(org: Org, session: Db, notification_id: NotificationId) -> dict[str, Any]:
    """Marks one of the asker's notifications read (read before: unchanged); another
    person's is not found."""
    return inbox.mark_read(session, org=org.org, person=_person(org),
                           notification_id=notification_id, now=now())  # fmt: skip


@router.get("/orgs/{org}/notification-settings", response_model=NotificationSettingsRead)
def read_settings(org: Org, session: Db, response: Response) -> dict[str, Any]:
    """The asker's notification settings (ETag: their version)."""
    prefs = preferences.get_preferences(session, org=org.org, person=_person(org))
    return tagged(response, preferences.preferences_state(prefs))


@router.put(
    "/orgs/{org}/notification-settings",
    response_model=NotificationSettingsRead,
    responses={**CHANGES, 201: {"description": "Saved for the first time"}},
)
def save_settings(
    org: Org,
    session: Db,
    body: NotificationSettingsWrite,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Replaces the asker's settings: the first save creates them (201), a later one needs
    If-Match (settings made for an e-mail's unsubscribe link count as saved)."""
    prefs = preferences.save_preferences(
        session, change=change_of(org, if_match), person=_person(org),
        channels={str(e): str(c) for e, c in body.channels.items()}, daily_digest=body.daily_digest,
        weekly_digest=body.weekly_digest, now=now(),
    )  # fmt: skip
    if prefs.version == 1:
        response.status_code = 201
    return tagged(response, preferences.preferences_state(prefs))
