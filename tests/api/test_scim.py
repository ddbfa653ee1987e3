"""SCIM 2.0 provisioning of users (RFC 7643/7644) through /scim/v2, on SQLite and
PostgreSQL: create, read, filter, page, replace, patch, deactivate, delete; ETags; errors."""

from __future__ import annotations

import pytest
from api_support import Seeded
from scim_support import ERROR, SCIM_JSON, USER, Directory, tokens
from sqlalchemy import Engine

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def scim(api: Seeded, engine: Engine) -> Directory:
    """The seeded API with a SCIM token of each organisation."""
    return Directory(api, tokens(engine))


def test_a_created_user_reads_back_as_the_directory_said(scim: Directory) -> None:
    made = scim.user("Cleo@Clinic.example", displayName="Cleo Park", externalId="e-17")
    answer = scim.call("GET", f"/Users/{made['id']}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(SCIM_JSON)
    body = answer.json()
    assert body["schemas"] == [USER]
    assert (body["userName"], body["displayName"], body["externalId"], body["active"]) == (
        "cleo@clinic.example", "Cleo Park", "e-17", True,
    )
    assert body["emails"] == [{"value": "cleo@clinic.example", "type": "work", "primary": True}]
    assert body["meta"]["resourceType"] == "User"
    assert answer.headers["ETag"] == body["meta"]["version"]
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{made['id']}")


def test_no_token_is_a_401_scim_error(scim: Directory) -> None:
    answer = scim.api.client.get("/scim/v2/Users")
    assert answer.status_code == 401
    assert answer.json()["schemas"] == [ERROR]
    assert answer.json()["status"] == "401"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
