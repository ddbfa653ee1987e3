"""SCIM 2.0 provisioning of users (RFC 7643/7644) through /scim/v2, on SQLite and
PostgreSQL: create, read, filter, page, replace, patch, deactivate, delete; ETags; errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from api_support import Seeded
from scim_support import (
    ERROR,
    NOW,
    PATCH,
    SCIM_JSON,
    USER,
    Directory,
    events,
    role_of,
    tokens,
    user_body,
)
from sqlalchemy import Engine

from hoshin.runtime.engine import session_factory
from hoshin.service import account, scim_directory
from hoshin.service.account import SESSION_COOKIE
from hoshin.store.organization import get_organization

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
        "cleo@clinic.example",
        "Cleo Park",
        "e-17",
        True,
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


def ids(answer: Any) -> list[str]:
    """The ids of a ListResponse's resources."""
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json().get("Resources", [])]


def seeded_id(scim: Directory, email: str) -> str:
    """The SCIM id of a seeded member of clinic."""
    found = ids(scim.call("GET", f'/Users?filter=userName eq "{email}"'))
    assert len(found) == 1
    return found[0]


def test_the_filters_directories_send_find_the_one_user(scim: Directory) -> None:
    made = scim.user("cleo@clinic.example", externalId="E-17")
    for query in (
        'userName eq "Cleo@Clinic.example"',  # userName is case-insensitive (RFC 7643)
        'emails[type eq "work"].value eq "cleo@clinic.example"',
        'externalId eq "E-17"',
        'userName eq "cleo@clinic.example" and active eq true',
        'displayName pr or userName sw "cleo"',  # not narrowed in SQL: matched one by one
    ):
        assert ids(scim.call("GET", "/Users?filter=" + query)) == [made["id"]], query
    assert ids(scim.call("GET", '/Users?filter=externalId eq "e-17"')) == []  # caseExact
    assert ids(scim.call("GET", '/Users?filter=userName eq "nobody@clinic.example"')) == []


def test_pages_count_from_one(scim: Directory) -> None:
    """Five seeded members and three new ones: eight users, in id order. startIndex=3 and
    count=4 are the 3rd to the 6th; startIndex=7 with count=4 leaves two."""
    for name in ("cleo", "dan", "eve"):
        scim.user(f"{name}@clinic.example")
    every = ids(scim.call("GET", "/Users"))
    assert len(every) == 8
    answer = scim.call("GET", "/Users?startIndex=3&count=4")
    body = answer.json()
    assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (8, 3, 4)
    assert ids(answer) == every[2:6]
    tail = scim.call("GET", "/Users?startIndex=7&count=4").json()
    assert (tail["totalResults"], tail["itemsPerPage"]) == (8, 2)
    assert scim.call("GET", "/Users?count=0").json()["itemsPerPage"] == 0


def test_if_match_with_an_old_version_is_412(scim: Directory) -> None:
    made = scim.user("cleo@clinic.example")
    old = made["meta"]["version"]
    rename = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "displayName",
                                                   "value": "Cleo Park"}]}  # fmt: skip
    changed = scim.call("PATCH", f"/Users/{made['id']}", json=rename, **{"If-Match": old})
    assert changed.status_code == 200, changed.text
    assert changed.json()["displayName"] == "Cleo Park"
    assert changed.headers["ETag"] != old
    again = scim.call("PATCH", f"/Users/{made['id']}", json=rename, **{"If-Match": old})
    assert again.status_code == 412
    assert again.json()["status"] == "412"
    gone = scim.call("DELETE", f"/Users/{made['id']}", **{"If-Match": old})
    assert gone.status_code == 412


def test_deactivation_ends_the_users_sessions_and_api_tokens(
    scim: Directory, engine: Engine
) -> None:
    client = scim.api.client
    with session_factory(engine)() as session:
        user = account.get_user(session, email="viewer@clinic.example")
        secret = account.new_session(session, user_id=user.id, now=datetime.now(UTC))
        session.commit()
    token = scim.api.headers("viewer")
    assert client.get("/api/v1/me", headers=token).status_code == 200
    client.cookies.set(SESSION_COOKIE, secret)
    assert client.get("/api/v1/me").status_code == 200
    client.cookies.clear()
    viewer = seeded_id(scim, "viewer@clinic.example")
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}
    answer = scim.call("PATCH", f"/Users/{viewer}", json=off)
    assert answer.status_code == 200, answer.text
    assert answer.json()["active"] is False
    assert client.get("/api/v1/me", headers=token).status_code == 401
    client.cookies.set(SESSION_COOKIE, secret)
    assert client.get("/api/v1/me").status_code == 401
    client.cookies.clear()
    assert ("scim:entra", "member", "viewer@clinic.example", "deactivate") in events(engine)
    on = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]}
    assert scim.call("PATCH", f"/Users/{viewer}", json=on).json()["active"] is True


def test_a_deleted_user_leaves_the_organisation_but_keeps_the_account(
    scim: Directory, engine: Engine
) -> None:
    viewer = seeded_id(scim, "viewer@clinic.example")
    assert scim.call("DELETE", f"/Users/{viewer}").status_code == 204
    assert scim.call("GET", f"/Users/{viewer}").status_code == 404
    assert role_of(engine, "viewer@clinic.example") is None
    assert ("scim:entra", "member", "viewer@clinic.example", "delete") in events(engine)


