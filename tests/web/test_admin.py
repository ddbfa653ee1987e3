"""The admin pages in a real browser: members and roles (admins only), own API tokens.

examples/small.yaml's database has two members (tests/web/web_support.py): ADMIN, the only
admin, and BEN, a contributor. So demoting ADMIN or removing them is refused ("the last
admin"), and BEN may manage his own tokens but not the members.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server

from .web_support import (
    ADMIN,
    BEN,
    PASSWORD,
    SMALL_PLAN,
    axe_violations,
    page_token,
    screenshot,
    sign_in,
    with_csrf,
)

ADMIN_PAGE = "/orgs/clinic/admin"
TOKENS = "/orgs/clinic/admin/tokens"
VIEWER = "vi@clinic.example"
NEW_PASSWORD = "a much better secret"


def member_row(page: Page, email: str) -> Locator:
    """The row of the members table that shows the member's email."""
    return page.locator("table.members tbody tr").filter(has_text=email)


def invite(page: Page, email: str, role: str, person: str = "") -> None:
    """Fills the "Invite a member" form by its labels and sends it."""
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option(role)
    page.get_by_label("Person in the plan (optional)").fill(person)
    page.get_by_role("button", name="Invite", exact=True).click()


def accept_as_new(browser: Browser, link: str, name: str, password: str) -> None:
    """Opens the invitation link in a browser of its own (no one signed in) and creates the
    account there, by the labels of the invitation page."""
    context = browser.new_context()
    try:
        invitee = context.new_page()
        invitee.goto(link)
        expect(invitee.locator("h1")).to_have_text("Join Riverside Clinic")
        assert axe_violations(invitee) == []
        screenshot(invitee, "invitation")
        invitee.get_by_label("Your name").fill(name)
        invitee.get_by_label("New password", exact=True).fill(password)
        invitee.get_by_label("New password again").fill(password)
        invitee.get_by_role("button", name="Create my account and join").click()
        expect(invitee).to_have_url(re.compile(r"/orgs/clinic/$"), timeout=30_000)
    finally:
        context.close()


