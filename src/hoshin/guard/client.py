"""The client, as every door (the pages and the API) sees it: where a request comes from,
and the session cookie it is given (one lifetime, one set of flags)."""

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


def origin_of(request: Request) -> str:
    """Where a request comes from, for the audit trail: the client's address as the server
    gives it (uvicorn reads a forwarded address only from the proxies it trusts)."""
    return request.client.host if request.client is not None else "unknown"
