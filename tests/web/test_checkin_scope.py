"""The check-in for the whole organisation, without a browser, on SQLite and PostgreSQL: the
filter by month, unit and owner (names shown, ids sent), and recording through it.

examples/small.yaml: B1 (owner ana, no unit) measures falls; A1 and T1 (owner ben, unit
ward-a) measure huddles and trained. As of 2026-07-10 the month due is 2026-06."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server

from .web_support import SMALL_PLAN, with_csrf

PASSWORD = "correct horse battery"
JULY = "as_of=2026-07-10"
GRID = "/orgs/clinic/check-in"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """The clinic with an admin who is no person of the plan, and ben (contributor)."""
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(session, slug="clinic", name="Clinic", plan=read_plan(SMALL_PLAN))
        add_member(session, email="admin@clinic.example", role="admin", password=PASSWORD)
        add_member(
            session, email="ben@clinic.example", role="contributor", password=PASSWORD,
            person="ben",
        )  # fmt: skip
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def sign_in(client: TestClient, name: str) -> None:
    data = {"email": f"{name}@clinic.example", "password": PASSWORD}
    assert client.post("/signin", data=data).url.path == "/orgs/clinic/"


def shown(text: str) -> list[str]:
    """The metrics' names in the grid's rows, in order."""
    names = ("Patient falls per month", "Ward days with a huddle", "Nurses trained")
    found = [(text.find(f'<th scope="row">{name}'), name) for name in names]
    return [name for at, name in sorted(found) if at >= 0]


def test_an_admin_sees_every_metric_and_filters_by_owner_and_unit(pages: TestClient) -> None:
    sign_in(pages, "admin")
    every = pages.get(f"{GRID}?{JULY}").text
    assert "3 metrics of every objective, 2026-06." in every
    assert shown(every) == ["Patient falls per month", "Ward days with a huddle", "Nurses trained"]
    # Owners and units are offered and shown by name, sorted by name; the rows name owners.
    assert '<option value="ana">Ana Lima</option><option value="ben">Ben Ode</option>' in every
    assert '<option value="ward-a">Ward A</option>' in every
    assert '<td data-label="Owner">Ben Ode</td>' in every
    bens = pages.get(f"{GRID}?owner=ben&{JULY}").text
    assert "2 metrics owned by Ben Ode, 2026-06." in bens
    assert shown(bens) == ["Ward days with a huddle", "Nurses trained"]
    ward = pages.get(f"{GRID}?unit=ward-a&owner=ana&{JULY}").text  # ana owns nothing there
    assert "0 metrics of unit Ward A owned by Ana Lima" in ward and shown(ward) == []
    anyone = pages.get(f"{GRID}?unit=&owner=&{JULY}").text  # the filter's "any", "anyone"
    assert "3 metrics of every objective" in anyone


def test_a_past_month_is_picked_and_a_later_one_is_the_month_due(pages: TestClient) -> None:
    sign_in(pages, "admin")
    april = pages.get(f"{GRID}?owner=ben&month=2026-04&{JULY}").text
    # April is checked in, with January to March before it; huddles had 45 in April.
    assert "<h1>Check-in for 2026-04</h1>" in april
    assert '<th scope="col">2026-01</th>' in april and '<th scope="col">2026-04</th>' in april
    assert 'aria-label="Ward days with a huddle, 2026-04"' in april and 'value="45"' in april
    assert 'type="month" max="2026-06" value="2026-04"' in april
    later = pages.get(f"{GRID}?month=2026-09&{JULY}").text
    assert "<h1>Check-in for 2026-06</h1>" in later
    wrong = pages.get(f"{GRID}?month=April&{JULY}")
    assert wrong.status_code == 422 and "month: " in wrong.text


def test_recording_a_past_month_comes_back_to_the_same_filter(pages: TestClient) -> None:
    sign_in(pages, "admin")
    grid = pages.get(f"{GRID}?owner=ben&month=2026-03&{JULY}").text
    action = f"/orgs/clinic/check-in/huddles/2026-03?owner=ben&amp;month=2026-03&amp;{JULY}"
    assert f'action="{action}"' in grid
    # Without JavaScript: huddles had no March actual; 30 is saved, and the grid returns
    # with ben's metrics for March, 30 in the box.
    answer = pages.post(action.replace("&amp;", "&"), data={"value": "30"})
    assert answer.url.path == GRID
    assert answer.url.query == f"owner=ben&month=2026-03&{JULY}".encode()
    assert "<h1>Check-in for 2026-03</h1>" in answer.text and 'value="30"' in answer.text


def test_a_contributor_sees_their_own_and_records_only_theirs(pages: TestClient) -> None:
    sign_in(pages, "ben")
    mine = pages.get(f"{GRID}?{JULY}").text
    assert "2 metrics owned by Ben Ode" in mine
    assert '<option value="ben" selected>Ben Ode (me)</option>' in mine
    # falls is B1's, ana's and of no unit: the service refuses ben, in the row.
    row = pages.post(
        f"{GRID}/falls/2026-05?owner=&{JULY}", data={"value": "20"}, headers={"HX-Request": "true"}
    )
    assert "a contributor cannot record actuals of falls" in row.text
