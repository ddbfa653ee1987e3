"""The admin's single sign-on page (/orgs/clinic/admin/sso): without a browser on SQLite and
PostgreSQL (set, shown, kept secret, refused in place, removed, admins only, audited), and in
a real browser at 1440 and 390 px, axe clean, without sideways scroll."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from hoshin.store.audit import AuditEventRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.sso import SsoSettingsRow

from .web_support import (
    ADMIN,
    axe_violations,
    clinic_pages,
    fits_the_width,
    screenshot,
    sign_in,
    signed_in_as,
)

PAGE = "/orgs/clinic/admin/sso"
FORM: dict[str, str] = {
    "protocol": "oidc",
    "label": "Clinic Entra",
    "email_domains": "Clinic.Example, staff.clinic.example",
    "oidc_issuer": "https://login.example.com/tenant/v2.0/",
    "client_id": "hoshin-app",
    "client_secret": "s3cret-value-never-shown",
    "jit": "1",
    "jit_role": "contributor",
    "group_claim": "groups",
    "group_roles": "planners = editor\n\nleads=admin",
    "group_units": "ward-a-staff = ward-a",
}  # no password_sign_in: the box unticked, password sign-in off


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    users = {"admin": ("admin", None), "ben": ("contributor", "ben")}
    with clinic_pages(engine, users) as client:
        yield client


def stored(engine: Engine) -> tuple[SsoSettingsRow | None, bool]:
    with Session(engine) as session:
        row = session.scalars(select(SsoSettingsRow)).first()
        org = session.scalars(select(OrganizationRow).where(OrganizationRow.slug == "clinic"))
        return row, org.one().password_sign_in


def changes(engine: Engine) -> list[str]:
    with Session(engine) as session:
        query = select(AuditEventRow).where(AuditEventRow.entity == "sso")
        return [row.change for row in session.scalars(query.order_by(AuditEventRow.id))]


def test_an_admin_sets_shows_and_removes_single_sign_on(pages: TestClient, engine: Engine) -> None:
    signed_in_as(pages, "admin")
    empty = pages.get(PAGE)
    assert empty.status_code == 200 and 'name="csrf_token"' in empty.text
    assert "Connect an identity provider" in empty.text
    # hoshin's addresses to copy (base_url's default http://127.0.0.1:8000).
    assert 'value="http://127.0.0.1:8000/sso/clinic/oidc/callback"' in empty.text
    assert 'value="http://127.0.0.1:8000/sso/clinic/saml/acs"' in empty.text
    saved = pages.post(PAGE, data=FORM)
    assert saved.url.path == PAGE and "Single sign-on is saved." in saved.text
    row, passwords = stored(engine)
    assert row is not None and passwords is False
    assert (row.email_domains, row.oidc_issuer, row.oidc_client_secret) == (
        ["clinic.example", "staff.clinic.example"], "https://login.example.com/tenant/v2.0",
        "s3cret-value-never-shown",
    )  # fmt: skip
    assert (row.jit, row.jit_role, row.group_claim) == (True, "contributor", "groups")
    assert row.group_roles == {"planners": "editor", "leads": "admin"}
    assert row.group_units == {"ward-a-staff": "ward-a"}
    # Shown again in the form; the secret never, only said to be stored.
    assert "s3cret" not in saved.text and "A secret is stored" in saved.text
    assert "planners = editor\nleads = admin</textarea>" in saved.text
    assert 'value="clinic.example, staff.clinic.example"' in saved.text
    # Saved again with the secret left blank: kept.
    pages.post(PAGE, data=FORM | {"client_secret": "", "label": "Entra"})
    row, _ = stored(engine)
    assert row is not None and (row.label, row.oidc_client_secret) == (
        "Entra", "s3cret-value-never-shown",
    )  # fmt: skip
    removed = pages.post(f"{PAGE}/remove")
    assert "Single sign-on is removed" in removed.text
    assert stored(engine) == (None, True)
    assert changes(engine) == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"oidc_issuer": "login.example.com"},
            "oidc_issuer",
            "is not an https address (http only on this machine)",
        ),
        ({"group_roles": "planners = boss"}, "group_roles", "'boss' for group 'planners'"),
        ({"group_roles": "planners editor"}, "group_roles", "Line 1: write one 'group = value'"),
        ({"jit_role": "admin"}, "jit_role", "Use editor, contributor or viewer."),
        ({"email_domains": "not@a@domain"}, "email_domains", ""),
        ({"protocol": "saml"}, "saml_idp_metadata", "Give the IdP's metadata"),
        ({"protocol": "ldap"}, "protocol", "Choose OpenID Connect or SAML."),
        ({"client_secret": ""}, "client_secret", "Needs the client secret"),
    ],
)
def test_a_wrong_field_is_shown_in_place(
    pages: TestClient, engine: Engine, change: dict[str, str], field: str, words: str
) -> None:
    signed_in_as(pages, "admin")
    answer = pages.post(PAGE, data=FORM | change)
    assert answer.status_code == 422
    problem = re.search(rf'id="sso-{field}-problem">([^<]*)<', answer.text)
    assert problem is not None, answer.text
    assert words.lower() in html.unescape(problem[1]).lower()
    assert stored(engine)[0] is None and changes(engine) == []


def test_metadata_longer_than_any_field_is_refused_not_a_server_error(
    pages: TestClient, engine: Engine
) -> None:
    signed_in_as(pages, "admin")
    body = FORM | {"protocol": "saml", "saml_idp_metadata": "<x/>" * 5001}  # 20,004 characters
    answer = pages.post(PAGE, data=body)
    assert answer.status_code == 422
    assert "saml_idp_metadata: is 20,004 characters long: at most 20,000" in answer.text
    assert stored(engine)[0] is None


def test_only_an_admin_sees_the_page(pages: TestClient, engine: Engine) -> None:
    signed_in_as(pages, "ben")
    for answer in (pages.get(PAGE), pages.post(PAGE, data=FORM), pages.post(f"{PAGE}/remove")):
        assert answer.status_code == 403
        assert "Only an admin of Riverside Clinic" in answer.text
    assert stored(engine)[0] is None
    pages.cookies.clear()
    assert pages.get(PAGE).url.path == "/signin"


def test_the_admin_page_links_to_it(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    assert (
        '<a href="/orgs/clinic/admin/sso">Single sign-on</a>'
        in pages.get("/orgs/clinic/admin").text
    )


def test_the_admin_sso_page_in_a_browser(fresh_server: str, browser: Browser) -> None:
    for width, name in ((1440, "desktop"), (390, "phone")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            sign_in(page, fresh_server, ADMIN)
            page.goto(f"{fresh_server}/orgs/clinic/admin")
            page.get_by_role("link", name="Single sign-on").click()
            expect(page.locator("h1")).to_have_text("Single sign-on of Riverside Clinic")
            page.get_by_label("Issuer URL").fill("login.example.com")
            page.get_by_role("button", name="Save single sign-on").click()
            expect(page.locator("#sso-oidc_issuer-problem")).to_contain_text(
                "is not an https address (http only on this machine)"
            )
            fill: dict[str, Any] = {
                "Button label": "Clinic Entra", "E-mail domains": "clinic.example",
                "Issuer URL": "https://login.example.com/tenant/v2.0",
                "Client id": "hoshin-app", "Client secret": "s3cret-value",
                "Groups that give a role": "planners = editor",
            }  # fmt: skip
            for label, value in fill.items():
                page.get_by_label(label, exact=True).fill(value)
            page.get_by_role("button", name="Save single sign-on").click()
            expect(page.get_by_role("status")).to_have_text("Single sign-on is saved.")
            expect(page.get_by_label("Client secret", exact=True)).to_have_value("")
            assert axe_violations(page) == []
            assert fits_the_width(page), f"sideways scroll at {width} px"
            screenshot(page, f"admin-sso-{name}")
            page.get_by_role("button", name="Remove single sign-on").click()
            expect(page.get_by_role("status")).to_contain_text("Single sign-on is removed")
        finally:
            context.close()
