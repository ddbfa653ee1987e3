"""The guided start without a browser, on SQLite and PostgreSQL: who sees it, each step's
save through the plan's services, its problems at their fields, and resuming where the
plan stands. The walk through it in a real browser is in test_start_browser.py.

'fresh' (Fresh Co) has an empty plan; the pages are asked as of 2026-06-10, so this month
(the baseline's) is 2026-06 and the fiscal year (opening in January) ends 2026-12."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.domain.model import Organization, Plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server

from .web_support import with_csrf

PASSWORD = "correct horse battery"
AS_OF = "as_of=2026-06-10"
START = f"/orgs/fresh/start?{AS_OF}"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """An empty 'fresh' with an editor (eve) and a viewer (vic), and 'other' nobody here is
    a member of."""
    sessions = session_factory(engine)
    with sessions() as session:
        for slug in ("fresh", "other"):
            empty = Plan(Organization(slug.title()))
            make_organization(session, slug=slug, name=f"{slug.title()} Co", plan=empty)
        for name, role in (("eve", "editor"), ("vic", "viewer")):
            add_member(session, email=f"{name}@fresh.example", role=role, org="fresh",
                       password=PASSWORD)  # fmt: skip
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def sign_in(client: TestClient, name: str) -> None:
    data = {"email": f"{name}@fresh.example", "password": PASSWORD}
    assert client.post("/signin", data=data).status_code == 200


def post(client: TestClient, step: str, **fields: str) -> tuple[int, str, str]:
    """Posts a step's form; (status, the final URL's path and query, the page)."""
    answer = client.post(f"/orgs/fresh/start/{step}?{AS_OF}", data=fields)
    return answer.status_code, f"{answer.url.path}?{answer.url.query.decode()}", answer.text


VISION = {"statement": "By 2031, every part works first time", "horizon": "2031",
          "purpose": "Keep machines running", "values": "Safety first\nGo and see"}  # fmt: skip
COMPLAINTS = {"title": "Cut complaints from 120 to 30 a year by Dec 2029",
              "name": "Complaints a year", "unit": "complaints", "direction": "decrease",
              "baseline": "120", "target": "30", "target_period": "2029-12",
              "trajectory": "linear"}  # fmt: skip


def test_an_empty_plan_opens_at_the_vision_with_its_finding(pages: TestClient) -> None:
    sign_in(pages, "eve")
    page = pages.get(START)
    assert page.status_code == 200
    assert "<h1>Vision and horizon</h1>" in page.text
    assert 'aria-current="step">Vision and horizon' in page.text
    assert "short horizon" in page.text  # no horizon yet: the engine's finding still applies


def test_true_north_of_an_empty_plan_leads_to_the_guided_start(pages: TestClient) -> None:
    sign_in(pages, "eve")
    answer = pages.get(f"/orgs/fresh/?{AS_OF}")
    assert (answer.url.path, answer.status_code) == ("/orgs/fresh/start", 200)
    assert "<h1>Vision and horizon</h1>" in answer.text


def test_a_viewer_is_told_the_plan_is_being_set_up(pages: TestClient) -> None:
    sign_in(pages, "vic")
    page = pages.get(f"/orgs/fresh/?{AS_OF}")  # true north of an empty plan leads here
    assert (page.url.path, page.status_code) == ("/orgs/fresh/start", 200)
    assert "The plan is being set up" in page.text
    assert '<form method="post" action="/orgs/fresh/start' not in page.text
    assert post(pages, "vision", **VISION)[0] == 403


def test_another_organisations_start_is_not_found(pages: TestClient) -> None:
    sign_in(pages, "eve")
    assert pages.get(f"/orgs/other/start?{AS_OF}").status_code == 404


def save_vision(client: TestClient) -> tuple[int, str, str]:
    """Saves VISION at the version its form was read at."""
    version = '<input type="hidden" name="version" value="'
    current = client.get(f"{START}&step=vision").text.split(version)[1].split('"')[0]
    return post(client, "vision", **VISION, version=current)


def test_saving_the_vision_goes_on_to_breakthrough_objectives(pages: TestClient) -> None:
    sign_in(pages, "eve")
    status, url, text = save_vision(pages)
    assert (status, url) == (200, f"/orgs/fresh/start?step=breakthrough&saved=the+vision&{AS_OF}")
    assert "Saved the vision." in text
    assert "<h1>Breakthrough objectives</h1>" in text


def test_a_vision_without_statement_or_horizon_names_both(pages: TestClient) -> None:
    sign_in(pages, "eve")
    status, _, text = post(pages, "vision", statement="", horizon="")
    assert status == 422
    assert text.count("required") >= 2
    assert 'id="p-statement"' in text and 'id="p-horizon"' in text


def test_the_targets_are_shown_before_saving(pages: TestClient) -> None:
    """120 in 2026-06 to 30 by 2029-12, linear: 42 months, 90 less, 90/42 a month. Year
    ends: 2026-12 (6 months on) 120 - 6 * 90/42 = 107.14; 2027-12 (18) 81.43; 2028-12 (30)
    55.71; 2029-12 30. First months: 2026-07 117.86, 2026-08 115.71. The figures are whole
    numbers as the metric's are (120 and 30; 90 apart reads with 2 digits)."""
    sign_in(pages, "eve")
    answer = pages.post(f"/orgs/fresh/start/targets?{AS_OF}", data=COMPLAINTS)
    assert answer.status_code == 200
    rows = [row.split("<")[0] + " " + row.split("</th><td>")[1].split("<")[0]
            for row in answer.text.split('<th scope="row">')[1:]]  # fmt: skip
    assert rows[:6] == ["2026-12 107", "2027-12 81", "2028-12 56", "2029-12 30",
                        "2026-07 118", "2026-08 116"]  # fmt: skip
    status, _, text = post(pages, "breakthrough", **COMPLAINTS, preview="1")
    assert status == 200
    assert "Target at each year" in text and "2027-12</th><td>81<" in text
    assert "Saved" not in text


