"""The invitation link (/invite/<secret>): whoever holds it joins the organisation as the
invited email, signed in already, with that account's password, or with a new account.

The page offers both ways to everyone (an account's password, or a name and password for
a new one), so that it does not say whether the invited email has an account.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.errors import Forbidden, HoshinError, NotFound, TooManyAttempts
from hoshin.guard.client import origin_of, set_session_cookie
from hoshin.service import account, invitation
from hoshin.service.account import SESSION_COOKIE, Principal
from hoshin.service.invitation import Opened
from hoshin.web.deps import Db, now
from hoshin.web.outcome import attempt, page_status
from hoshin.web.render import render

router = APIRouter()
Secret = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
Password = Annotated[str, Form(max_length=1000)]
Name = Annotated[str, Form(max_length=1000)]


@router.get("/invite/{secret}", response_class=HTMLResponse)
def invitation_page(request: Request, session: Db, secret: Secret) -> Response:
    """What the invitation is (organisation, email, role) and the ways to accept it; 404
    when it expired, was revoked or was used."""
    return _page(request, session, secret)


@router.post("/invite/{secret}/accept", response_class=HTMLResponse)
def accept(request: Request, session: Db, secret: Secret) -> Response:
    """The signed-in user accepts: they become a member and go to the organisation."""
    me = _signed_in(request, session)
    if me is None:
        return _page(request, session, secret, problems={"form": "Sign in first."}, status=401)

    def join() -> Opened:
        opened = invitation.open_invitation(session, secret=secret, now=now())
        invitation.accept(
            session, secret=secret, user_id=me.user_id, now=now(), origin=origin_of(request)
        )
        return opened

    joined = attempt(session, join)
    if isinstance(joined, HoshinError):
        return _refused(request, session, secret, joined, "form")
    return RedirectResponse(f"/orgs/{joined.org.slug}/", status_code=303)


@router.post("/invite/{secret}/signin", response_class=HTMLResponse)
def sign_in_and_accept(
    request: Request, session: Db, secret: Secret, password: Password = ""
) -> Response:
    """Signs in as the invited email with its password, then accepts."""
    try:
        opened = invitation.open_invitation(session, secret=secret, now=now())
        me, cookie = account.sign_in(
            session, email=opened.email, password=password, now=now(), client=origin_of(request)
        )
    except TooManyAttempts as error:
        answer = _refused(request, session, secret, error, "password")
        answer.headers.update(error.headers)
        return answer
    except Forbidden:
        session.commit()  # the failed attempt counts, though the sign-in fails
        problem = "Wrong password for this email."
        return _page(request, session, secret, problems={"password": problem}, status=401)
    except NotFound as error:
        return _refused(request, session, secret, error, "form")
    refused = attempt(
        session, invitation.accept, session, secret=secret, user_id=me.user_id, now=now(),
        origin=origin_of(request),
    )  # fmt: skip
    if isinstance(refused, HoshinError):
        return _refused(request, session, secret, refused, "form")
    answer = RedirectResponse(f"/orgs/{opened.org.slug}/", status_code=303)
    set_session_cookie(request, answer, cookie)
    return answer


@router.post("/invite/{secret}/new", response_class=HTMLResponse)
def create_account(
    request: Request,
    session: Db,
    secret: Secret,
    name: Name = "",
    password: Password = "",
    repeat: Password = "",
) -> Response:
    """A new account for the invited email with this name and password; it joins and is
    signed in."""
    if password != repeat:
        problems = {"new_repeat": "The two passwords differ: type the same one twice."}
        return _page(request, session, secret, problems=problems, name=name, status=422)

    def join() -> tuple[Opened, str]:
        opened = invitation.open_invitation(session, secret=secret, now=now())
        _, cookie = invitation.accept_new(
            session, secret=secret, name=name, password=password, now=now(),
            origin=origin_of(request),
        )  # fmt: skip
        return opened, cookie

    joined = attempt(session, join)
    if isinstance(joined, HoshinError):
        field = _field_of(joined, {"name": "name", "password": "new_password"})
        return _refused(request, session, secret, joined, field, name=name)
    opened, cookie = joined
    answer = RedirectResponse(f"/orgs/{opened.org.slug}/", status_code=303)
    set_session_cookie(request, answer, cookie)
    return answer


def _page(
    request: Request,
    session: Db,
    secret: str,
    *,
    problems: dict[str, str] | None = None,
    name: str = "",
    status: int = 200,
) -> Response:
    try:
        opened = invitation.open_invitation(session, secret=secret, now=now())
    except NotFound as error:
        context: dict[str, Any] = {"opened": None, "gone": _sentence(error.message)}
        return _no_store(render(request, "invite.html", context, 404))
    context = {
        "opened": opened, "secret": secret, "me": _signed_in(request, session),
        "problems": problems or {}, "name": name, "gone": None,
    }  # fmt: skip
    return _no_store(render(request, "invite.html", context, status))


def _refused(
    request: Request, session: Db, secret: str, error: HoshinError, field: str, name: str = ""
) -> Response:
    problems = {field: _sentence(error.message)}
    return _page(request, session, secret, problems=problems, name=name, status=page_status(error))


def _field_of(error: HoshinError, fields: dict[str, str]) -> str:
    """The form field the service's refusal is about (its detail names it), else the form."""
    detail = error.detail if isinstance(error.detail, list) else []
    named = [str(item.get("field")) for item in detail if isinstance(item, dict)]
    return fields.get(named[0], "form") if named else "form"


def _signed_in(request: Request, session: Db) -> Principal | None:
    secret = request.cookies.get(SESSION_COOKIE)
    return None if not secret else account.session_principal(session, secret=secret, now=now())


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _no_store(answer: Response) -> Response:
    # The page's address holds the invitation's secret: no cache may keep it.
    answer.headers["Cache-Control"] = "no-store"
    return answer
