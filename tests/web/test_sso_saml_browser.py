"""SAML single sign-on in Chromium against ``hoshin serve``: the browser goes to the IdP (its
address answered in the test by pysaml2's IdP, tests/saml_idp.py, through Playwright's
routing), posts the IdP's answer to the ACS as a real IdP's page does, and lands signed in,
or on the page that says why it was refused (screenshots at 1280 and 390 px)."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from hoshin.config import settings
from hoshin.runtime.engine import make_engine, session_factory
from hoshin.service import saml, sso
from hoshin.service.sso import SsoSettings
from hoshin.store.organization import get_organization
from saml_idp import IDP_SSO_URL, SamlIdp, make_idp

from .web_support import BEN, ORG, axe_violations, fits_the_width, screenshot


@pytest.fixture
def idp(fresh_server: str, tmp_path: Path) -> SamlIdp:
    """The clinic's IdP, set as its single sign-on in the server's database (a copy in
    tmp_path: web_support.copy_database)."""
    base_url = settings().base_url  # the server's too: it runs with this environment
    sp = saml.addresses(base_url=base_url, slug=ORG)
    folder = tmp_path / "idp"
    folder.mkdir()
    made = make_idp(
        folder, sp_metadata=saml.sp_metadata(base_url=base_url, slug=ORG),
        sp_entity_id=sp.entity_id, acs_url=sp.acs_url,
    )  # fmt: skip
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    try:
        with session_factory(engine)() as session:
            org = get_organization(session, slug=ORG)
            chosen = SsoSettings(
                protocol="saml", label="Clinic ID", saml_idp_metadata=made.metadata
            )
            sso.set_settings(session, org=org, settings=chosen, actor="t", origin="t")
            session.commit()
    finally:
        engine.dispose()
    return made


def route_to(page: Page, idp: SamlIdp, server: str, *, signed: bool) -> None:
    """Answers the browser's visit to the IdP with the IdP's page: a form that posts its
    SAMLResponse to hoshin's ACS (the HTTP-POST binding), for Ben."""

    def at_idp(route: Route) -> None:
        saml_response = idp.answer(idp.read_request(route.request.url), email=BEN, signed=signed)
        body = (
            '<!doctype html><html lang="en"><title>Clinic ID</title>'
            f'<form method="post" action="{server}/sso/{ORG}/saml/acs">'
            f'<input type="hidden" name="SAMLResponse" value="{escape(saml_response)}">'
            "<button>Continue to hoshin</button></form></html>"
        )
        route.fulfill(status=200, content_type="text/html", body=body)

    page.route(lambda url: url.startswith(IDP_SSO_URL), at_idp)


def go_to_idp(page: Page, server: str) -> None:
    """Starts the sign-in and follows its redirect to the IdP (two steps: Playwright routes
    the first address of a navigation only, not where a redirect leads)."""
    start = page.request.get(f"{server}/sso/{ORG}/saml/start", max_redirects=0)
    assert start.status == 303
    page.goto(start.headers["location"])


def test_a_member_signs_in_through_the_idp(page: Page, fresh_server: str, idp: SamlIdp) -> None:
    route_to(page, idp, fresh_server, signed=True)
    go_to_idp(page, fresh_server)
    page.get_by_role("button", name="Continue to hoshin").click()
    expect(page).to_have_url(f"{fresh_server}/orgs/{ORG}/")
    cookies = {c["name"] for c in page.context.cookies()}
    assert "hoshin_session" in cookies


def test_a_refused_answer_shows_why(page: Page, fresh_server: str, idp: SamlIdp) -> None:
    route_to(page, idp, fresh_server, signed=False)
    go_to_idp(page, fresh_server)
    page.get_by_role("button", name="Continue to hoshin").click()
    expect(page.get_by_role("heading", name="Single sign-on refused")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("The assertion is not signed.")
    expect(page.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", f"/signin?org={ORG}"
    )
    assert axe_violations(page) == []
    screenshot(page, "sso-saml-refused")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_width(page)
    screenshot(page, "sso-saml-refused-phone")