def test_a_breakthrough_is_saved_with_its_metric_and_ids_from_titles(pages: TestClient) -> None:
    sign_in(pages, "eve")
    status, url, text = post(pages, "breakthrough", **COMPLAINTS)
    key = "cut-complaints-from-120-to-30-a-year-by-dec-2029"
    assert (status, url) == (200, f"/orgs/fresh/start?step=breakthrough&saved={key}&{AS_OF}")
    assert "1 of at least 3 so far" in text
    objective = pages.get(f"/orgs/fresh/objectives/{key}?{AS_OF}")
    assert objective.status_code == 200
    assert "Complaints a year" in objective.text


def test_a_breakthrough_with_a_past_target_month_is_refused_at_its_field(
    pages: TestClient,
) -> None:
    sign_in(pages, "eve")
    status, _, text = post(pages, "breakthrough", **{**COMPLAINTS, "target_period": "2026-06"})
    assert status == 422
    assert "must lie after this month, 2026-06" in text
    assert "Saved" not in text


def test_the_step_shown_follows_what_the_plan_has(pages: TestClient) -> None:
    """Vision and one breakthrough: the breakthrough step (fewer than 3); its annual
    objective, a unit and a person make the later steps done, the next open one shown."""
    sign_in(pages, "eve")
    assert save_vision(pages)[0] == 200
    post(pages, "breakthrough", **COMPLAINTS)
    assert "<h1>Breakthrough objectives</h1>" in pages.get(START).text
    key = "cut-complaints-from-120-to-30-a-year-by-dec-2029"
    annual = {"title": "Answer 95% of complaints in 2 days", "supports": key,
              "name": "Answered in 2 days", "unit": "%", "direction": "increase",
              "baseline": "60", "target": "95", "target_period": "2026-12"}  # fmt: skip
    status, url, _ = post(pages, "annual", **annual)
    assert status == 200
    assert url.startswith("/orgs/fresh/start?step=breakthrough")  # still fewer than three
    assert post(pages, "unit", unit_name="Customer service")[0] == 200
    status, url, _ = post(pages, "person", person_name="Jo Rivera",
                          person_unit="customer-service")  # fmt: skip
    # a unit and a person: the people step is done, the first open one is shown again
    assert (status, url.split("&")[0]) == (200, "/orgs/fresh/start?step=breakthrough")
    assert "Jo Rivera" in pages.get(f"{START}&step=people").text
    assert "Customer service" in pages.get(f"{START}&step=people").text


def test_true_north_links_a_start_left_half_way_for_editors_only(pages: TestClient) -> None:
    """With only the vision saved the plan is not empty: true north shows, with a link back
    to the guided start for an editor, none for a viewer."""
    sign_in(pages, "eve")
    assert save_vision(pages)[0] == 200
    page = pages.get(f"/orgs/fresh/?{AS_OF}")
    assert page.url.path == "/orgs/fresh/"
    assert '<a href="/orgs/fresh/start?as_of=2026-06-10">continue the guided start</a>' in page.text
    pages.post("/signout")
    sign_in(pages, "vic")
    assert "continue the guided start" not in pages.get(f"/orgs/fresh/?{AS_OF}").text
