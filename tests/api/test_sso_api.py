"""Single sign-on settings through the API (GET/PUT/DELETE /orgs/{org}/sso), and what
"password sign-in off" means for the API's sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from api_support import PASSWORD, Seeded
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from hoshin.service import account
from hoshin.service.account import SESSION_COOKIE
from hoshin.store.audit import AuditEventRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.sso import SsoSettingsRow
from hoshin.store.user import UserRow

pytestmark = pytest.mark.usefixtures("cheap_hashing")

SSO = "/api/v1/orgs/clinic/sso"
OIDC: dict[str, Any] = {
    "protocol": "oidc",
    "label": "Clinic Entra",
    "email_domains": ["Clinic.Example", "@staff.clinic.example"],
    "oidc_issuer": "https://login.example.com/tenant/v2.0/",
    "client_id": "hoshin-app",
    "client_secret": "s3cret-value-never-shown",
    "jit": True,
    "jit_role": "contributor",
    "group_claim": "groups",
    "group_roles": {"planners": "editor"},
    "group_units": {"ward-a-staff": "ward-a"},
    "password_sign_in": False,
}
# What GET answers for OIDC: domains lowered without '@', the issuer without its last '/',
# the secret only said to be set, and hoshin's addresses (base_url http://127.0.0.1:8000).
SHOWN = {
    "organization": "clinic",
    "protocol": "oidc",
    "label": "Clinic Entra",
    "email_domains": ["clinic.example", "staff.clinic.example"],
    "oidc_issuer": "https://login.example.com/tenant/v2.0",
    "client_id": "hoshin-app",
    "client_secret_set": True,
    "saml_idp_metadata_url": "",
    "saml_idp_metadata_set": False,
    "jit": True,
    "jit_role": "contributor",
    "group_claim": "groups",
    "group_roles": {"planners": "editor"},
    "group_units": {"ward-a-staff": "ward-a"},
    "password_sign_in": False,
    "service_provider": {
        "oidc_redirect_uri": "http://127.0.0.1:8000/sso/clinic/oidc/callback",
        "saml_entity_id": "http://127.0.0.1:8000/sso/clinic/saml/metadata",
        "saml_acs_url": "http://127.0.0.1:8000/sso/clinic/saml/acs",
        "saml_metadata_url": "http://127.0.0.1:8000/sso/clinic/saml/metadata",
        "sign_in_url": "http://127.0.0.1:8000/signin?org=clinic",
    },
}


@pytest.fixture(autouse=True)
def base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_BASE_URL", "http://127.0.0.1:8000")


def events(engine: Engine) -> list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditEventRow).where(AuditEventRow.entity == "sso").order_by(AuditEventRow.id)
        ).all()
        return [(row.change, row.before, row.after) for row in rows]


def test_set_show_replace_and_remove_round_trip(api: Seeded, engine: Engine) -> None:
    admin = api.headers("admin")
    assert api.client.get(SSO, headers=admin).json()["error"] == "clinic has no single sign-on"
    put = api.client.put(SSO, json=OIDC, headers=admin)
    assert put.status_code == 200 and put.json() == SHOWN
    assert api.client.get(SSO, headers=admin).json() == SHOWN
    # A second PUT without the secret keeps it: only the label changes.
    again = {k: v for k, v in OIDC.items() if k != "client_secret"} | {"label": "Entra"}
    assert api.client.put(SSO, json=again, headers=admin).json() == SHOWN | {"label": "Entra"}
    with Session(engine) as session:
        row = session.scalars(select(SsoSettingsRow)).one()
        assert row.oidc_client_secret == "s3cret-value-never-shown"
    assert api.client.delete(SSO, headers=admin).status_code == 204
    assert api.client.get(SSO, headers=admin).status_code == 404
    assert api.client.delete(SSO, headers=admin).status_code == 404
    with Session(engine) as session:  # removed: passwords sign clinic's members in again
        org = session.scalars(select(OrganizationRow).where(OrganizationRow.slug == "clinic"))
        assert org.one().password_sign_in is True
    trail = events(engine)
    assert [change for change, _, _ in trail] == ["create", "update", "delete"]
    shown = {k: v for k, v in SHOWN.items() if k != "service_provider"}
    assert trail[0][1] is None
    assert trail[0][2] == shown | {"client_secret_changed": True}
    assert trail[1][2] == shown | {"label": "Entra", "client_secret_changed": False}
    assert trail[2] == ("delete", shown | {"label": "Entra"}, None)
    assert "s3cret" not in str(trail)  # the secret is never in the audit trail


def test_saml_with_a_metadata_url_and_no_secret(api: Seeded) -> None:
    body = {"protocol": "saml", "saml_idp_metadata_url": "https://idp.example/metadata"}
    answer = api.client.put(SSO, json=body, headers=api.headers("admin"))
    assert answer.status_code == 200
    shown = answer.json()
    assert (shown["protocol"], shown["saml_idp_metadata_url"]) == (
        "saml", "https://idp.example/metadata",
    )  # fmt: skip
    assert (shown["client_secret_set"], shown["jit_role"], shown["password_sign_in"]) == (
        False, "viewer", True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"oidc_issuer": "login.example.com"},
            "oidc_issuer",
            "is not an https address (http only on this machine)",
        ),
        ({"group_roles": {"planners": "boss"}}, "body.group_roles.planners", "'admin'"),
        ({"jit_role": "admin"}, "jit_role", "use editor, contributor or viewer"),
        ({"client_id": ""}, "client_id", "needs the client id"),
        ({"email_domains": ["not a domain"]}, "email", ""),
        ({"protocol": "saml"}, "saml_idp_metadata", "give the IdP's metadata"),
        ({"client_secret": None}, "client_secret", "needs the client secret"),
        ({"colour": "blue"}, "body.colour", "Extra inputs are not permitted"),
    ],
)
def test_a_wrong_field_is_named(
    api: Seeded, engine: Engine, change: dict[str, Any], field: str, words: str
) -> None:
    answer = api.client.put(SSO, json=OIDC | change, headers=api.headers("admin"))
    assert answer.status_code == 422, answer.text
    body = answer.json()
    fields = [item["field"] for item in body["detail"]]
    assert any(f.startswith(field) for f in fields), body
    assert words in str(body)
    assert events(engine) == []  # nothing was set


def test_who_may_see_and_change_it(api: Seeded) -> None:
    api.client.put(SSO, json=OIDC, headers=api.headers("admin"))
    for method in ("GET", "PUT", "DELETE"):
        body = OIDC if method == "PUT" else None
        viewer = api.client.request(method, SSO, json=body, headers=api.headers("viewer"))
        assert viewer.status_code == 403, method
        editor = api.client.request(method, SSO, json=body, headers=api.headers("editor"))
        assert editor.status_code == 403, method
        # other@other.example administers 'other', and is no member of clinic: 404.
        other = api.client.request(method, SSO, json=body, headers=api.headers("other"))
        assert other.status_code == 404, method
        assert api.client.request(method, SSO, json=body).status_code == 401, method
        stranger = api.client.request(method, "/api/v1/orgs/nowhere/sso", json=body,
                                      headers=api.headers("admin"))  # fmt: skip
        assert stranger.status_code == 404, method
    assert api.client.get(SSO, headers=api.headers("admin")).json() == SHOWN


def cookie_of(engine: Engine, name: str, *, by_provider: bool) -> str:
    """A session of NAME@clinic.example: by password, or made by clinic's provider."""
    with Session(engine) as session:
        user = session.scalars(select(UserRow).where(UserRow.email == f"{name}@clinic.example"))
        org = session.scalars(select(OrganizationRow).where(OrganizationRow.slug == "clinic"))
        org_id = org.one().id if by_provider else None
        secret = account.new_session(
            session, user_id=user.one().id, now=datetime.now(UTC), sso_org_id=org_id
        )
        session.commit()
    return secret


