"""Sign in and out, the way in (/ goes to the first organisation's true north), and the
invitation links (web.invite)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.errors import Forbidden, TooManyAttempts
from hoshin.guard.client import origin_of, set_session_cookie
from hoshin.service import account
from hoshin.service.account import SESSION_COOKIE
from hoshin.service.organization import organizations_of
from hoshin.web import invite
from hoshin.web.deps import Db, Viewer, now
from hoshin.web.render import render

router = APIRouter()
router.include_router(invite.router)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    """The sign-in form."""
    return render(request, "signin.html", {"email": "", "problem": None})


@router.post("/signin", response_class=HTMLResponse)
def sign_in(
    request: Request,
    session: Db,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Signs in and goes to the first organisation; a failure shows the form again (429
    with Retry-After when this account or address must wait)."""
    try:
        me, secret = account.sign_in(
            session, email=email, password=password, now=now(), client=origin_of(request)
        )
    except TooManyAttempts as error:
        problem = error.message[:1].upper() + error.message[1:] + "."
        throttled = render(request, "signin.html", {"email": email, "problem": problem}, 429)
        throttled.headers.update(error.headers)
        return throttled
    except Forbidden:
        session.commit()  # the failed attempt counts, though the sign-in fails
        problem = "Wrong email or password."
        return render(request, "signin.html", {"email": email, "problem": problem}, 401)
    first = organizations_of(session, user_id=me.user_id)
    answer = RedirectResponse(f"/orgs/{first[0].slug}/" if first else "/", status_code=303)
    set_session_cookie(request, answer, secret)
    return answer


@router.post("/signout")
def sign_out(request: Request, session: Db) -> Response:
    """Ends the session and goes back to the sign-in form."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        account.sign_out(session, secret=secret)
    answer = RedirectResponse("/signin", status_code=303)
    answer.delete_cookie(SESSION_COOKIE)
    return answer


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: Db, me: Viewer, org: str | None = None) -> Response:
    """The true north of ``org`` (the organisation switcher) or of the first organisation,
    or a page that says there is none yet."""
    mine = organizations_of(session, user_id=me.user_id)
    chosen = [o for o in mine if o.slug == org] or mine
    if chosen:
        return RedirectResponse(f"/orgs/{chosen[0].slug}/", status_code=303)
    return render(request, "no_organisation.html", {"me": me}, 200)
