"""SCIM tokens for the seeded API (tests/api/api_support.py): one for 'clinic', one for
'other', and helpers to call /scim/v2 with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2
from api_support import Seeded
from sqlalchemy import Engine, delete, select

from hoshin.runtime.engine import session_factory
from hoshin.service import scim_directory
from hoshin.service.account import get_user
from hoshin.store.account import find_membership
from hoshin.store.audit import AuditEventRow
from hoshin.store.organization import get_organization
from hoshin.store.unit import find_person

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
BASE = "/scim/v2"
SCIM_JSON = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@dataclass
class Directory:
    """The seeded API and a SCIM token of each organisation."""

    api: Seeded
    tokens: dict[str, str]

    def call(
        self, method: str, path: str, org: str = "clinic", json: Any = None, **headers: str
    ) -> httpx2.Response:
        """A SCIM request with ``org``'s token."""
        return self.api.client.request(
            method, BASE + path, json=json,
            headers={"Authorization": f"Bearer {self.tokens[org]}", **headers},
        )  # fmt: skip

    def user(self, email: str, org: str = "clinic", **more: Any) -> dict[str, Any]:
        """Creates a User; its answer's body."""
        body = {"schemas": [USER], "userName": email, **more}
        answer = self.call("POST", "/Users", org, json=body)
        assert answer.status_code == 201, answer.text
        made: dict[str, Any] = answer.json()
        return made


def tokens(engine: Engine) -> dict[str, str]:
    """A SCIM token named 'entra' of each seeded organisation."""
    found = {}
    with session_factory(engine)() as session:
        for slug in ("clinic", "other"):
            org = get_organization(session, slug=slug)
            found[slug] = scim_directory.create_token(
                session, org=org, name="entra", now=NOW, actor="tests", origin="tests"
            )[1]
        session.execute(delete(AuditEventRow))
        session.commit()
    return found


def user_body(email: str, **more: Any) -> dict[str, Any]:
    """A User's JSON."""
    return {"schemas": [USER], "userName": email, **more}


def events(engine: Engine) -> list[tuple[str, str, str, str]]:
    """The audit trail since seeding: (actor, entity, key, change), oldest first."""
    with session_factory(engine)() as session:
        rows = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id))
        return [(row.actor, row.entity, row.key, row.change) for row in rows]


def role_of(engine: Engine, email: str, org: str = "clinic") -> str | None:
    """The user's role in the organisation, or None."""
    with session_factory(engine)() as session:
        found = find_membership(
            session,
            user_id=get_user(session, email=email).id,
            org_id=get_organization(session, slug=org).id,
        )
        return None if found is None else found.role


def person(engine: Engine, key: str, org: str = "clinic") -> tuple[str, str | None, int]:
    """A plan person's (name, unit, version)."""
    with session_factory(engine)() as session:
        row = find_person(session, org_id=get_organization(session, slug=org).id, key=key)
        assert row is not None
        return row.name, row.unit, row.version
