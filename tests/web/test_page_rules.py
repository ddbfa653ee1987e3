"""The pages' rules without a browser, on SQLite and PostgreSQL: who sees what, errors as
pages, saving a check-in in place. The flows in a real browser are in test_pages.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server

from .web_support import with_csrf

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
PASSWORD = "correct horse battery"
USERS = {"ben": ("contributor", "ben"), "ana": ("contributor", "ana"), "vic": ("viewer", None)}
JULY = "as_of=2026-07-10"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """examples/small.yaml as 'clinic', and 'other' (the same plan) nobody here belongs to."""
    sessions = session_factory(engine)
    with sessions() as session:
        for slug in ("clinic", "other"):
            make_organization(session, slug=slug, name=slug.title(), plan=read_plan(SMALL))
        for name, (role, person) in USERS.items():
            email = f"{name}@clinic.example"
            add_member(session, email=email, role=role, person=person, password=PASSWORD)
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def sign_in(client: TestClient, name: str) -> None:
    data = {"email": f"{name}@clinic.example", "password": PASSWORD}
    assert client.post("/signin", data=data).url.path == "/orgs/clinic/"


def test_without_a_session_every_page_leads_to_sign_in(pages: TestClient) -> None:
    for url in ("/", "/orgs/clinic/", "/orgs/clinic/objectives/B1", "/orgs/clinic/check-in"):
        assert pages.get(url).url.path == "/signin", url


def test_a_wrong_password_says_so_and_signs_nobody_in(pages: TestClient) -> None:
    answer = pages.post("/signin", data={"email": "ben@clinic.example", "password": "nope"})
    assert answer.status_code == 401
    assert "Wrong email or password." in answer.text
    assert pages.get("/orgs/clinic/").url.path == "/signin"


def test_another_organisation_and_an_unknown_objective_are_not_found(pages: TestClient) -> None:
    sign_in(pages, "vic")
    for url in ("/orgs/other/", "/orgs/clinic/objectives/Z9", "/orgs/nowhere/check-in"):
        answer = pages.get(url)
        assert answer.status_code == 404, url
        assert "<h1>Not found</h1>" in answer.text


def test_a_bad_as_of_is_a_page_that_names_it(pages: TestClient) -> None:
    sign_in(pages, "vic")
    answer = pages.get("/orgs/clinic/?as_of=0001-01-01")
    assert answer.status_code == 422
    assert "as_of: 0001-01-01 is outside the calendar" in answer.text


def test_true_north_counts_and_breakthroughs(pages: TestClient) -> None:
    # small.yaml at 2026-06-15 (tests/cli/test_check.py): B1 amber 51% of 58% planned,
    # A1 amber, T1 red; B1 is 13 days late (infeasible_schedule).
    sign_in(pages, "vic")
    text = pages.get("/orgs/clinic/?as_of=2026-06-15").text
    assert "Amber 2</li>" in text and "Red 1</li>" in text and "Green 0</li>" in text
    assert 'aria-label="progress 51%, planned 58%"' in text
    assert "infeasible_schedule" in text


def test_the_check_in_grid_lists_what_the_person_owns(pages: TestClient) -> None:
    # ben owns A1 (huddles) and T1 (trained); ana owns B1 (falls).
    sign_in(pages, "ben")
    text = pages.get(f"/orgs/clinic/check-in?{JULY}").text
    assert "Check-in for 2026-06" in text
    assert "Nurses trained, 2026-06" in text and "Ward days with a huddle, 2026-06" in text
    assert "Patient falls per month" not in text


def test_a_check_in_saves_in_place_and_turns_the_status(pages: TestClient) -> None:
    # trained: 0 -> 40 over 2026-01..09; June is 5 of 8 months in: planned 25. 25 is on plan
    # (green); the row comes back with the status and "saved", and T1 is green as of July.
    sign_in(pages, "ben")
    url = f"/orgs/clinic/check-in/trained/2026-06?{JULY}"
    row = pages.post(url, data={"value": "25"}, headers={"HX-Request": "true"})
    assert row.status_code == 200 and row.text.lstrip().startswith(
        '<tbody id="m-trained" class="check-in-metric">'
    )
    assert "</span> green</span>" in row.text and ">saved<" in row.text
    page = pages.get(f"/orgs/clinic/objectives/T1?{JULY}").text
    assert 'id="objective-status"><span aria-hidden="true">●</span> green' in page
    # correcting it names the version read; a stale version is refused in the row
    again = pages.post(url, data={"value": "24", "version": "0"}, headers={"HX-Request": "true"})
    assert "saved meanwhile" in again.text and ">saved<" not in again.text


def test_a_check_in_someone_may_not_make_is_refused_in_the_row(pages: TestClient) -> None:
    sign_in(pages, "vic")  # a viewer records nothing
    url = f"/orgs/clinic/check-in/trained/2026-06?{JULY}"
    row = pages.post(url, data={"value": "25"}, headers={"HX-Request": "true"})
    assert "a viewer cannot record actuals of trained" in row.text
    assert "</span> red</span>" in row.text  # T1's metric stays red: May 10 vs plan 20
    not_a_number = pages.post(url, data={"value": "lots"}, headers={"HX-Request": "true"})
    assert "&#39;lots&#39; is not a number" in not_a_number.text


def test_without_javascript_the_form_posts_and_comes_back(pages: TestClient) -> None:
    sign_in(pages, "ben")
    answer = pages.post(f"/orgs/clinic/check-in/huddles/2026-06?{JULY}", data={"value": "70"})
    assert answer.url.path == "/orgs/clinic/check-in" and answer.url.query == JULY.encode()
    assert 'aria-label="Ward days with a huddle, 2026-06"\n' in answer.text
    assert 'value="70"' in answer.text
