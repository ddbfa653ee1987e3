"""Accounts through the API, on SQLite and PostgreSQL: a wrong password is 401, throttled
sign-ins 429 with Retry-After, password change, disabling a member, and access that ends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from api_support import PASSWORD, Seeded
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hoshin.service import account, invitation

pytestmark = pytest.mark.usefixtures("cheap_hashing")

MEMBERS = "/api/v1/orgs/clinic/members"
NEW_PASSWORD = "a much better secret"


def sign_in(api: Seeded, email: str, password: str = PASSWORD) -> int:
    """Signs in with the session cookie; the status."""
    answer = api.client.post("/api/v1/session", json={"email": email, "password": password})
    return answer.status_code


def test_a_wrong_password_is_401_and_the_fourth_try_waits_a_second(api: Seeded) -> None:
    """Three failures are free; after the third the account waits 1 s (the attempts of one
    test come within a second, so the fourth is refused with Retry-After: 1)."""
    for _ in range(3):
        answer = api.client.post(
            "/api/v1/session", json={"email": "ben@clinic.example", "password": "not it at all"}
        )
        assert answer.status_code == 401
        assert answer.json() == {"error": "wrong email or password", "detail": None}
    throttled = api.client.post(
        "/api/v1/session", json={"email": "ben@clinic.example", "password": PASSWORD}
    )
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] in {"1", "2"}  # 1 s, or 2 across a second's edge
    assert throttled.json()["error"].startswith(
        "too many failed sign-ins for this account or from this address: try again in "
    )


def test_a_password_change_ends_other_sessions_and_every_token(api: Seeded) -> None:
    assert sign_in(api, "ben@clinic.example") == 200
    other = api.client.cookies.get("hoshin_session")
    assert sign_in(api, "ben@clinic.example") == 200  # this one changes the password
    mine = api.client.cookies.get("hoshin_session")
    assert other and mine and other != mine
    changed = api.client.put("/api/v1/me/password", json={"current": PASSWORD, "new": NEW_PASSWORD})
    assert changed.status_code == 200
    renewed = changed.cookies.get("hoshin_session")
    assert renewed and renewed not in {mine, other}
    assert api.client.get("/api/v1/me").status_code == 200  # renewed, still signed in
    for ended in (mine, other):
        api.client.cookies.clear()
        api.client.cookies.set("hoshin_session", ended)
        assert api.client.get("/api/v1/me").status_code == 401  # the old cookies ended
    assert api.client.get("/api/v1/me", headers=api.headers("ben")).status_code == 401
    api.client.cookies.clear()
    assert sign_in(api, "ben@clinic.example", NEW_PASSWORD) == 200


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"current": "not the password", "new": NEW_PASSWORD}, 403, "current"),
        ({"current": PASSWORD, "new": "1234567890"}, 422, "password"),
        ({"current": PASSWORD, "new": PASSWORD}, 422, "password"),
    ],
)
def test_a_refused_password_change_changes_nothing(
    api: Seeded, body: dict[str, str], status: int, field: str
) -> None:
    answer = api.client.put("/api/v1/me/password", json=body, headers=api.headers("ben"))
    assert answer.status_code == status
    assert answer.json()["detail"][0]["field"] == field
    assert api.client.get("/api/v1/me", headers=api.headers("ben")).status_code == 200
    assert sign_in(api, "ben@clinic.example") == 200


def test_an_admin_disables_and_enables_a_member(api: Seeded) -> None:
    url = f"{MEMBERS}/viewer@clinic.example/active"
    disabled = api.client.put(url, json={"active": False}, headers=api.headers("admin"))
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert api.client.get("/api/v1/me", headers=api.headers("viewer")).status_code == 401
    assert sign_in(api, "viewer@clinic.example") == 401  # like a wrong password
    enabled = api.client.put(url, json={"active": True}, headers=api.headers("admin"))
    assert enabled.status_code == 200 and enabled.json()["active"] is True
    assert sign_in(api, "viewer@clinic.example") == 200
    # The token revoked at disabling stays revoked.
    assert api.client.get("/api/v1/me", headers=api.headers("viewer")).status_code == 401


def test_an_admin_cannot_disable_a_member_of_another_organisation(
    api: Seeded, engine: Engine
) -> None:
    """viewer joins 'other' too (whose admin is other@other.example): clinic's admin may not
    disable the account then (403 with the reason), nor their own (409)."""
    link = api.client.post(
        "/api/v1/orgs/other/members", json={"email": "viewer@clinic.example", "role": "viewer"},
        headers=api.headers("other"),
    ).json()["link"]  # fmt: skip
    with Session(engine) as session:  # viewer accepts (the invitation page's work)
        viewer = account.get_user(session, email="viewer@clinic.example")
        invitation.accept(
            session, secret=link.removeprefix("/invite/"), user_id=viewer.id,
            now=datetime.now(UTC), origin="tests",
        )  # fmt: skip
        session.commit()
    refused = api.client.put(
        f"{MEMBERS}/viewer@clinic.example/active", json={"active": False},
        headers=api.headers("admin"),
    )  # fmt: skip
    assert refused.status_code == 403
    assert "also a member of an organisation you do not administer" in refused.json()["error"]
    own = api.client.put(
        f"{MEMBERS}/admin@clinic.example/active", json={"active": False},
        headers=api.headers("admin"),
    )  # fmt: skip
    assert own.status_code == 409
    assert api.client.get("/api/v1/me", headers=api.headers("viewer")).status_code == 200


def test_removal_from_the_last_organisation_ends_sessions_and_tokens(api: Seeded) -> None:
    assert sign_in(api, "viewer@clinic.example") == 200
    cookie = api.client.cookies.get("hoshin_session")
    url = f"{MEMBERS}/viewer@clinic.example"
    assert api.client.delete(url, headers=api.headers("admin")).status_code == 204
    assert api.client.get("/api/v1/me", headers=api.headers("viewer")).status_code == 401
    api.client.cookies.clear()
    api.client.cookies.set("hoshin_session", str(cookie))
    assert api.client.get("/api/v1/me").status_code == 401
    made = api.client.post("/api/v1/me/tokens", json={"name": "after"})
    assert made.status_code == 401  # no session left to make tokens with
