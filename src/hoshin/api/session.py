"""Sign in and out: a session cookie (HttpOnly, SameSite=Lax, Secure behind https)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict

from hoshin.api.deps import Db, Me, now
from hoshin.api.one_thread import OneThreadRoute
from hoshin.errors import Forbidden
from hoshin.service import account
from hoshin.service.account import SESSION_COOKIE

router = APIRouter(tags=["session"], route_class=OneThreadRoute)
SESSION_DAYS = 14


class SignIn(BaseModel):
    """Email and password."""

    model_config = ConfigDict(extra="forbid")
    email: str
    password: str


@router.post(
    "/session",
    responses={429: {"description": "Too many failed sign-ins: detail is the seconds to wait"}},
)
def sign_in(body: SignIn, request: Request, response: Response, session: Db) -> dict[str, Any]:
    """Sign in: sets the session cookie. Failed attempts are limited per email and client."""
    client = request.client.host if request.client else "unknown"
    try:
        me, secret = account.sign_in(
            session, email=body.email, password=body.password, now=now(), client=client
        )
    except account.TooManyAttempts:
        raise
    except Forbidden:
        session.commit()  # the failed attempt must count, though the request fails
        raise
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return {"email": me.email, "name": me.name}


@router.delete("/session", status_code=204)
def sign_out(request: Request, response: Response, session: Db) -> None:
    """Sign out: ends the session of the cookie."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        account.sign_out(session, secret=secret)
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me")
def who_am_i(me: Me) -> dict[str, Any]:
    """The signed-in user."""
    return {"email": me.email, "name": me.name, "person": me.person}
