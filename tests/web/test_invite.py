"""The invitation page (/invite/<secret>) without a browser, on SQLite and PostgreSQL: the
same page whether the invited email has an account or not, accepted with the account's
password, and refused to anyone signed in as someone else; the invitation's person in the
plan chosen by name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.domain.model import Person
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service import account
from hoshin.store.organization import create_organization

from .web_support import SMALL_PLAN, with_csrf

PASSWORD = "correct horse battery"
ADMIN = "admin@clinic.example"
BO = "bo@other.example"  # has an account, in no organisation of clinic's admin


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """The organisation clinic with its admin, and bo's account elsewhere."""
    sessions = session_factory(engine)
    with sessions() as session:
        create_organization(session, slug="clinic", name="Riverside Clinic")
        for email in (ADMIN, BO):
            account.add_user(session, email=email, password=PASSWORD, actor="t", origin="t")
        account.set_role(
            session, email=ADMIN, org_slug="clinic", role="admin", actor="t", origin="t"
        )
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    assert client.post("/signin", data={"email": email, "password": PASSWORD}).status_code == 200


def invite(client: TestClient, email: str) -> str:
    """Invites the email as an editor, as clinic's admin; the link's path."""
    sign_in(client, ADMIN)
    answer = client.post("/orgs/clinic/admin/members", data={"email": email, "role": "editor"})
    found = re.search(r'value="http://testserver(/invite/[^"]+)"', answer.text)
    assert answer.status_code == 201 and found is not None
    client.cookies.clear()
    return found[1]


def test_the_page_is_the_same_with_or_without_an_account(pages: TestClient) -> None:
    shown = []
    for email in (BO, "new@other.example"):
        page = pages.get(invite(pages, email))
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        shown.append(page.text.replace(email, "EMAIL"))
    cleaned = [re.sub(r'(/invite/|value=")[A-Za-z0-9_-]{20,}', "X", text) for text in shown]
    assert cleaned[0] == cleaned[1]
    assert "I have a hoshin account" in cleaned[0] and "I am new to hoshin" in cleaned[0]


def test_an_account_holder_accepts_with_their_password(pages: TestClient) -> None:
    link = invite(pages, BO)
    wrong = pages.post(f"{link}/signin", data={"password": "not my password"})
    assert wrong.status_code == 401 and "Wrong password for this email." in wrong.text
    joined = pages.post(f"{link}/signin", data={"password": PASSWORD})
    # clinic's plan is empty: its home page leads to the guided start
    assert joined.status_code == 200 and joined.url.path == "/orgs/clinic/start"
    assert pages.get(link).status_code == 404  # used


def test_a_new_account_must_pass_the_password_rule(pages: TestClient) -> None:
    link = invite(pages, "new@other.example")
    differ = pages.post(f"{link}/new", data={"name": "Nu", "password": PASSWORD, "repeat": "x"})
    assert differ.status_code == 422 and "The two passwords differ" in differ.text
    weak = pages.post(
        f"{link}/new", data={"name": "Nu", "password": "1234567890", "repeat": "1234567890"}
    )
    assert weak.status_code == 422 and "This is a top-100 common password." in weak.text
    assert 'value="Nu"' in weak.text  # the name is kept, never the password
    taken = pages.post(
        f"{invite(pages, BO)}/new", data={"name": "Bo", "password": PASSWORD, "repeat": PASSWORD}
    )
    assert taken.status_code == 409
    assert "has an account already: sign in with its password" in taken.text


def test_someone_signed_in_as_another_email_is_told_to_sign_out(pages: TestClient) -> None:
    link = invite(pages, BO)
    sign_in(pages, ADMIN)
    page = pages.get(link)
    assert f"This invitation is for {BO}, and you are signed in as {ADMIN}" in page.text
    refused = pages.post(f"{link}/accept")
    assert refused.status_code == 403
    sign_in(pages, BO)
    accepted = pages.post(f"{link}/accept")
    # clinic's plan is empty: its home page leads to the guided start
    assert accepted.status_code == 200 and accepted.url.path == "/orgs/clinic/start"


def test_an_unknown_link_is_not_found(pages: TestClient) -> None:
    gone = pages.get("/invite/" + "A" * 43)
    assert gone.status_code == 404 and "This invitation link is not valid" in gone.text


@pytest.fixture
def clinic(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """examples/small.yaml as clinic, with two people named Sam Lee (sam, sam-2), its
    admin and vi, a viewer; neither is linked to a person."""
    plan = read_plan(SMALL_PLAN)
    twins = (Person(id="sam", name="Sam Lee"), Person(id="sam-2", name="Sam Lee"))
    plan = replace(plan, people=(*plan.people, *twins))
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(session, slug="clinic", name="Riverside Clinic", plan=plan)
        add_member(session, email=ADMIN, role="admin", password=PASSWORD)
        add_member(session, email="vi@clinic.example", role="viewer", password=PASSWORD)
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def test_the_invitation_takes_its_person_by_name(clinic: TestClient) -> None:
    """The form's person field is a people picker; without JavaScript the name typed, "Ana
    Lima", is taken for ana, whom the new account is then linked to (My work is hers). A
    name two people share is refused next to the field, naming both ids."""
    sign_in(clinic, ADMIN)
    form = clinic.get("/orgs/clinic/admin").text
    assert re.search(r'data-url="/orgs/clinic/pick/people">\s*<input id="new-person"', form)
    twins = {"email": "sam@other.example", "role": "viewer", "person": "Sam Lee"}
    shared = clinic.post("/orgs/clinic/admin/members", data=twins)
    assert shared.status_code == 422
    assert (
        'id="new-person-problem">&#39;Sam Lee&#39; is the name of several people: Sam Lee '
        "(id sam), Sam Lee (id sam-2); choose one by its id"
    ) in shared.text
    also = clinic.post(f"/orgs/clinic/admin/members/{ADMIN}/person", data={"person": "Sam Lee"})
    assert also.status_code == 422 and "is the name of several people" in also.text
    ana = {"email": "ana@other.example", "role": "contributor", "person": "Ana Lima"}
    invited = clinic.post("/orgs/clinic/admin/members", data=ana)
    link = re.search(r'value="http://testserver(/invite/[^"]+)"', invited.text)
    assert invited.status_code == 201 and link is not None
    clinic.cookies.clear()
    joined = clinic.post(
        f"{link[1]}/new", data={"name": "Ana", "password": PASSWORD, "repeat": PASSWORD}
    )
    assert joined.url.path == "/orgs/clinic/"
    assert "What Ana Lima owes" in clinic.get("/orgs/clinic/my-work").text


def test_my_work_tells_an_unlinked_account_who_links_it(clinic: TestClient) -> None:
    """The admin is pointed to their own row of the admin page; a viewer to an admin."""
    sign_in(clinic, ADMIN)
    mine = clinic.get("/orgs/clinic/my-work").text
    row = "/orgs/clinic/admin?member=admin%40clinic.example#member-row"
    assert f'You are an admin: link it yourself. On the admin page, in <a href="{row}">' in mine
    page = clinic.get(row.split("#")[0]).text
    assert '<tr id="member-row" class="sought">' in page
    sign_in(clinic, "vi@clinic.example")
    theirs = clinic.get("/orgs/clinic/my-work").text
    assert "Ask an admin of Riverside Clinic to link your account to your person" in theirs
