"""Contributors awaiting their first data on the pages, and the objective form's preview
of its parents' progress, without a browser (SQLite and PostgreSQL).

As of 2026-06-10: B1 = A1 (huddles 50 in 2026-05 of 0..100: progress 0.5) and A2 (beds,
baseline 10 in 2026-05, no actual: counted 0, its first actual is 2026-06's), weight 1
each: B1 is (0.5 + 0) / 2 = 25% done. A new objective linked to B1 at weight 1 takes it to
0.5 / 3 = 17% until it reports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.domain.model import Metric, Objective, Organization, Plan
from hoshin.domain.months import Month
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server

from .web_support import with_csrf

PASSWORD = "correct horse battery"
AS_OF = "as_of=2026-06-10"
MARK = "awaiting first data (first actual for 2026-06)"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def plan() -> Plan:
    may, dec = Month.parse("2026-05"), Month.parse("2026-12")
    huddles = Metric("huddles", "Huddles", baseline=0, baseline_period=Month.parse("2026-01"),
                     target=100, target_period=dec, actuals={may: 50})  # fmt: skip
    beds = Metric("beds", "Beds", baseline=10, baseline_period=may, target=20, target_period=dec)
    return Plan(
        Organization("Clinic"),
        objectives=(
            Objective("B1", "Safer wards", "breakthrough"),
            Objective("A1", "Daily huddles", "annual", supports={"B1": 1}, metrics=(huddles,)),
            Objective("A2", "Beds ready", "annual", supports={"B1": 1}, metrics=(beds,)),
        ),
    )


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(session, slug="clinic", name="Clinic", plan=plan())
        for name, role in (("eve", "editor"), ("vic", "viewer")):
            add_member(session, email=f"{name}@clinic.example", role=role, password=PASSWORD)
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def sign_in(client: TestClient, name: str) -> None:
    data = {"email": f"{name}@clinic.example", "password": PASSWORD}
    assert client.post("/signin", data=data).status_code == 200


def test_pages_mark_a2_as_awaiting_its_first_data(pages: TestClient) -> None:
    sign_in(pages, "vic")
    for url in ("/orgs/clinic/objectives/B1", "/orgs/clinic/alignment/children/B1",
                "/orgs/clinic/plan"):  # fmt: skip
        page = pages.get(f"{url}?{AS_OF}")
        assert page.status_code == 200, url
        assert page.text.count(MARK) == 1, url  # A2's, and not A1's (it has data)


def test_a_new_objective_linked_to_b1_tells_b1_will_go_from_25_to_17_percent(
    pages: TestClient,
) -> None:
    sign_in(pages, "eve")
    fields = {"id": "A3", "level": "annual", "supports-new-id": "B1", "supports-new-weight": ""}
    answer = pages.post(f"/orgs/clinic/plan/parents?{AS_OF}", data=fields)
    assert answer.status_code == 200
    assert "B1 will go from 25% to 17% until A3 reports" in answer.text
    assert "once A3 has a metric" in answer.text  # a new objective has none yet


def test_changing_a1s_weight_tells_the_move_without_awaiting(pages: TestClient) -> None:
    """A1 at weight 3: (3 * 0.5 + 0) / 4 = 0.375, shown 38%."""
    sign_in(pages, "eve")
    fields = {"level": "annual", "supports-0-id": "B1", "supports-0-weight": "3"}
    answer = pages.post(f"/orgs/clinic/plan/parents?key=A1&{AS_OF}", data=fields)
    assert "B1 will go from 25% to 38%." in answer.text
    assert "until" not in answer.text


def test_the_preview_is_for_editors_and_the_form_asks_for_it(pages: TestClient) -> None:
    sign_in(pages, "vic")
    assert pages.post(f"/orgs/clinic/plan/parents?{AS_OF}", data={}).status_code == 403
    pages.post("/signout")
    sign_in(pages, "eve")
    form = pages.get(f"/orgs/clinic/plan/objectives/A2?{AS_OF}").text
    assert 'hx-post="/orgs/clinic/plan/parents?as_of=2026-06-10&amp;key=A2"' in form
