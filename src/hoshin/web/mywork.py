"""My work: what the signed-in person owes as of the page's day."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hoshin.service import work
from hoshin.web.catchball import when
from hoshin.web.deps import Db, Place
from hoshin.web.render import render

router = APIRouter()


@router.get("/orgs/{org}/my-work", response_class=HTMLResponse)
def my_work(request: Request, session: Db, here: Place) -> Response:
    """Check-ins due or overdue, late actions and open countermeasures of the signed-in
    person, and the catchball threads waiting for their answer."""
    found = here.analysed(session)
    owed = work.my_work(session, org=here.org, found=found, asker=here.asker)
    context = {"here": here, "owed": owed, "person": owed.person, "when": when}
    return render(request, "my_work.html", context)
