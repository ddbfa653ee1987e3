"""Members, roles, invitations and API tokens through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_support import PASSWORD, Seeded
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from hoshin.service import invitation
from hoshin.store.tables import ApiTokenRow
from hoshin.store.user import InvitationRow

pytestmark = pytest.mark.usefixtures("cheap_hashing")

MEMBERS = "/api/v1/orgs/clinic/members"
INVITATIONS = "/api/v1/orgs/clinic/invitations"


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


def test_adding_by_email_is_an_invitation_that_tells_nothing_of_other_organisations(
    api: Seeded, engine: Engine
) -> None:
    """other@other.example has an account (in the organisation 'other'); cleo has none. The
    admin of clinic gets the same kind of answer for both: no name, no person, no sign of
    the other organisation; only a link to hand over, shown once."""
    answers = {}
    for email in ("other@other.example", "Cleo@Clinic.example"):
        answer = api.client.post(
            MEMBERS, json={"email": email, "role": "viewer"}, headers=api.headers("admin")
        )
        assert answer.status_code == 201
        answers[email] = answer.json()
    emails = ("other@other.example", "cleo@clinic.example")
    for email, body in zip(emails, answers.values(), strict=True):
        assert set(body) == {"id", "email", "role", "person", "status", "created_at",
                             "expires_at", "link"}  # fmt: skip
        assert (body["email"], body["role"], body["person"], body["status"]) == (
            email, "viewer", None, "invited",
        )  # fmt: skip
        assert re.fullmatch(r"/invite/[A-Za-z0-9_-]{43}", body["link"])
        # Seven days: from the moment made to the moment it lapses.
        made, lapses = (datetime.fromisoformat(body[k]) for k in ("created_at", "expires_at"))
        assert lapses - made == timedelta(days=7)
    assert "other" not in str(answers["other@other.example"]).replace("other@other.example", "")
    assert "other@other.example" not in roles(api)  # invited, not a member yet
    listed = api.client.get(INVITATIONS, headers=api.headers("admin")).json()["items"]
    assert [(i["email"], i["status"]) for i in listed] == [
        ("cleo@clinic.example", "invited"), ("other@other.example", "invited"),
    ]  # fmt: skip
    assert all("link" not in i for i in listed)  # the secret is shown once only
    with Session(engine) as session:  # only the SHA-256 of the link's secret is stored
        secret = answers["Cleo@Clinic.example"]["link"].removeprefix("/invite/")
        stored = session.scalars(select(InvitationRow.token_hash)).all()
        assert hashlib.sha256(secret.encode()).hexdigest() in stored and secret not in stored


def test_an_invited_user_accepts_with_a_new_account_and_signs_in(
    api: Seeded, engine: Engine
) -> None:
    body = {"email": "cleo@clinic.example", "role": "editor", "person": "ben"}
    link = api.client.post(MEMBERS, json=body, headers=api.headers("admin")).json()["link"]
    with Session(engine) as session:  # the invitation page's work (tests/web/test_invite.py)
        invitation.accept_new(
            session, secret=link.removeprefix("/invite/"), name="Cleo", password=PASSWORD,
            now=datetime.now(UTC), origin="tests",
        )  # fmt: skip
        session.commit()
    assert roles(api)["cleo@clinic.example"] == "editor"
    signed_in = api.client.post(
        "/api/v1/session", json={"email": "cleo@clinic.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    assert api.client.get("/api/v1/me").json()["person"] == "ben"
    listed = api.client.get(INVITATIONS, headers=api.headers("admin")).json()["items"]
    assert [(i["email"], i["status"]) for i in listed] == [("cleo@clinic.example", "accepted")]


def test_an_invitation_is_revoked_and_a_newer_one_replaces_it(api: Seeded) -> None:
    body = {"email": "cleo@clinic.example", "role": "viewer"}
    first = api.client.post(MEMBERS, json=body, headers=api.headers("admin")).json()
    second = api.client.post(MEMBERS, json=body, headers=api.headers("admin")).json()
    listed = api.client.get(INVITATIONS, headers=api.headers("admin")).json()["items"]
    assert [(i["id"], i["status"]) for i in listed] == [
        (second["id"], "invited"), (first["id"], "revoked"),
    ]  # fmt: skip
    url = f"{INVITATIONS}/{second['id']}"
    assert api.client.delete(url, headers=api.headers("admin")).status_code == 204
    listed = api.client.get(INVITATIONS, headers=api.headers("admin")).json()["items"]
    assert [i["status"] for i in listed] == ["revoked", "revoked"]
    # Another organisation's admin finds no such invitation in clinic (404 for clinic itself).
    assert api.client.delete(url, headers=api.headers("other")).status_code == 404
    foreign = api.client.delete(
        f"/api/v1/orgs/other/invitations/{second['id']}", headers=api.headers("other")
    )
    assert foreign.status_code == 404


def test_inviting_a_member_again_is_a_conflict(api: Seeded) -> None:
    body = {"email": "Viewer@clinic.example", "role": "editor"}
    again = api.client.post(MEMBERS, json=body, headers=api.headers("admin"))
    assert again.status_code == 409
    assert again.json()["error"] == (
        "viewer@clinic.example is a member of clinic already: change their role or person in "
        "the members list"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "new@clinic.example", "role": "owner"}, "body.role"),
        ({"email": "new@clinic.example", "role": "viewer", "password": PASSWORD}, "body.password"),
        ({"email": "new@clinic", "role": "viewer"}, "email"),
        ({"email": "new@clinic.example", "role": "viewer", "person": "nobody"}, "person"),
    ],
)
def test_a_bad_invitation_is_refused_naming_the_field(
    api: Seeded, body: dict[str, Any], field: str
) -> None:
    answer = api.client.post(MEMBERS, json=body, headers=api.headers("admin"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == field
    assert api.client.get(INVITATIONS, headers=api.headers("admin")).json()["items"] == []


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


def test_the_admin_links_a_member_to_a_person_of_the_plan(api: Seeded) -> None:
    """small.yaml has people ana and ben, each linked to their own member already."""
    url, admin = f"{MEMBERS}/admin@clinic.example", api.headers("admin")
    taken = api.client.put(url, json={"person": "ben"}, headers=admin)
    assert taken.status_code == 409
    assert taken.json()["error"] == (
        "person 'ben' is linked to ben@clinic.example already: unlink them first"
    )
    unknown = api.client.put(url, json={"person": "zed"}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "person"
    assert api.client.put(url, json={}, headers=admin).status_code == 422  # nothing to change
    # ben unlinked (null), the admin takes ben and stays admin: role and person at once.
    unlinked = api.client.put(f"{MEMBERS}/ben@clinic.example", json={"person": None}, headers=admin)
    assert unlinked.status_code == 200 and unlinked.json()["person"] is None
    both = api.client.put(url, json={"role": "admin", "person": "ben"}, headers=admin)
    assert both.status_code == 200
    assert (both.json()["role"], both.json()["person"]) == ("admin", "ben")
    trail = api.client.get("/api/v1/orgs/clinic/audit?entity=member", headers=admin).json()["items"]
    assert [(e["key"], e["before"]["person"], e["after"]["person"]) for e in trail] == [
        ("admin@clinic.example", None, "ben"),
        ("ben@clinic.example", "ben", None),
    ]  # fmt: skip: newest first, the unchanged role is no event


def test_a_removed_member_loses_access_but_keeps_the_account(api: Seeded) -> None:
    url = f"{MEMBERS}/viewer@clinic.example"
    assert api.client.delete(url, headers=api.headers("admin")).status_code == 204
    assert "viewer@clinic.example" not in roles(api)
    # Their last organisation: their token is revoked (tests/api/test_accounts_api.py).
    read = api.client.get("/api/v1/orgs/clinic/objectives", headers=api.headers("viewer"))
    assert read.status_code == 401
    signed_in = api.client.post(
        "/api/v1/session", json={"email": "viewer@clinic.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 200  # the account stays
    assert api.client.get("/api/v1/orgs/clinic/objectives").status_code == 404  # no member
    api.client.cookies.clear()
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
    body = {"email": "x@clinic.example", "role": "admin"}
    assert api.client.get(MEMBERS, headers=api.headers(who)).status_code == expected
    assert api.client.get(INVITATIONS, headers=api.headers(who)).status_code == expected
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
    check-ins (runtime.group_commit), which notes the token's use with the actual."""
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
    (runtime.lookups), which notes the token's use as every read does."""
    made = api.client.post("/api/v1/me/tokens", json={"name": "sheet"}, headers=api.headers("ben"))
    hashed = hashlib.sha256(made.json()["token"].encode()).hexdigest()
    mine = {"Authorization": f"Bearer {made.json()['token']}"}
    assert api.client.get("/api/v1/orgs/clinic/objectives/A1", headers=mine).status_code == 200
    with Session(engine) as session:
        used = session.scalars(
            select(ApiTokenRow.last_used_at).where(ApiTokenRow.token_hash == hashed)
        ).one()
    assert used is not None
