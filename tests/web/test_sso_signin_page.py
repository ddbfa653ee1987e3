"""The sign-in page's single sign-on, without a browser on SQLite and PostgreSQL: "Sign in with
<label>" for /signin?org=SLUG, the e-mail-first box that finds the provider by domain, and
password sign-in switched off (a member's password session refused in the organisation with
its provider's link, its admin's and a provider's session let in); and in a real browser at
1440 and 390 px, axe clean, without sideways scroll."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from hoshin.service import account, sso
from hoshin.service.account import SESSION_COOKIE
from hoshin.store.organization import OrganizationRow
from hoshin.store.user import UserRow

from .web_support import (
    ADMIN,
    axe_violations,
    clinic_pages,
    fits_the_width,
    screenshot,
    sign_in,
    signed_in_as,
)

ENTRA = sso.SsoSettings(
    protocol="oidc", label="Clinic Entra", email_domains=("clinic.example",),
    oidc_issuer="https://login.example.com/tenant/v2.0", client_id="hoshin-app",
    client_secret="s3cret", password_sign_in=False,
)  # fmt: skip
LINK = '<a class="provider" href="{}">Sign in with Clinic Entra</a>'


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """clinic's pages, with its admin, ben (contributor) and its provider ENTRA."""
    users = {"admin": ("admin", None), "ben": ("contributor", "ben")}
    with clinic_pages(engine, users) as client:
        with Session(engine) as session:
            org = session.scalars(select(OrganizationRow).where(OrganizationRow.slug == "clinic"))
            sso.set_settings(session, org=org.one(), settings=ENTRA, actor="t", origin="t")
            session.commit()
        yield client


def test_the_sign_in_page_of_an_organisation_offers_its_provider(pages: TestClient) -> None:
    plain = pages.get("/signin")
    assert "Sign in with Clinic Entra" not in plain.text
    assert 'action="/signin/sso"' in plain.text and 'name="csrf_token"' in plain.text
    page = pages.get("/signin?org=clinic")
    assert LINK.format("/sso/clinic/oidc/start") in page.text
    assert page.text.index("Sign in with Clinic Entra") < page.text.index('action="/signin"')
    # next: a path of this server only, handed on to the provider's start.
    onward = pages.get("/signin", params={"org": "clinic", "next": "/orgs/clinic/plan"})
    assert LINK.format("/sso/clinic/oidc/start?next=%2Forgs%2Fclinic%2Fplan") in onward.text
    elsewhere = pages.get("/signin", params={"org": "clinic", "next": "//evil.example/"})
    assert LINK.format("/sso/clinic/oidc/start") in elsewhere.text
    unknown = pages.get("/signin?org=nowhere")
    assert unknown.status_code == 200
    assert "No single sign-on for &#39;nowhere&#39;: sign in with your password." in unknown.text


def test_the_e_mail_box_finds_the_provider_by_domain(pages: TestClient) -> None:
    found = pages.post("/signin/sso", data={"email": "Ana@Clinic.Example"}, follow_redirects=False)
    assert (found.status_code, found.headers["location"]) == (303, "/signin?org=clinic")
    onward = pages.post(
        "/signin/sso", data={"email": "ana@clinic.example", "next": "/orgs/clinic/plan"},
        follow_redirects=False,
    )  # fmt: skip
    assert onward.headers["location"] == "/signin?org=clinic&next=%2Forgs%2Fclinic%2Fplan"
    for typed, said in (
        ("bo@other.example", "No single sign-on for other.example."),
        ("not an address", "Type your work e-mail address, like name@example.com."),
        ("", "Type your work e-mail address, like name@example.com."),
    ):
        answer = pages.post("/signin/sso", data={"email": typed})
        assert answer.status_code == 422
        assert f'id="sso-problem">{said}</p>' in answer.text
    too_long = pages.post("/signin/sso", data={"email": "a" * 400 + "@clinic.example"})
    assert too_long.status_code == 422  # refused at the form's limit, not a server error


def session_of(engine: Engine, name: str, *, by_provider: bool) -> str:
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


def test_password_sign_in_off_offers_the_provider_to_a_members_password_session(
    pages: TestClient, engine: Engine
) -> None:
    signed_in_as(pages, "ben")  # password sign-in itself works (it is the org that refuses)
    refused = pages.get("/orgs/clinic/")
    assert refused.status_code == 403
    assert (
        "Riverside Clinic signs its members in through its identity provider: sign out, then "
        "sign in with single sign-on" in refused.text
    )
    assert LINK.format("/sso/clinic/oidc/start?next=%2Forgs%2Fclinic%2F") in refused.text
    pages.cookies.clear()
    for name, by_provider, status in (
        ("admin", False, 200),  # break-glass: the admin's password
        ("ben", True, 200),  # a session clinic's provider made
        ("ben", False, 403),
    ):
        pages.cookies.set(SESSION_COOKIE, session_of(engine, name, by_provider=by_provider))
        assert pages.get("/orgs/clinic/").status_code == status, (name, by_provider)
        pages.cookies.clear()


def test_the_sign_in_page_with_a_provider_in_a_browser(fresh_server: str, browser: Browser) -> None:
    admin = browser.new_context(viewport={"width": 1440, "height": 900})
    page = admin.new_page()
    try:  # clinic's provider, set by its admin on the admin page
        sign_in(page, fresh_server, ADMIN)
        page.goto(f"{fresh_server}/orgs/clinic/admin/sso")
        fill = {
            "Button label": "Clinic Entra", "E-mail domains": "clinic.example",
            "Issuer URL": "https://login.example.com/tenant/v2.0",
            "Client id": "hoshin-app", "Client secret": "s3cret-value",
        }  # fmt: skip
        for label, value in fill.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name="Save single sign-on").click()
        expect(page.get_by_role("status")).to_have_text("Single sign-on is saved.")
    finally:
        admin.close()
    for width, name in ((1440, "desktop"), (390, "phone")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(f"{fresh_server}/signin")
            page.get_by_label("Work email").fill("bo@other.example")
            page.get_by_role("button", name="Continue").click()
            expect(page.get_by_role("alert")).to_have_text("No single sign-on for other.example.")
            page.get_by_label("Work email").fill("ben@clinic.example")
            page.get_by_role("button", name="Continue").click()
            link = page.get_by_role("link", name="Sign in with Clinic Entra")
            expect(link).to_have_attribute("href", "/sso/clinic/oidc/start")
            assert page.url.endswith("/signin?org=clinic")
            assert axe_violations(page) == []
            assert fits_the_width(page), f"sideways scroll at {width} px"
            screenshot(page, f"signin-sso-{name}")
        finally:
            context.close()
