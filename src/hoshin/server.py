"""The server hoshin runs: the API under /api and the pages everywhere else.

The one place that composes the two boundaries (they never import each other) and the
guards every request passes (hoshin.guard), outermost last.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Match, Mount
from starlette.types import Scope

from hoshin.api.app import create_app
from hoshin.config import settings
from hoshin.guard.csrf import CsrfGuard
from hoshin.guard.headers import SecurityHeaders
from hoshin.guard.limits import RequestLimits
from hoshin.runtime.sessions import Sessions
from hoshin.web.app import create_web


class Pages(Mount):
    """The pages, under every path but /api/ and /scim/: an API (or SCIM) path the API does
    not serve is the API's 404 (JSON), and an API path asked with a method it does not take
    is its 405, never a page (a mount at / would otherwise match every path fully, ahead of
    the API's partial match by path alone)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """No match for an API or SCIM path; else as a mount at /."""
        if scope["type"] == "http" and scope["path"].startswith(("/api/", "/scim/")):
            return Match.NONE, {}
        return super().matches(scope)


def create_server(sessions: Sessions | None = None) -> FastAPI:
    """The API app with the web app mounted under it (they share database and cache)."""
    app = create_app(sessions)
    app.router.routes.append(Pages("/", create_web(app.state.sessions, app.state.analyses)))
    app.add_middleware(CsrfGuard)
    app.add_middleware(RequestLimits, max_body_bytes=settings().max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: the other guards' refusals get them too
    return app
