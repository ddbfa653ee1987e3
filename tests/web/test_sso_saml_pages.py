"""The SAML pages without a browser, on SQLite and PostgreSQL, against a real IdP (pysaml2's
Server, tests/saml_idp.py): the metadata, the start's redirect, the ACS's sign-in with its
session cookie, and refusals shown on a 403 page that says why (never the XML), audited."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.config import settings
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service import account, saml, sso
from hoshin.service.account import SESSION_COOKIE
from hoshin.service.sso import SsoSettings
from hoshin.store.account import find_membership
from hoshin.store.audit import list_events
from hoshin.store.organization import create_organization, get_organization
from hoshin.store.user import find_user
from saml_idp import SamlIdp, make_idp

ADA = "ada@example.com"
PASSWORD = "correct horse battery"


def addresses() -> saml.Addresses:
    """hoshin's acme service provider at this process's base URL (the server's too)."""
    return saml.addresses(base_url=settings().base_url, slug="acme")


def new_idp(folder: Path, lifetime_minutes: int = 15) -> SamlIdp:
    """An IdP that knows hoshin's acme service provider."""
    sp = addresses()
    metadata = saml.sp_metadata(base_url=settings().base_url, slug="acme")
    return make_idp(
        folder, sp_metadata=metadata, sp_entity_id=sp.entity_id, acs_url=sp.acs_url,
        lifetime_minutes=lifetime_minutes,
    )  # fmt: skip


@pytest.fixture
def idp(tmp_path: Path) -> SamlIdp:
    """The acme organisation's IdP."""
    return new_idp(tmp_path)


def serve(engine: Engine, idp: SamlIdp, **changes: Any) -> TestClient:
    """The pages of a server where acme signs in with the IdP and Ada is a viewer; beta
    signs in with OpenID Connect."""
    sessions = session_factory(engine)
    with sessions() as session:
        for slug in ("acme", "beta"):
            create_organization(session, slug=slug, name=slug.title())
        account.add_user(session, email=ADA, password=PASSWORD, actor="t", origin="t")
        account.set_role(session, email=ADA, org_slug="acme", role="viewer", actor="t", origin="t")
        settings_in = SsoSettings(protocol="saml", saml_idp_metadata=idp.metadata, **changes)
        acme = get_organization(session, slug="acme")
        sso.set_settings(session, org=acme, settings=settings_in, actor="t", origin="t")
        oidc = SsoSettings(
            protocol="oidc", oidc_issuer="https://login.beta.test", client_id="c",
            client_secret="s",
        )  # fmt: skip
        beta = get_organization(session, slug="beta")
        sso.set_settings(session, org=beta, settings=oidc, actor="t", origin="t")
        session.commit()
    return TestClient(create_server(sessions), follow_redirects=False)


@pytest.fixture
def pages(engine: Engine, idp: SamlIdp, cheap_hashing: None) -> Iterator[TestClient]:
    """The pages, with acme signing in with the IdP."""
    with serve(engine, idp) as client:
        yield client


def begin(client: TestClient, idp: SamlIdp, next_path: str = "") -> str:
    """Starts a sign-in; the id of the AuthnRequest the IdP was sent."""
    answer = client.get("/sso/acme/saml/start", params={"next": next_path} if next_path else {})
    assert answer.status_code == 303
    return idp.read_request(answer.headers["location"])


def post(client: TestClient, saml_response: str) -> Any:
    """The browser's post of the IdP's answer to the ACS (no CSRF token: it has none)."""
    return client.post("/sso/acme/saml/acs", data={"SAMLResponse": saml_response, "RelayState": ""})


def refusals(engine: Engine) -> list[str]:
    """The reasons of acme's audited refusals."""
    with session_factory(engine)() as session:
        acme = get_organization(session, slug="acme")
        found = list_events(session, org_id=acme.id, entity="sso")
        return [str(e.after["reason"]) for e in found if e.change == "refuse" and e.after]


def test_the_metadata_is_served_as_saml_metadata(pages: TestClient) -> None:
    answer = pages.get("/sso/acme/saml/metadata")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/samlmetadata+xml"
    assert f'entityID="{addresses().entity_id}"' in answer.text
    assert pages.get("/sso/beta/saml/metadata").status_code == 200  # before it is set up
    assert pages.get("/sso/nobody/saml/metadata").status_code == 404
    assert pages.get("/sso/no%20such/saml/metadata").status_code == 404


def test_a_member_signs_in_and_lands_where_they_were_going(pages: TestClient, idp: SamlIdp) -> None:
    request_id = begin(pages, idp, next_path="/orgs/acme/plan")
    answer = post(pages, idp.answer(request_id))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/orgs/acme/plan"
    assert SESSION_COOKIE in answer.cookies
    home = pages.get("/")  # signed in: sent to acme's page (not to /signin)
    assert (home.status_code, home.headers["location"]) == (303, "/orgs/acme/")


def test_another_sites_next_is_not_followed(pages: TestClient, idp: SamlIdp) -> None:
    answer = post(pages, idp.answer(begin(pages, idp, next_path="//evil.example/")))
    assert (answer.status_code, answer.headers["location"]) == (303, "/orgs/acme/")


def test_a_replayed_answer_is_refused_on_a_page_that_says_why(
    engine: Engine, pages: TestClient, idp: SamlIdp
) -> None:
    saml_response = idp.answer(begin(pages, idp))
    assert post(pages, saml_response).status_code == 303
    pages.cookies.clear()
    again = post(pages, saml_response)
    assert again.status_code == 403
    assert '<p role="alert">The assertion was used already.</p>' in again.text
    assert 'href="/signin?org=acme"' in again.text
    assert SESSION_COOKIE not in again.cookies
    assert refusals(engine) == ["the assertion was used already"]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(
            lambda i, r: i.answer(r, signed=False), "the assertion is not signed", id="unsigned"
        ),
        pytest.param(
            lambda i, r: i.answer(r, audience="https://other.example/sp"),
            "the assertion is for another audience: https://other.example/sp",
            id="audience",
        ),
        pytest.param(
            lambda i, r: i.answer(None),
            "this answer does not answer a sign-in hoshin started",
            id="unsolicited",
        ),
        pytest.param(
            lambda i, r: "%%% not base64",
            "the SAMLResponse is not a base64-encoded SAML response",
            id="not-base64",
        ),
        pytest.param(
            lambda i, r: base64.b64encode(b"<?xml version='1.0'?><oops").decode(),
            "the SAMLResponse is not a base64-encoded SAML response",
            id="not-xml",
        ),
    ],
)
def test_an_untrusted_answer_is_refused_with_its_reason(
    engine: Engine, pages: TestClient, idp: SamlIdp, make: Any, reason: str
) -> None:
    answer = post(pages, make(idp, begin(pages, idp)))
    assert answer.status_code == 403
    assert f'<p role="alert">{reason[:1].upper()}{reason[1:]}.</p>' in answer.text
    assert "Assertion" not in answer.text and "ns0:" not in answer.text  # no XML
    assert SESSION_COOKIE not in answer.cookies
    assert refusals(engine) == [reason]


