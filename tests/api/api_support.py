"""A seeded API on this test's database: two organisations, users of every role, tokens."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from factories import add_member, make_organization
from hoshin.api.app import create_app
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.service import account
from hoshin.store.audit import AuditEventRow

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
PASSWORD = "correct horse battery"


@dataclass
class Seeded:
    """A client and a token per user: admin, editor, viewer, ben (contributor, owns A1, T1),
    ana (contributor of ward-a... owns B1), other (admin of another organisation)."""

    client: TestClient
    tokens: dict[str, str]

    def headers(self, who: str, **extra: str) -> dict[str, str]:
        """Authorization for ``who``, plus any other headers."""
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}


USERS = {
    "admin": ("admin", None),
    "editor": ("editor", None),
    "viewer": ("viewer", None),
    "ben": ("contributor", "ben"),
    "ana": ("contributor", "ana"),
}


def seed(engine: Engine, make: Callable[..., FastAPI] = create_app) -> Seeded:
    """Organisations 'clinic' (examples/small.yaml) and 'other' (the same plan), users, tokens;
    served by ``make`` (the API alone, or hoshin.server.create_server with the pages)."""
    sessions = session_factory(engine)
    tokens: dict[str, str] = {}
    with sessions() as session:
        plan = read_plan(SMALL)
        for slug in ("clinic", "other"):
            make_organization(session, slug=slug, name=slug.title(), plan=plan)
        for name, (role, person) in USERS.items():
            email = f"{name}@clinic.example"
            add_member(session, email=email, role=role, person=person, password=PASSWORD)
            tokens[name] = account.create_token(
                session, email=email, name="tests", now=NOW, actor="tests", origin="tests"
            )
        account.add_user(
            session, email="other@other.example", password=PASSWORD, actor="tests", origin="tests"
        )
        account.set_role(
            session,
            email="other@other.example",
            org_slug="other",
            role="admin",
            actor="tests",
            origin="tests",
        )
        tokens["other"] = account.create_token(
            session,
            email="other@other.example",
            name="tests",
            now=NOW,
            actor="tests",
            origin="tests",
        )
        # The tests read the audit trail of what they do, not of this seeding.
        session.execute(delete(AuditEventRow))
        session.commit()
    return Seeded(TestClient(make(sessions)), tokens)


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
