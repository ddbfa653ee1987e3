"""Sign in and out, the way in (/ goes to the first organisation's true north), and the
invitation links (web.invite)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.config import settings
from hoshin.domain.text import LONGEST
from hoshin.errors import Forbidden, TooManyAttempts
from hoshin.guard.client import origin_of, set_session_cookie
from hoshin.service import account, sso
from hoshin.service.account import SESSION_COOKIE
from hoshin.service.organization import organizations_of
from hoshin.web import invite, sso_signin
from hoshin.web.deps import Db, Viewer, now
from hoshin.web.render import render

router = APIRouter()
router.include_router(invite.router)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(
    request: Request,
    session: Db,
    org: Annotated[str, Query(max_length=LONGEST["id"])] = "",
    next: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """The sign-in form; with ``?org=SLUG`` of an organisation that has single sign-on, its
    "Sign in with <provider>" link above it (web.sso_signin)."""
    context = sso_signin.signin_context(session, org=org, next_path=next)
    return render(request, "signin.html", context)


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
    """Ends the session and goes back to the sign-in form; a session that an OpenID Connect
    provider made ends at the provider too (its end-session endpoint, which comes back),
    through a page that goes there (a redirect from a form to another site would break the
    pages' CSP form-action 'self')."""
    secret = request.cookies.get(SESSION_COOKIE)
    made_by = account.sign_out(session, secret=secret) if secret else None
    provider = None
    if made_by is not None:
        provider = sso.end_session_url(session, org_id=made_by, base_url=settings().base_url)
    answer: Response = RedirectResponse("/signin", status_code=303)
    if provider is not None:
        answer = render(request, "signed_out.html", {"provider": provider}, 200)
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
