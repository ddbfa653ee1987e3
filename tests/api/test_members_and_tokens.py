"""Members, roles and API tokens through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from api_support import PASSWORD, Seeded
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from hoshin.store.tables import ApiTokenRow

pytestmark = pytest.mark.usefixtures("cheap_hashing")

MEMBERS = "/api/v1/orgs/clinic/members"


def roles(api: Seeded) -> dict[str, str]:
    answer = api.client.get(MEMBERS, headers=api.headers("admin"))
    assert answer.status_code == 200
    return {item["email"]: item["role"] for item in answer.json()["items"]}


def test_the_admin_lists_every_member_with_their_role(api: Seeded) -> None:
    # api_support seeds five members of clinic; other@other.example is not one of them.
    assert roles(api) == {
        "admin@clinic.example": "admin",
        "ana@clinic.example": "contributor",
        "ben@clinic.example": "contributor",
        "editor@clinic.example": "editor",
        "viewer@clinic.example": "viewer",
    }


def test_a_new_member_gets_an_account_and_can_sign_in(api: Seeded) -> None:
    body = {"email": "Cleo@Clinic.example", "role": "viewer", "name": "Cleo", "password": PASSWORD}
    answer = api.client.post(MEMBERS, json=body, headers=api.headers("admin"))
    assert answer.status_code == 201
    assert answer.json() == {
        "email": "cleo@clinic.example", "name": "Cleo", "person": None, "role": "viewer"
    }  # fmt: skip
    signed_in = api.client.post(
        "/api/v1/session", json={"email": "cleo@clinic.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    assert api.client.get("/api/v1/orgs/clinic/objectives").status_code == 200


def test_an_existing_user_joins_without_a_password(api: Seeded) -> None:
    body = {"email": "other@other.example", "role": "editor"}
    assert api.client.post(MEMBERS, json=body, headers=api.headers("admin")).status_code == 201
    assert roles(api)["other@other.example"] == "editor"
    again = api.client.post(MEMBERS, json=body, headers=api.headers("admin"))
    assert again.status_code == 409
    assert "is a member of clinic already" in again.json()["error"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "new@clinic.example", "role": "viewer"}, "password"),
        ({"email": "new@clinic.example", "role": "owner", "password": PASSWORD}, "body.role"),
        ({"email": "new@clinic.example", "role": "viewer", "pass": PASSWORD}, "body.pass"),
    ],
)
def test_a_bad_member_is_refused_naming_the_field(
    api: Seeded, body: dict[str, Any], field: str
) -> None:
    answer = api.client.post(MEMBERS, json=body, headers=api.headers("admin"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == field
    assert "new@clinic.example" not in roles(api)


def test_roles_change_and_the_last_admin_stays_one(api: Seeded) -> None:
    url = f"{MEMBERS}/viewer@clinic.example"
    answer = api.client.put(url, json={"role": "editor"}, headers=api.headers("admin"))
    assert answer.status_code == 200 and answer.json()["role"] == "editor"
    last = api.client.put(
        f"{MEMBERS}/admin@clinic.example", json={"role": "viewer"}, headers=api.headers("admin")
    )
    assert last.status_code == 409
    assert last.json()["error"] == (
        "admin@clinic.example is the last admin of clinic: make another admin first"
    )
    removed = api.client.delete(f"{MEMBERS}/admin@clinic.example", headers=api.headers("admin"))
    assert removed.status_code == 409
    assert roles(api)["admin@clinic.example"] == "admin"


def test_a_removed_member_loses_access_but_keeps_the_account(api: Seeded) -> None:
    url = f"{MEMBERS}/viewer@clinic.example"
    assert api.client.delete(url, headers=api.headers("admin")).status_code == 204
    assert "viewer@clinic.example" not in roles(api)
    read = api.client.get("/api/v1/orgs/clinic/objectives", headers=api.headers("viewer"))
    assert read.status_code == 404  # not a member: the organisation does not exist for them
    assert api.client.get("/api/v1/me", headers=api.headers("viewer")).status_code == 200
    assert api.client.delete(url, headers=api.headers("admin")).status_code == 404


def test_member_changes_are_in_the_audit_trail(api: Seeded) -> None:
    url = f"{MEMBERS}/viewer@clinic.example"
    api.client.put(url, json={"role": "editor"}, headers=api.headers("admin"))
    trail = api.client.get(
        "/api/v1/orgs/clinic/audit?entity=member", headers=api.headers("admin")
    ).json()["items"]
    assert [(e["actor"], e["key"], e["change"]) for e in trail] == [
        ("admin@clinic.example", "viewer@clinic.example", "update")
    ]
    assert (trail[0]["before"]["role"], trail[0]["after"]["role"]) == ("viewer", "editor")


@pytest.mark.parametrize("who", ["editor", "ben", "viewer", "other"])
def test_only_an_admin_of_the_organisation_manages_members(api: Seeded, who: str) -> None:
    expected = 404 if who == "other" else 403  # another organisation's admin sees nothing
    body = {"email": "x@clinic.example", "role": "admin", "password": PASSWORD}
    assert api.client.get(MEMBERS, headers=api.headers(who)).status_code == expected
    assert api.client.post(MEMBERS, json=body, headers=api.headers(who)).status_code == expected
    url = f"{MEMBERS}/{who}@clinic.example"
    change = api.client.put(url, json={"role": "admin"}, headers=api.headers(who))
    assert change.status_code == expected
    assert api.client.delete(url, headers=api.headers(who)).status_code == expected


def test_a_user_creates_lists_and_revokes_their_own_tokens(api: Seeded) -> None:
    made = api.client.post("/api/v1/me/tokens", json={"name": "sheet"}, headers=api.headers("ben"))
    assert made.status_code == 201
    secret, token_id = made.json()["token"], made.json()["id"]
    assert secret.startswith("hsn_")
    mine = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/v1/me", headers=mine).json()["email"] == "ben@clinic.example"
    listed = api.client.get("/api/v1/me/tokens", headers=api.headers("ben")).json()["items"]
    assert [(t["name"], t["revoked"]) for t in listed] == [("tests", False), ("sheet", False)]
    assert all("token" not in t for t in listed)  # the secret is shown once only
    # someone else's token is not theirs to revoke: 404, as if there were none
    foreign = api.client.delete(f"/api/v1/me/tokens/{token_id}", headers=api.headers("ana"))
    assert foreign.status_code == 404
    revoked = api.client.delete(f"/api/v1/me/tokens/{token_id}", headers=api.headers("ben"))
    assert revoked.status_code == 204
    assert api.client.get("/api/v1/me", headers=mine).status_code == 401


def test_a_token_use_is_noted_when_the_answer_is_404(api: Seeded, engine: Engine) -> None:
    """A read notes its token's use whatever it answers: here ben asks for the other
    organisation, which he is no member of (404, found in the same query as the token)."""
    made = api.client.post("/api/v1/me/tokens", json={"name": "sheet"}, headers=api.headers("ben"))
    secret = made.json()["token"]

    def last_used() -> object:
        with Session(engine) as session:
            hashed = hashlib.sha256(secret.encode()).hexdigest()
            return session.scalars(
                select(ApiTokenRow.last_used_at).where(ApiTokenRow.token_hash == hashed)
            ).one()

    assert last_used() is None
    mine = {"Authorization": f"Bearer {secret}"}
    answer = api.client.get("/api/v1/orgs/other/objectives", headers=mine)
    assert answer.status_code == 404
    assert answer.json() == {"error": "no organisation 'other'", "detail": None}
    assert last_used() is not None


def test_a_check_in_notes_its_token_use_in_the_writers_transaction(
    api: Seeded, engine: Engine
) -> None:
    """A PUT of a month's first actual is checked and written by the process's writer of
    check-ins (service.group_commit), which notes the token's use with the actual."""
    made = api.client.post("/api/v1/me/tokens", json={"name": "sheet"}, headers=api.headers("ben"))
    hashed = hashlib.sha256(made.json()["token"].encode()).hexdigest()
    mine = {"Authorization": f"Bearer {made.json()['token']}"}
    answer = api.client.put(
        "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06", json={"value": 61}, headers=mine
    )
    assert answer.status_code == 201  # ben owns A1, whose metric huddles is
    with Session(engine) as session:
        used = session.scalars(
            select(ApiTokenRow.last_used_at).where(ApiTokenRow.token_hash == hashed)
        ).one()
    assert used is not None


def test_a_hot_read_notes_its_token_use(api: Seeded, engine: Engine) -> None:
    """The objective read and the summary find who asks in the lookup thread
    (service.lookups), which notes the token's use as every read does."""
    made = api.client.post("/api/v1/me/tokens", json={"name": "sheet"}, headers=api.headers("ben"))
    hashed = hashlib.sha256(made.json()["token"].encode()).hexdigest()
    mine = {"Authorization": f"Bearer {made.json()['token']}"}
    assert api.client.get("/api/v1/orgs/clinic/objectives/A1", headers=mine).status_code == 200
    with Session(engine) as session:
        used = session.scalars(
            select(ApiTokenRow.last_used_at).where(ApiTokenRow.token_hash == hashed)
        ).one()
    assert used is not None
