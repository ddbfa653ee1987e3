"""Changes made on the pages are audit events with the signed-in user and the client's
address, and the objective page's history says where each change came from; without a
browser, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from factories import make_organization
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service import account
from hoshin.service.audit import events_of
from hoshin.service.organization import list_organizations
from hoshin.store.audit import record_event

from .web_support import ADMIN, BEN, PASSWORD, SMALL_PLAN, with_csrf

ADDRESS = "198.51.100.4"  # the client's address, as the server is given it (TEST-NET-2)
ADMIN_PAGE = "/orgs/clinic/admin"


@pytest.fixture
def sessions(engine: Engine, cheap_hashing: None) -> sessionmaker[Session]:
    """examples/small.yaml as 'clinic' with ADMIN (admin) and BEN (contributor); no events."""
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(
            session, slug="clinic", name="Riverside Clinic", plan=read_plan(SMALL_PLAN)
        )
        for email, role, person in ((ADMIN, "admin", None), (BEN, "contributor", "ben")):
            account.add_user(session, email=email, password=PASSWORD, person=person,
                             actor="tests", origin="tests")  # fmt: skip
            account.set_role(
                session, email=email, org_slug="clinic", role=role, actor="tests", origin="tests"
            )
        session.commit()
    return sessions


@pytest.fixture
def admin(sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """ADMIN signed in on the pages, from ADDRESS."""
    with with_csrf(TestClient(create_server(sessions), client=(ADDRESS, 50000))) as client:
        signed_in = client.post("/signin", data={"email": ADMIN, "password": PASSWORD})
        assert signed_in.status_code == 200
        yield client


def trail(sessions: sessionmaker[Session], slug: str | None) -> list[tuple[Any, ...]]:
    """The events the tests made (not the fixture's): who, from where, what, before, after."""
    with sessions() as session:
        return [
            (e["actor"], e["origin"], e["entity"], e["key"], e["change"], e["before"], e["after"])
            for e in events_of(session, slug=slug, since=None)
            if e["actor"] != "tests"
        ]


def test_a_token_made_and_revoked_on_the_page_is_a_system_event(
    admin: TestClient, sessions: sessionmaker[Session]
) -> None:
    assert admin.post(f"{ADMIN_PAGE}/tokens", data={"name": "sheet"}).status_code == 200
    with sessions() as session:
        (token,) = account.list_tokens(session, email=ADMIN)
    revoked = admin.post(f"{ADMIN_PAGE}/tokens/{token.id}/revoke", follow_redirects=False)
    assert revoked.status_code == 303
    sheet = {"name": "sheet", "user": ADMIN}
    assert trail(sessions, None) == [
        (ADMIN, ADDRESS, "token", str(token.id), "create", None, sheet),
        (ADMIN, ADDRESS, "token", str(token.id), "revoke", {**sheet, "revoked": False},
         {**sheet, "revoked": True}),
    ]  # fmt: skip


def test_a_role_changed_on_the_page_names_the_admin_and_their_address(
    admin: TestClient, sessions: sessionmaker[Session]
) -> None:
    changed = admin.post(
        f"{ADMIN_PAGE}/members/{BEN}/role", data={"role": "editor"}, follow_redirects=False
    )
    assert changed.status_code == 303
    [(actor, origin, entity, key, change, before, after)] = trail(sessions, "clinic")
    assert (actor, origin, entity, key, change) == (ADMIN, ADDRESS, "member", BEN, "update")
    assert (before["role"], after["role"]) == ("contributor", "editor")


def test_a_check_in_on_the_page_carries_the_address(
    admin: TestClient, sessions: sessionmaker[Session]
) -> None:
    saved = admin.post("/orgs/clinic/check-in/huddles/2026-06", data={"value": "70"},
                       follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    [event] = trail(sessions, "clinic")
    assert event[:5] == (ADMIN, ADDRESS, "actual", "huddles/2026-06", "create")


def test_the_objective_page_says_where_each_change_came_from(
    admin: TestClient, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        (clinic,) = list_organizations(session)
        record_event(session, org_id=clinic.id, actor="ana@clinic.example", entity="objective",
                     key="A1", change="update", origin="192.0.2.9")  # fmt: skip
        session.commit()
    page = admin.get("/orgs/clinic/objectives/A1")
    assert page.status_code == 200
    said = " ".join(page.text.split())
    assert '<span class="what">ana@clinic.example changed the objective A1</span>' in said
    assert '<small class="origin">from 192.0.2.9</small>' in said
