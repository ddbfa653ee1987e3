"""The signed-in user's own password: the form that changes it (any member)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.errors import Forbidden, HoshinError, TooManyAttempts
from hoshin.guard.client import set_session_cookie
from hoshin.service import password
from hoshin.service.account import SESSION_COOKIE
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.render import render

router = APIRouter()
Password = Annotated[str, Form(max_length=1000)]
CHANGED = (
    "Your password is changed. Every other sign-in ended and your API tokens were revoked: "
    "sign in again on your other devices and create new tokens where you need them."
)


@router.get("/orgs/{org}/admin/password", response_class=HTMLResponse)
def password_page(
    request: Request, here: Place, done: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    """The form: the current password, and the new one twice."""
    notice = CHANGED if done == "changed" else None
    return _form(request, here, notice=notice)


@router.post("/orgs/{org}/admin/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: Db,
    here: Place,
    current: Password = "",
    new: Password = "",
    repeat: Password = "",
) -> Response:
    """Changes the password; this browser stays signed in (with a new session), every other
    session and API token ends."""
    if new != repeat:
        problems = {"repeat": "The two new passwords differ: type the same one twice."}
        return _form(request, here, problems=problems, status=422)
    try:
        renewed = password.change_password(
            session, user_id=here.me.user_id, current=current, new=new, now=now(),
            client=here.origin, session_secret=request.cookies.get(SESSION_COOKIE),
        )  # fmt: skip
    except Forbidden as error:  # the current password is wrong (403), or tried too often (429)
        if not isinstance(error, TooManyAttempts):
            session.commit()  # the wrong current password counts as a failed sign-in
        problems = {"current": _sentence(error.message)}
        answer = _form(request, here, problems=problems, status=error.status)
        answer.headers.update(error.headers)  # Retry-After after too many
        return answer
    except HoshinError as error:
        session.rollback()
        return _form(request, here, problems={"new": _sentence(error.message)}, status=422)
    answer = RedirectResponse(f"/orgs/{here.org.slug}/admin/password?done=changed", 303)
    if renewed is not None:
        set_session_cookie(request, answer, renewed)
    return answer


def _form(
    request: Request,
    here: Here,
    *,
    notice: str | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {"here": here, "notice": notice, "problems": problems or {}}
    return render(request, "password.html", context, status)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
