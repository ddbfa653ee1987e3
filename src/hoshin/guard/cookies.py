"""The session cookie, as every door that signs someone in sets it (the pages and the API):
one lifetime, one set of flags."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from hoshin.service.account import SESSION_COOKIE, SESSION_LIFETIME


def set_session_cookie(request: Request, answer: Response, secret: str) -> None:
    """Gives the browser the session's cookie (HttpOnly, SameSite=Lax, Secure over https)."""
    answer.set_cookie(
        SESSION_COOKIE, secret, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
        samesite="lax", secure=request.url.scheme == "https",
    )  # fmt: skip