def test_an_existing_account_joins_with_the_just_in_time_role(
    scim: Directory, engine: Engine
) -> None:
    """other@other.example has an account (in 'other'): clinic's directory makes them a
    member of clinic, viewer without SSO settings; their name stays theirs to change."""
    scim.user("other@other.example")
    assert role_of(engine, "other@other.example") == "viewer"
    assert role_of(engine, "other@other.example", "other") == "admin"
    twice = scim.call("POST", "/Users", json=user_body("other@other.example"))
    assert twice.status_code == 409
    assert twice.json()["scimType"] == "uniqueness"


def test_a_userName_change_of_an_account_in_other_organisations_is_refused(
    scim: Directory,
) -> None:
    made = scim.user("other@other.example")
    answer = scim.call("PUT", f"/Users/{made['id']}", json=user_body("new@other.example"))
    assert answer.status_code == 400
    assert answer.json()["scimType"] == "invalidValue"
    assert "other organisations" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body", "scim_type"),
    [
        ("POST", "/Users", "{not json", "invalidSyntax"),
        ("POST", "/Users", {"schemas": [USER], "userName": "a@b.example", "shoeSize": 9},
         "invalidSyntax"),
        ("POST", "/Users", {"schemas": [USER], "userName": "not an address"}, "invalidValue"),
        ("POST", "/Users", {"schemas": [USER]}, "invalidValue"),
        ("GET", '/Users?filter=userName eq', None, "invalidFilter"),
        ("GET", '/Users?filter=shoeSize eq "9"', None, "invalidFilter"),
        ("GET", "/Users?startIndex=first", None, "invalidValue"),
        ("PATCH", "/Users/1", {"schemas": [PATCH], "Operations": [{"op": "jump"}]},
         "invalidValue"),
    ],
)  # fmt: skip
def test_bad_requests_are_400_scim_errors_with_a_scim_type(
    scim: Directory, method: str, path: str, body: Any, scim_type: str
) -> None:
    if isinstance(body, str):
        answer = scim.api.client.request(
            method, "/scim/v2" + path, content=body,
            headers={"Authorization": f"Bearer {scim.tokens['clinic']}",
                     "Content-Type": SCIM_JSON},
        )  # fmt: skip
    else:
        answer = scim.call(method, path, json=body)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith(SCIM_JSON)
    found = answer.json()
    assert (found["schemas"], found["status"], found["scimType"]) == ([ERROR], "400", scim_type)
    assert found["detail"]


def test_a_revoked_token_is_refused(scim: Directory, engine: Engine) -> None:
    with session_factory(engine)() as session:
        org = get_organization(session, slug="clinic")
        (token,) = scim_directory.list_tokens(session, org=org)
        scim_directory.revoke_token(
            session, org=org, token_id=token.id, now=NOW, actor="tests", origin="tests"
        )
        session.commit()
    answer = scim.call("GET", "/Users")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "the SCIM token is unknown or revoked"


def test_the_last_admin_is_neither_deactivated_nor_deleted(scim: Directory) -> None:
    """admin@clinic.example is clinic's only admin: the directory cannot lock everyone out."""
    admin = seeded_id(scim, "admin@clinic.example")
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    for answer in (scim.call("PATCH", f"/Users/{admin}", json=off),
                   scim.call("DELETE", f"/Users/{admin}")):  # fmt: skip
        assert answer.status_code == 409
        assert "last admin of clinic" in answer.json()["detail"]
    assert scim.call("GET", f"/Users/{admin}").json()["active"] is True


def test_a_search_by_post_finds_as_a_filter_does(scim: Directory) -> None:
    made = scim.user("cleo@clinic.example", displayName="Cleo Park")
    search = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName eq "cleo@clinic.example"',
        "attributes": ["userName"],
    }
    answer = scim.call("POST", "/Users/.search", json=search)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["totalResults"] == 1
    # Only what was asked for, and what is always returned (id, schemas).
    assert body["Resources"] == [
        {"schemas": [USER], "id": made["id"], "userName": "cleo@clinic.example"}
    ]
    everything = scim.call("POST", "/.search", json=search)
    assert everything.status_code == 501
    assert everything.json()["status"] == "501"


def test_a_replacement_says_everything_and_is_audited(scim: Directory, engine: Engine) -> None:
    """PUT replaces: the name given, the externalId gone (absent from the body)."""
    made = scim.user("cleo@clinic.example", displayName="Cleo", externalId="e-1")
    body = user_body("cleo@clinic.example", name={"givenName": "Cleo", "familyName": "Park"})
    answer = scim.call("PUT", f"/Users/{made['id']}", json=body)
    assert answer.status_code == 200, answer.text
    # No displayName: the name is the given and family names.
    assert answer.json()["displayName"] == "Cleo Park"
    assert "externalId" not in answer.json()
    trail = events(engine)
    assert ("scim:entra", "user", "cleo@clinic.example", "create") in trail
    # The membership (its role), then what the directory keeps of it, then the change.
    assert ("scim:entra", "member", "cleo@clinic.example", "create") in trail
    assert ("scim:entra", "member", "cleo@clinic.example", "provision") in trail
    assert ("scim:entra", "member", "cleo@clinic.example", "update") in trail
