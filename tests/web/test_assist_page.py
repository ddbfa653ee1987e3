"""The assistant's page of a plan, without a browser (SQLite and PostgreSQL): overlaps and
duplicates, the metric catalogue searched by meaning, a page at a time, for any member.

The plan is examples/small.yaml with A2, a second annual objective that Ana (of the
clinic) holds and that says what Ben's A1 of Ward A says: "Run a daily fall-risk huddle on
every ward day in 2026" against A1's "Run a daily fall-risk huddle on 100% of ward days in
2026". They share every term but "100%" and "every" (run, daily, fall, risk, huddle, ward,
day: 7 of 8 terms each), so they overlap in the model's space and in the words' alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.domain.model import Objective, Plan
from hoshin.planfile import read_plan
from hoshin.web import assist

from .web_support import SMALL_PLAN, clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")
USERS = {"eve": ("editor", None), "vic": ("viewer", None)}
TWIN = "Run a daily fall-risk huddle on every ward day in 2026"


def plan() -> Plan:
    small = read_plan(SMALL_PLAN)
    twin = Objective("A2", TWIN, "annual", owner="ana", unit="clinic", supports={"B1": 1.0})
    return dataclasses.replace(small, objectives=(*small.objectives, twin))


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    with clinic_pages(engine, USERS, plan()) as client:
        yield client


def test_a_viewer_sees_a1_and_its_twin_a2_as_an_overlap(pages: TestClient) -> None:
    signed_in_as(pages, "vic")
    page = pages.get("/orgs/clinic/assist")
    assert page.status_code == 200
    assert "<h1>Assistant</h1>" in page.text
    assert 'href="#overlaps">Overlaps (1)<' in page.text
    overlap = page.text.split('id="overlaps"')[1].split("</section>")[0]
    assert '/objectives/A1">A1</a>' in overlap and '/objectives/A2">A2</a>' in overlap
    assert "merge" in overlap or "share" in overlap  # the suggestion


def test_the_catalogue_answers_a_question_about_waiting_in_the_emergency_department(
    pages: TestClient,
) -> None:
    signed_in_as(pages, "vic")
    question = {"q": "patients waiting too long in the emergency department"}
    page = pages.get("/orgs/clinic/assist", params=question)
    found = page.text.split('id="catalogue"')[1]
    assert page.status_code == 200 and found.count("<li>") == 10
    first = found.split("<li>")[1]
    assert "emergency" in first.lower() or "wait" in first.lower()


def test_the_catalogue_narrowed_to_a_sector_lists_only_its_indicators(pages: TestClient) -> None:
    signed_in_as(pages, "vic")
    question = {"q": "waiting time", "sector": "software"}
    found = pages.get("/orgs/clinic/assist", params=question).text.split('id="catalogue"')[1]
    assert found.count(" · software</p>") == found.count("<li>") > 0


def test_a_question_too_long_is_shown_in_place_with_422(pages: TestClient) -> None:
    """301 characters pass the door's limit of each query (the field's is 300)."""
    signed_in_as(pages, "vic")
    page = pages.get("/orgs/clinic/assist", params={"q": "x" * 301})
    assert page.status_code == 422  # FastAPI's limit: the page's error


def test_another_organisations_assistant_is_not_found(pages: TestClient) -> None:
    signed_in_as(pages, "vic")
    assert pages.get("/orgs/elsewhere/assist").status_code == 404
    pages.cookies.clear()
    signed_out = pages.get("/orgs/clinic/assist", follow_redirects=False)
    assert signed_out.headers["location"] == "/signin"


def test_the_plan_page_links_to_the_assistant(pages: TestClient) -> None:
    signed_in_as(pages, "vic")
    assert 'href="/orgs/clinic/assist"' in pages.get("/orgs/clinic/plan").text


def test_the_review_says_a2_is_neither_measured_nor_time_bound_and_what_to_do(
    pages: TestClient,
) -> None:
    """A2 has no metric and no end month: it fails measurable and time-bound, and is told
    to end by 2026-12, the end of the clinic's fiscal year 2026 (January to December)."""
    signed_in_as(pages, "vic")
    page = pages.get("/orgs/clinic/assist?as_of=2026-06-10").text
    review = page.split('id="review"')[1].split("</section>")[0]
    a2 = review.split('/objectives/A2?as_of=2026-06-10">A2</a>')[1].split("</li>\n")[0:3]
    said = "".join(a2)
    assert "<strong>measurable</strong>: no metric" in said
    assert "<strong>time-bound</strong>" in said and "end it by 2026-12" in said
    assert "passes: specific, achievable, relevant" in review.split("A2</a>")[1]


def test_the_opportunity_no_objective_addresses_is_listed(pages: TestClient) -> None:
    """small.yaml's T1 addresses the weakness w-falls and the threat t-inspection; the
    opportunity o-alarms is addressed by none (a strength needs no answer)."""
    signed_in_as(pages, "vic")
    page = pages.get("/orgs/clinic/assist").text
    assert 'href="#position">Position (1)<' in page
    position = page.split('id="position"')[1].split("</section>")[0]
    assert "<strong>opportunity</strong> Bed-exit alarms now cost little enough" in position
    assert "(o-alarms)" in position
    assert "w-falls" not in position and "s-nurses" not in position


def test_overlaps_still_being_scanned_are_said_to_be_on_their_way(
    pages: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan not made yet (a large plan's takes minutes in the background) is announced,
    and the page answers at once; the clinic's 4 objectives are scanned once made."""
    monkeypatch.setattr(assist, "plan_overlaps", lambda found, org: (None, "model"))
    signed_in_as(pages, "vic")
    page = pages.get("/orgs/clinic/assist").text
    overlaps = page.split('id="overlaps"')[1].split("</section>")[0]
    assert "The plan's 4 objectives are being compared" in overlaps and "A2" not in overlaps
    assert 'href="#overlaps">Overlaps<' in page
