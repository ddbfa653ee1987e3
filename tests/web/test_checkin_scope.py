"""The check-in for the whole organisation, without a browser, on SQLite and PostgreSQL: the
filter by month, unit and owner (pickers show names, send ids; an exact name typed is taken
too), quarterly metrics only in their quarters' last months, and recording through it.

examples/small.yaml: B1 (owner ana, no unit) measures falls; A1 and T1 (owner ben, unit
ward-a, "Ward A") measure huddles and trained. As of 2026-07-10 the month due is 2026-06."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.domain.model import Metric, Organization, Person, Plan, Unit
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.web import checkin_scope

from .web_support import SMALL_PLAN, with_csrf

PASSWORD = "correct horse battery"
JULY = "as_of=2026-07-10"
GRID = "/orgs/clinic/check-in"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def quarterly_plan() -> Plan:
    """small.yaml with fiscal years from February and trained measured quarterly, without
    actuals: they are due in January, April, July and October (the quarters' last months)."""
    plan = read_plan(SMALL_PLAN)

    def quarterly(metric: Metric) -> Metric:
        return replace(metric, frequency="quarterly", actuals={})

    objectives = tuple(
        replace(o, metrics=tuple(quarterly(m) if m.id == "trained" else m for m in o.metrics))
        for o in plan.objectives
    )
    fiscal = replace(plan.organization, fiscal_year_start=2)
    return replace(plan, organization=fiscal, objectives=objectives)


@pytest.fixture
def pages(engine: Engine, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """The clinic with an admin who is no person of the plan, and ben (contributor)."""
    quarterly = getattr(request, "param", "small") == "quarterly"
    sessions = session_factory(engine)
    with sessions() as session:
        plan = quarterly_plan() if quarterly else read_plan(SMALL_PLAN)
        make_organization(session, slug="clinic", name="Clinic", plan=plan)
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


def picked(text: str, name: str) -> tuple[str, dict[str, str], str]:
    """The filter's picker ``name``: its value, its labels and where it asks for matches."""
    field = re.search(rf'<input id="{name}" name="{name}" [^>]*>', text)
    assert field is not None, name
    value = re.search(r'value="([^"]*)"', field[0])
    labels = re.search(r"data-labels='([^']*)'", field[0])
    box = re.search(rf'data-url="([^"]+)"[^>]*>\s*<input id="{name}"', text)
    assert value is not None and labels is not None and box is not None
    return html.unescape(value[1]), json.loads(html.unescape(labels[1])), box[1]


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
    # Units and owners are chosen by name with pickers that ask the server for matches, at
    # any size of plan; the rows name owners.
    assert picked(every, "unit") == ("", {}, "/orgs/clinic/pick/units")
    assert picked(every, "owner") == ("", {}, "/orgs/clinic/pick/people")
    assert '<td data-label="Owner">Ben Ode</td>' in every
    bens = pages.get(f"{GRID}?owner=ben&{JULY}").text
    assert "2 metrics owned by Ben Ode, 2026-06." in bens
    assert shown(bens) == ["Ward days with a huddle", "Nurses trained"]
    assert picked(bens, "owner") == ("ben", {"ben": "Ben Ode"}, "/orgs/clinic/pick/people")
    # Without JavaScript a name typed exactly is taken for its id, as the plan's forms do.
    by_name = pages.get(f"{GRID}?unit=Ward A&owner=Ben Ode&{JULY}").text
    assert "2 metrics of unit Ward A owned by Ben Ode, 2026-06." in by_name
    assert picked(by_name, "unit") == ("ward-a", {"ward-a": "Ward A"}, "/orgs/clinic/pick/units")
    unknown = pages.get(f"{GRID}?owner=Nobody Here&{JULY}").text
    assert "0 metrics owned by Nobody Here" in unknown
    ward = pages.get(f"{GRID}?unit=ward-a&owner=ana&{JULY}").text  # ana owns nothing there
    assert "0 metrics of unit Ward A owned by Ana Lima" in ward and shown(ward) == []
    anyone = pages.get(f"{GRID}?unit=&owner=&{JULY}").text  # the filter's "any", "anyone"
    assert "3 metrics of every objective" in anyone


def test_a_red_row_offers_its_objectives_owner_and_units_people(pages: TestClient) -> None:
    """huddles: 30 in 2026-06 against a plan of 60 is red (small.yaml). A1 is ben's, of
    ward-a, whose only person is ben; the admin is no person: Ben Ode, then nobody."""
    sign_in(pages, "admin")
    row = pages.post(f"{GRID}/huddles/2026-06?owner=&{JULY}", data={"value": "30"},
                     headers={"HX-Request": "true"}).text  # fmt: skip
    owners = re.search(r'<select id="[^"]*-cm-owner" name="owner"[^>]*>(.*?)</select>', row, re.S)
    assert owners is not None
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', owners[1])
    assert options == [("ben", "Ben Ode"), ("", "nobody yet")]
    # The grid's page shows the same form, from the same names kept per analysis.
    grid = pages.get(f"{GRID}?owner=&{JULY}").text
    assert '<option value="ben" selected>Ben Ode</option>' in grid


def test_each_units_people_are_taken_in_plan_order_up_to_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bound 2: u1 has p1, p2 and p5 in plan order, so p1 and p2 (p2 without a name, by
    id); u2 has p3; p4 belongs to no unit and is only named."""
    monkeypatch.setattr(checkin_scope, "OWNER_CHOICES", 2)
    plan = Plan(
        Organization("X"),
        units=(Unit("u1", "One"), Unit("u2", "")),
        people=(Person("p1", "Ann", "u1"), Person("p2", "", "u1"), Person("p3", "Cy", "u2"),
                Person("p4", "Di"), Person("p5", "Ed", "u1")),
    )  # fmt: skip
    found = checkin_scope.plan_choices(plan)
    assert found.unit_people == {"u1": [("p1", "Ann"), ("p2", "p2")], "u2": [("p3", "Cy")]}
    assert found.names == {"p1": "Ann", "p2": "p2", "p3": "Cy", "p4": "Di", "p5": "Ed"}
    assert found.unit_names == {"u1": "One", "u2": "u2"}


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
    assert "2 metrics owned by Ben Ode (you), 2026-06." in mine
    assert picked(mine, "owner")[:2] == ("ben", {"ben": "Ben Ode"})
    # falls is B1's, ana's and of no unit: the service refuses ben, in the row.
    row = pages.post(
        f"{GRID}/falls/2026-05?owner=&{JULY}", data={"value": "20"}, headers={"HX-Request": "true"}
    )
    assert "a contributor cannot record actuals of falls" in row.text


@pytest.mark.parametrize("pages", ["quarterly"], indirect=True)
def test_a_quarterly_metric_is_checked_in_in_its_quarters_last_month(pages: TestClient) -> None:
    """quarterly_plan(): fiscal years from February, so trained (quarterly) is due in
    January, April, July and October. As of 2026-07-10 the month due is 2026-06: not one of
    them, so ben's grid holds huddles alone and says when trained is due (April, the quarter
    ended, which is linked; July, not yet reachable). April holds both."""
    sign_in(pages, "ben")
    june = pages.get(f"{GRID}?{JULY}").text
    assert "1 metric owned by Ben Ode (you), 2026-06." in june
    assert shown(june) == ["Ward days with a huddle"]
    assert "1 quarterly metric of this filter is not due in 2026-06" in june
    back = f"?owner=ben&amp;{JULY}&amp;month=2026-04"
    assert f'fiscal quarter: <a href="{back}">2026-04</a>, then 2026-07.' in june
    april = pages.get(f"{GRID}?month=2026-04&{JULY}").text
    assert "2 metrics owned by Ben Ode (you), 2026-04." in april
    assert shown(april) == ["Ward days with a huddle", "Nurses trained"]
    assert "quarterly metric" not in april
    # My work: trained (baseline 2026-01) has no actual; its first quarter after the
    # baseline, February-April, ended: the actual for April is due, and links there.
    work = pages.get(f"/orgs/clinic/my-work?{JULY}").text
    assert 'href="/orgs/clinic/check-in?month=2026-04&amp;as_of=2026-07-10">Nurses trained' in work
    assert "the actual for 2026-04 is due" in work
    # Every metric in March: falls and huddles (monthly); trained's quarters end in January
    # and April, both months that can be checked in, so both are linked.
    sign_in(pages, "admin")
    march = pages.get(f"{GRID}?month=2026-03&{JULY}").text
    assert "2 metrics of every objective, 2026-03." in march
    assert re.search(r">2026-01</a> or <a [^>]*>2026-04</a>\.", march)
