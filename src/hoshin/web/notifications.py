"""The notifications page: what the signed-in user's person was told, newest first, a page
at a time; "Mark read" one (htmx swaps the item and the bell; without the script a form
post and a redirect), "Mark all read", and each item's link, which marks it read on the way.
A user linked to no person is told why the list is empty."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.errors import NotFound
from hoshin.fields import LARGEST_ROW_ID
from hoshin.runtime.sessions import in_own_transaction
from hoshin.service import inbox
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.render import render

router = APIRouter()
PER_PAGE = 50
NotificationId = Annotated[int, Path(ge=1, le=LARGEST_ROW_ID)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
Posted = Annotated[int, Form(ge=1, le=100_000)]
Done = Annotated[str, Query(max_length=10)]
NOT_LINKED = (
    "Your account is not linked to a person of the plan: an admin links it on the Admin "
    "page. Notifications are told to the plan's people (owners, unit leads, attendees)."
)


def _person(here: Here) -> str:
    """The signed-in user's person; NotFound (the answer to another's item) without one."""
    if here.me.person is None:
        raise NotFound(NOT_LINKED)
    return here.me.person


def _list_url(here: Here, page: int = 1) -> str:
    url = f"/orgs/{here.org.slug}/notifications"
    return url if page <= 1 else f"{url}?page={page}"


def safe_link(here: Here, link: str) -> str | None:
    """``link`` when it is a path of this organisation's pages (never another site: no
    scheme, no '//', no backslash), else None."""
    prefix = f"/orgs/{here.org.slug}/"
    if link.startswith(prefix) and "//" not in link and "\\" not in link:
        return link if link.isprintable() else None
    return None


@router.get("/orgs/{org}/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request, session: Db, here: Place, page: PageNumber = 1, done: Done = ""
) -> Response:
    """The signed-in user's notifications, newest first, PER_PAGE a page."""
    context: dict[str, object] = {"here": here, "not_linked": NOT_LINKED, "page": page}
    if here.me.person is not None:
        found = inbox.list_notifications(
            session, org=here.org, person=here.me.person, limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )  # fmt: skip
        context.update(
            inbox=found, pages=max(1, -(-found.total // PER_PAGE)), base=_list_url(here),
            marked=done == "all",
        )  # fmt: skip
    return render(request, "notifications.html", context)


@router.post("/orgs/{org}/notifications/read-all", response_class=HTMLResponse)
def mark_all_read(session: Db, here: Place) -> Response:
    """Marks every notification of the user's person read; back to the first page."""
    inbox.mark_all_read(session, org=here.org, person=_person(here), now=now())
    return RedirectResponse(f"{_list_url(here)}?done=all", status_code=303)


@router.post("/orgs/{org}/notifications/{notification_id}/read", response_class=HTMLResponse)
def mark_read(
    session: Db, here: Place, notification_id: NotificationId, page: Posted = 1
) -> Response:
    """Marks one notification read; back to its page (htmx takes the item and the bell
    from it)."""
    inbox.mark_read(session, org=here.org, person=_person(here),
                    notification_id=notification_id, now=now())  # fmt: skip
    return RedirectResponse(_list_url(here, page), status_code=303)


@router.get("/orgs/{org}/notifications/{notification_id}/open", response_class=HTMLResponse)
def open_notification(
    request: Request, session: Db, here: Place, notification_id: NotificationId
) -> Response:
    """Marks the notification read and goes to its item (only a page of this organisation;
    any other link goes back to the list)."""
    person = _person(here)
    row = inbox.get_notification(
        session, org=here.org, person=person, notification_id=notification_id
    )
    target = safe_link(here, row.link) or _list_url(here)
    if row.read_at is None:  # a read's own transaction writes it: a GET stays a reader
        read = functools.partial(
            inbox.mark_read, org=here.org, person=person, notification_id=notification_id,
            now=now(),
        )  # fmt: skip
        in_own_transaction(request.app.state.sessions, read)
    return RedirectResponse(target, status_code=303)