def test_password_sign_in_off_refuses_password_sessions_but_an_admins(
    api: Seeded, engine: Engine
) -> None:
    api.client.put(SSO, json=OIDC, headers=api.headers("admin"))  # password_sign_in false
    objectives = "/api/v1/orgs/clinic/objectives"
    # Password sign-in itself still works (the admin's break-glass; other organisations).
    signed = api.client.post("/api/v1/session", json={"email": "ben@clinic.example",
                                                      "password": PASSWORD})  # fmt: skip
    assert signed.status_code == 200
    refused = api.client.get(objectives)
    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "Riverside Clinic signs its members in through its identity provider: sign out, then "
        "sign in with single sign-on"
    )
    api.client.cookies.clear()
    for name, by_provider, status in (
        ("admin", False, 200),  # break-glass: an admin's password session works
        ("ben", True, 200),  # a session that clinic's provider made
        ("ben", False, 403),
        ("editor", False, 403),
    ):
        secret = cookie_of(engine, name, by_provider=by_provider)
        api.client.cookies.set(SESSION_COOKIE, secret)
        answer = api.client.get(objectives)
        assert answer.status_code == status, (name, by_provider)
    # API tokens were made by members who signed in, and stay valid.
    api.client.cookies.clear()
    assert api.client.get(objectives, headers=api.headers("ben")).status_code == 200
