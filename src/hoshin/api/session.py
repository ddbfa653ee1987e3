"""Sign in and out: a session cookie (HttpOnly, SameSite=Lax, Secure behind https); the
signed-in user's password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hoshin.api.deps import Db, Me, now
from hoshin.api.edits import CHANGES
from hoshin.errors import Forbidden, TooManyAttempts, Unauthorized
from hoshin.fields import Password
from hoshin.guard.client import origin_of, set_session_cookie
from hoshin.guard.csrf import token_for
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import account, password
from hoshin.service.account import SESSION_COOKIE

router = APIRouter(tags=["session"], route_class=OneThreadRoute)
THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Too many failed sign-ins for the account or from the address: detail "
        "is the seconds to wait, also in Retry-After"
    }
}


class SignIn(BaseModel):
    """Email and password."""

    model_config = ConfigDict(extra="forbid")
    email: str
    password: str


class PasswordChange(BaseModel):
    """The current password and the new one."""

    model_config = ConfigDict(extra="forbid")
    current: Password
    new: Password = Field(
        description="At least 10 characters, not a common password, hard to guess (zxcvbn)."
    )


@router.post(
    "/session",
    responses={401: {"description": "Wrong email or password"}, **THROTTLED},
)
def sign_in(body: SignIn, request: Request, response: Response, session: Db) -> dict[str, Any]:
    """Sign in: sets the session cookie, and answers its CSRF token, which every change made
    with the cookie must send as X-CSRF-Token. Failed attempts slow down further ones, per
    account and per client address (429 with Retry-After)."""
    try:
        me, secret = account.sign_in(
            session, email=body.email, password=body.password, now=now(),
            client=origin_of(request),
        )  # fmt: skip
    except TooManyAttempts:
        raise
    except Forbidden as error:
        session.commit()  # the failed attempt must count, though the request fails
        raise Unauthorized(error.message) from None
    set_session_cookie(request, response, secret)
    return {"email": me.email, "name": me.name, "csrf_token": token_for(secret)}


@router.delete("/session", status_code=204)
def sign_out(request: Request, response: Response, session: Db) -> None:
    """Sign out: ends the session of the cookie."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        account.sign_out(session, secret=secret)
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me")
def who_am_i(me: Me, request: Request) -> dict[str, Any]:
    """The signed-in user; signed in with the session cookie, also its CSRF token."""
    found = {"email": me.email, "name": me.name, "person": me.person}
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and request.headers.get("authorization") is None:
        found["csrf_token"] = token_for(cookie)
    return found


@router.put(
    "/me/password",
    responses={403: {"description": "The current password is wrong"}, 422: CHANGES[422],
               **THROTTLED},
)  # fmt: skip
def change_password(
    me: Me, body: PasswordChange, request: Request, response: Response, session: Db
) -> dict[str, Any]:
    """Changes the signed-in user's password: every other session ends and every API token
    is revoked (this request's own session, if it came with one, is renewed)."""
    # The session to renew: the cookie's, when the cookie is what signed this request in.
    by_cookie = request.headers.get("authorization") is None
    cookie = (request.cookies.get(SESSION_COOKIE) or None) if by_cookie else None
    try:
        renewed = password.change_password(
            session, user_id=me.user_id, current=body.current, new=body.new, now=now(),
            client=origin_of(request), session_secret=cookie,
        )  # fmt: skip
    except TooManyAttempts:
        raise
    except Forbidden:
        session.commit()  # the wrong current password counts as a failed sign-in
        raise
    if renewed is None:
        return {"email": me.email, "changed": True}
    set_session_cookie(request, response, renewed)
    return {"email": me.email, "changed": True, "csrf_token": token_for(renewed)}