def test_admin_adds_a_viewer_promotes_them_and_keeps_the_last_admin(
    fresh_server: str, page: Page
) -> None:
    """ADMIN invites vi as a viewer; vi opens the link in a browser of their own and joins
    with a new account; ADMIN makes them an editor; demoting ADMIN (the only admin) is
    refused with a message; a second invitation of vi and an unknown person are refused
    next to their fields; removing vi asks first."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page).to_have_url(re.compile(rf"{ADMIN_PAGE}(\?.*)?$"))
    expect(page.locator("h1")).to_have_text("Admin of Riverside Clinic")
    expect(member_row(page, BEN)).to_contain_text("contributor")
    expect(member_row(page, BEN)).to_contain_text("ben")
    assert axe_violations(page) == []

    invite(page, VIEWER, "viewer")
    expect(page.locator("#invited-heading")).to_have_text(f"{VIEWER} is invited")
    link = page.get_by_label("Invitation link").input_value()
    assert re.fullmatch(rf"{server}/invite/[A-Za-z0-9_-]{{43}}", link), link
    expect(page.locator("table.invitations")).to_contain_text(VIEWER)
    assert axe_violations(page) == []
    browser = page.context.browser
    assert browser is not None
    accept_as_new(browser, link, "Vi Tran", NEW_PASSWORD)
    page.goto(f"{server}{ADMIN_PAGE}")
    expect(page.locator("table.invitations")).to_have_count(0)
    expect(member_row(page, VIEWER)).to_contain_text("Vi Tran")
    expect(member_row(page, VIEWER).get_by_label(f"Role of {VIEWER}", exact=True)).to_have_value(
        "viewer"
    )

    row = member_row(page, VIEWER)
    row.get_by_label(f"Role of {VIEWER}", exact=True).select_option("editor")
    row.get_by_role("button", name=f"Change role of {VIEWER}").click()
    expect(page.get_by_role("status")).to_have_text(f"{VIEWER}'s role is changed.")
    expect(member_row(page, VIEWER).get_by_label(f"Role of {VIEWER}", exact=True)).to_have_value(
        "editor"
    )

    mine = member_row(page, ADMIN)
    mine.get_by_label(f"Role of {ADMIN}", exact=True).select_option("viewer")
    mine.get_by_role("button", name=f"Change role of {ADMIN}").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"{ADMIN} is the last admin of clinic: make another admin first"
    )
    expect(member_row(page, ADMIN).get_by_label(f"Role of {ADMIN}", exact=True)).to_have_value(
        "admin"
    )
    assert axe_violations(page) == []
    screenshot(page, "admin")

    invite(page, VIEWER, "viewer")
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-email-problem")).to_contain_text("is a member of clinic already")
    invite(page, "new@clinic.example", "viewer", person="nobody")
    expect(page.locator("#new-person-problem")).to_contain_text("no person 'nobody'")
    expect(page.get_by_label("Email", exact=True)).to_have_value("new@clinic.example")
    bad_role = page.request.post(
        f"{server}{ADMIN_PAGE}/members",
        form={
            "csrf_token": page_token(page),
            "email": "x@clinic.example",
            "role": "boss",
        },
    )
    assert bad_role.status == 422
    assert "Choose a role: admin, editor, contributor, viewer." in bad_role.text()
    assert axe_violations(page) == []

    page.goto(f"{server}{ADMIN_PAGE}")
    member_row(page, ADMIN).get_by_role("link", name=f"Remove {ADMIN}").click()
    page.get_by_role("button", name=f"Remove {ADMIN}").click()
    expect(page.get_by_role("alert")).to_contain_text("is the last admin of clinic")
    page.get_by_role("link", name="Cancel: keep them").click()
    member_row(page, VIEWER).get_by_role("link", name=f"Remove {VIEWER}").click()
    expect(page.locator("h1")).to_have_text(f"Remove {VIEWER}?")
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Remove {VIEWER}").click()
    expect(page.get_by_role("status")).to_have_text(f"{VIEWER} is no longer a member.")
    expect(member_row(page, VIEWER)).to_have_count(0)


def test_admin_creates_a_token_sees_it_once_and_revokes_it(fresh_server: str, page: Page) -> None:
    """The secret is on the answer to the form only; it signs in to the API until it is
    revoked (then 401); a token without a name is refused next to the field."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{ADMIN_PAGE}")
    page.get_by_role("link", name="Your API tokens").click()
    expect(page.locator("h1")).to_have_text("Your API tokens")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#token-name-problem")).to_contain_text("Give the token a name")

    page.get_by_label("Name (what it is for)").fill("nightly import")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy it now: it will not be shown again.")).to_be_visible()
    secret = page.get_by_label("Your new token").input_value()
    assert secret.startswith("hsn_"), secret
    assert axe_violations(page) == []
    screenshot(page, "admin-tokens")
    me = page.request.get(f"{server}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 200, me.text()

    page.goto(f"{server}{TOKENS}")
    assert secret not in page.content()
    token_row = page.locator("table.tokens tr").filter(has_text="nightly import")
    expect(token_row).to_contain_text("active")
    token_row.get_by_role("button", name="Revoke token nightly import").click()
    expect(page.get_by_role("status")).to_contain_text("Token nightly import is revoked")
    expect(token_row).to_contain_text("revoked")
    expect(token_row.get_by_role("button")).to_have_count(0)
    gone = page.request.get(f"{server}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert gone.status == 401


def test_members_page_is_for_admins_only(server: str, page: Page) -> None:
    """BEN (contributor) gets 403 on the members page, no Admin link, and no member added;
    his own tokens page is open to him. On a phone (390 px) the page still reads well."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, BEN)
    nav = page.get_by_role("navigation", name="Main")
    page.get_by_role("button", name="Menu").click()  # a phone's menu is folded
    expect(nav.get_by_role("link", name="True north")).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    answer = page.goto(f"{server}{ADMIN_PAGE}")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("alert")).to_contain_text("Only an admin of Riverside Clinic")
    assert axe_violations(page) == []
    posted = page.request.post(
        f"{server}{ADMIN_PAGE}/members",
        form={
            "csrf_token": page_token(page),
            "email": "x@clinic.example",
            "role": "admin",
        },
    )
    assert posted.status == 403
    page.get_by_role("link", name="your own API tokens").click()
    expect(page.locator("h1")).to_have_text("Your API tokens")
    expect(page.get_by_text("You have no API token yet.")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "admin-tokens-phone")


# The same rules without a browser, on SQLite and PostgreSQL.


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """examples/small.yaml as 'clinic' with ADMIN (the only admin) and BEN (contributor)."""
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(
            session, slug="clinic", name="Riverside Clinic", plan=read_plan(SMALL_PLAN)
        )
        for email, role, person in ((ADMIN, "admin", None), (BEN, "contributor", "ben")):
            add_member(session, email=email, role=role, person=person, password=PASSWORD)
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def _as(client: TestClient, email: str) -> None:
    client.cookies.clear()
    assert client.post("/signin", data={"email": email, "password": PASSWORD}).status_code == 200


def test_only_an_admin_changes_members(pages: TestClient) -> None:
    """BEN: 403 on every members page and form, and nothing changes."""
    _as(pages, BEN)
    new = {"email": VIEWER, "role": "admin"}
    for answer in (
        pages.get(ADMIN_PAGE),
        pages.post(f"{ADMIN_PAGE}/members", data=new),
        pages.post(f"{ADMIN_PAGE}/members/{BEN}/role", data={"role": "admin"}),
        pages.get(f"{ADMIN_PAGE}/members/{ADMIN}/remove"),
        pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/remove"),
    ):
        assert answer.status_code == 403
        assert "Only an admin of Riverside Clinic manages its members" in answer.text
    assert pages.get(TOKENS).status_code == 200
    _as(pages, ADMIN)
    listed = pages.get(ADMIN_PAGE).text
    assert VIEWER not in listed and '<option value="contributor" selected>' in listed


def test_the_last_admin_stays_and_refusals_name_their_field(pages: TestClient) -> None:
    _as(pages, ADMIN)
    demoted = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/role", data={"role": "editor"})
    assert demoted.status_code == 409
    assert f"{ADMIN} is the last admin of clinic: make another admin first" in demoted.text
    removed = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/remove")
    assert removed.status_code == 409 and "is the last admin of clinic" in removed.text
    twice = pages.post(f"{ADMIN_PAGE}/members", data={"email": BEN, "role": "viewer"})
    assert twice.status_code == 422
    assert f'id="new-email-problem">{BEN} is a member of clinic already' in twice.text
    nobody = pages.post(f"{ADMIN_PAGE}/members", data={"email": "", "role": "viewer"})
    assert 'id="new-email-problem">Enter the member&#39;s email.' in nobody.text
    nobody_in_plan = {"email": VIEWER, "role": "viewer", "person": "nobody"}
    unknown = pages.post(f"{ADMIN_PAGE}/members", data=nobody_in_plan)
    assert unknown.status_code == 422
    assert 'id="new-person-problem">The plan has no person &#39;nobody&#39;' in unknown.text
    # A second admin (invited, accepted): then the first may step down.
    invited = pages.post(f"{ADMIN_PAGE}/members", data={"email": VIEWER, "role": "admin"})
    link = re.search(r'value="http://testserver(/invite/[^"]+)"', invited.text)
    assert invited.status_code == 201 and link is not None
    pages.cookies.clear()
    accepted = pages.post(
        f"{link[1]}/new", data={"name": "Vi", "password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert accepted.status_code == 200 and accepted.url.path == "/orgs/clinic/"
    _as(pages, ADMIN)
    stepped = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/role", data={"role": "editor"})
    assert stepped.status_code == 403 and "your role is editor" in stepped.text


def test_an_admin_disables_a_member_who_then_cannot_sign_in(pages: TestClient) -> None:
    _as(pages, BEN)
    ben_cookie = pages.cookies.get("hoshin_session")
    _as(pages, ADMIN)
    disabled = pages.post(f"{ADMIN_PAGE}/members/{BEN}/active", data={"active": "0"})
    assert disabled.status_code == 200
    assert f"{BEN}&#39;s account is disabled" in disabled.text
    assert (
        "<strong>✕ disabled</strong>" in disabled.text
        and f"Enable the account of {BEN}" in disabled.text
    )
    own = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/active", data={"active": "0"})
    assert own.status_code == 409 and "you cannot disable or enable your own account" in own.text
    pages.cookies.clear()
    pages.cookies.set("hoshin_session", str(ben_cookie))
    assert pages.get("/orgs/clinic/").url.path == "/signin"  # his session ended
    pages.cookies.clear()
    refused = pages.post("/signin", data={"email": BEN, "password": PASSWORD})
    assert refused.status_code == 401 and "Wrong email or password." in refused.text
    _as(pages, ADMIN)
    enabled = pages.post(f"{ADMIN_PAGE}/members/{BEN}/active", data={"active": "1"})
    assert f"{BEN}&#39;s account is enabled again" in enabled.text
    _as(pages, BEN)


def test_an_invitation_is_listed_until_revoked_and_its_link_then_fails(pages: TestClient) -> None:
    _as(pages, ADMIN)
    invited = pages.post(f"{ADMIN_PAGE}/members", data={"email": VIEWER, "role": "viewer"})
    assert invited.headers["Cache-Control"] == "no-store"
    link = re.search(r'value="http://testserver(/invite/[^"]+)"', invited.text)
    assert link is not None and link[1] not in pages.get(ADMIN_PAGE).text  # shown once
    listed = pages.get(ADMIN_PAGE).text
    assert "Open invitations" in listed and f"Revoke the invitation of {VIEWER}" in listed
    invitation_id = re.search(r'/admin/invitations/(\d+)/revoke"', listed)
    assert invitation_id is not None
    revoked = pages.post(f"{ADMIN_PAGE}/invitations/{invitation_id[1]}/revoke")
    assert f"The invitation of {VIEWER} is revoked" in revoked.text
    assert "Open invitations" not in revoked.text
    pages.cookies.clear()
    gone = pages.get(link[1])
    assert gone.status_code == 404 and "This invitation link is not valid" in gone.text


def test_a_member_changes_their_password_from_the_header_link(pages: TestClient) -> None:
    _as(pages, BEN)
    first = pages.cookies.get("hoshin_session")
    page = pages.get("/orgs/clinic/")
    assert 'href="/orgs/clinic/admin/password">Change password</a>' in page.text
    form = "/orgs/clinic/admin/password"
    differ = pages.post(form, data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": "x"})
    assert differ.status_code == 422 and "The two new passwords differ" in differ.text
    weak = pages.post(form, data={"current": PASSWORD, "new": "1234567890", "repeat": "1234567890"})
    assert weak.status_code == 422 and "This is a top-100 common password." in weak.text
    wrong = pages.post(
        form, data={"current": "not my password", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert wrong.status_code == 403 and "The current password is wrong." in wrong.text
    changed = pages.post(
        form, data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert changed.status_code == 200 and "Your password is changed." in changed.text
    assert pages.cookies.get("hoshin_session") not in {None, first}  # renewed, still in
    pages.cookies.clear()
    pages.cookies.set("hoshin_session", str(first))
    assert pages.get("/orgs/clinic/").url.path == "/signin"  # the old session ended
    pages.cookies.clear()
    assert pages.post("/signin", data={"email": BEN, "password": NEW_PASSWORD}).status_code == 200


def test_a_token_is_shown_once_and_only_its_owner_revokes_it(pages: TestClient) -> None:
    _as(pages, BEN)
    created = pages.post(TOKENS, data={"name": "sheet sync"})
    secret = re.search(r'value="(hsn_[^"]+)"', created.text)
    assert secret is not None and created.headers["Cache-Control"] == "no-store"
    assert secret[1] not in pages.get(TOKENS).text
    assert pages.post(TOKENS, data={"name": "  "}).status_code == 422
    token_id = pages.get("/api/v1/me/tokens").json()["items"][0]["id"]
    _as(pages, ADMIN)
    assert pages.post(f"{TOKENS}/{token_id}/revoke").status_code == 404
    _as(pages, BEN)
    revoked = pages.post(f"{TOKENS}/{token_id}/revoke")
    assert "Token sheet sync is revoked" in revoked.text
    assert (
        pages.get("/api/v1/me", headers={"Authorization": f"Bearer {secret[1]}"}).status_code == 401
    )


def test_an_admin_links_themself_to_a_person_and_gets_their_check_in(pages: TestClient) -> None:
    """ADMIN has no person: the check-in shows every metric (falls, huddles, trained).
    Linked to ana (owner of B1, whose metric is falls, "Patient falls per month"), it shows
    hers; ben is BEN's, so linking ADMIN to ben is refused in words next to the row; an
    empty choice unlinks. The field is a people picker (names from the server as typed);
    without JavaScript the name typed, "Ana Lima", is taken for ana."""
    _as(pages, ADMIN)
    assert "3 metrics of every objective" in pages.get("/orgs/clinic/check-in").text
    listed = pages.get(ADMIN_PAGE).text
    assert 'data-picker="people" data-url="/orgs/clinic/pick/people"' in listed
    assert 'data-labels=\'{"ben": "Ben Ode \\u2014 Ward A"}\'' in listed  # BEN's: ben
    linked = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/person", data={"person": "Ana Lima"})
    assert (
        linked.status_code == 200 and f"{ADMIN}&#39;s person in the plan is changed" in linked.text
    )
    assert re.search(r'<input id="person-1" name="person" [^>]*value="ana"', linked.text)
    mine = pages.get("/orgs/clinic/check-in").text
    assert "1 metric owned by Ana Lima" in mine and ">Patient falls per month" in mine
    taken = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/person", data={"person": "ben"})
    assert taken.status_code == 409
    assert f"person &#39;ben&#39; is linked to {BEN} already: unlink them first" in taken.text
    unlinked = pages.post(f"{ADMIN_PAGE}/members/{ADMIN}/person", data={"person": ""})
    assert unlinked.status_code == 200
    assert "3 metrics of every objective" in pages.get("/orgs/clinic/check-in").text
    _as(pages, BEN)
    refused = pages.post(f"{ADMIN_PAGE}/members/{BEN}/person", data={"person": "ana"})
    assert refused.status_code == 403
