"""The server hoshin runs: the API under /api and the pages everywhere else.

The one place that composes the two boundaries (they never import each other).
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from hoshin.api.app import create_app
from hoshin.guard.headers import SecurityHeaders
from hoshin.web.app import create_web


def create_server(sessions: sessionmaker[Session] | None = None) -> FastAPI:
    """The API app with the web app mounted under it (they share database and cache)."""
    app = create_app(sessions)
    app.mount("/", create_web(app.state.sessions, app.state.analyses))
    app.add_middleware(SecurityHeaders)  # outermost: the other guards' refusals get them too
    return app