def test_an_expired_assertion_is_refused(
    engine: Engine, tmp_path: Path, cheap_hashing: None
) -> None:
    old = new_idp(tmp_path, lifetime_minutes=-10)  # its assertions ended 10 minutes ago
    with serve(engine, old) as client:
        answer = post(client, old.answer(begin(client, old)))
    assert answer.status_code == 403
    assert '<p role="alert">The assertion expired at ' in answer.text


def test_a_stranger_gets_an_account_with_their_groups_role(
    engine: Engine, idp: SamlIdp, cheap_hashing: None
) -> None:
    with serve(engine, idp, jit=True, group_claim="groups", group_roles={"leads": "editor"}) as c:
        attributes = {"mail": ["cy@example.com"], "displayName": ["Cy"], "groups": ["leads"]}
        answer = post(c, idp.answer(begin(c, idp), email="cy@example.com", attributes=attributes))
        assert (answer.status_code, answer.headers["location"]) == (303, "/orgs/acme/")
    with session_factory(engine)() as session:
        acme = get_organization(session, slug="acme")
        members = {m["email"]: m["role"] for m in _members(session, acme.id)}
        assert members == {ADA: "viewer", "cy@example.com": "editor"}


def _members(session: Any, org_id: int) -> list[dict[str, str]]:
    """Ada's and Cy's roles in the organisation, where they are members."""
    found = []
    for email in (ADA, "cy@example.com"):
        user = find_user(session, email=email)
        membership = (
            None if user is None else find_membership(session, user_id=user.id, org_id=org_id)
        )
        if membership is not None:
            found.append({"email": email, "role": membership.role})
    return found


def test_bad_requests_are_told_not_crashed(pages: TestClient) -> None:
    # Too long for the ACS's limit: 422 naming the field; no such organisation, or one
    # that signs in otherwise: 404; a next too long: 422.
    too_long = post(pages, "A" * 400_001)
    assert too_long.status_code == 422 and "SAMLResponse" in too_long.text
    assert pages.get("/sso/nobody/saml/start").status_code == 404
    assert pages.get("/sso/beta/saml/start").status_code == 404
    assert post_to(pages, "beta").status_code == 404
    assert pages.get("/sso/acme/saml/start", params={"next": "/" * 501}).status_code == 422
    assert pages.post("/sso/acme/saml/acs", data={}).status_code == 422


def post_to(client: TestClient, slug: str) -> Any:
    """A post of nothing useful to another organisation's ACS."""
    return client.post(f"/sso/{slug}/saml/acs", data={"SAMLResponse": "x"})
