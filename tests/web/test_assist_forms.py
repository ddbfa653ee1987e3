"""The assistant in the objective form, without a browser (SQLite and PostgreSQL): "Where
does this belong?" as a title is typed, and the same list rendered with the form.

The plan is examples/small.yaml (B1 "Cut patient falls from 40 to 10 a month by the end of
2027", A1 a daily fall-risk huddle of Ward A, T1 training nurses in fall prevention) with two
breakthroughs about other things: B2 the emergency department's waits, B3 keeping nurses.
A title about falls belongs under B1 in either space (the model's, or the words' while the
model's is being computed): it shares the terms "patient" and "fall" with B1, only
"patient" with B2 and none with B3."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.domain.model import Objective, Plan
from hoshin.planfile import read_plan

from .web_support import SMALL_PLAN, clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")
AS_OF = "as_of=2026-06-10"
USERS = {"eve": ("editor", None), "vic": ("viewer", None)}
FALLS = "Check every admitted patient's risk of a fall within an hour"


def plan() -> Plan:
    small = read_plan(SMALL_PLAN)
    others = (
        Objective("B2", "Halve the time patients wait in the emergency department", "breakthrough"),
        Objective("B3", "Keep nine in ten of our nurses every year", "breakthrough"),
    )
    return dataclasses.replace(small, objectives=(*small.objectives, *others))


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    with clinic_pages(engine, USERS, plan()) as client:
        yield client


def ranked(html: str, *keys: str) -> list[str]:
    """The keys in the order the list names them (a button per suggestion: 'Link to B1')."""
    at = {key: html.find(f"Link to {key}<") for key in keys}
    return sorted((key for key in keys if at[key] >= 0), key=lambda key: at[key])


def test_a_title_about_falls_is_suggested_under_b1_first(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    answer = pages.get(f"/orgs/clinic/assist/parents?{AS_OF}", params={"title": FALLS})
    assert answer.status_code == 200
    assert ranked(answer.text, "B1", "B2", "B3")[0] == "B1"
    assert "shares the terms patient, fall" in answer.text  # "falls" stems to "fall"
    assert 'data-fill="f-supports-new-id"' in answer.text  # a click fills the new link
    assert "Type an id in Supports (its new link) to link it." in answer.text  # without JS


def test_a_team_objective_is_suggested_under_the_annual_a1(pages: TestClient) -> None:
    """The level above a team objective is annual: A1 is the plan's only one."""
    signed_in_as(pages, "eve")
    typed = {"title": "Fall-risk huddle on Ward A every morning", "level": "team"}
    answer = pages.get(f"/orgs/clinic/assist/parents?{AS_OF}", params=typed)
    assert ranked(answer.text, "B1", "A1", "T1") == ["A1"]


def test_a_breakthrough_or_no_title_gets_a_note_and_no_list(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    url = f"/orgs/clinic/assist/parents?{AS_OF}"
    breakthrough = pages.get(url, params={"title": FALLS, "level": "breakthrough"}).text
    assert "A breakthrough objective supports no other" in breakthrough
    assert "Link to" not in breakthrough
    assert "Type a title" in pages.get(url, params={"title": "  "}).text


def test_an_unknown_field_to_fill_is_not_found(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    answer = pages.get("/orgs/clinic/assist/parents", params={"title": FALLS, "fill": "f-x"})
    assert answer.status_code == 404


def test_the_list_is_advice_any_member_may_read_but_not_another_org(pages: TestClient) -> None:
    signed_in_as(pages, "vic")
    assert pages.get("/orgs/clinic/assist/parents", params={"title": FALLS}).status_code == 200
    assert pages.get("/orgs/elsewhere/assist/parents", params={"title": FALLS}).status_code == 404
    pages.cookies.clear()
    signed_out = pages.get("/orgs/clinic/assist/parents", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/signin"


def test_the_form_renders_the_list_for_its_title_and_asks_again_as_it_is_typed(
    pages: TestClient,
) -> None:
    """A1's form lists B1 under its title (A1 itself is annual: its candidates are the
    breakthroughs); the box asks for the list again with the key left out of its own ranking."""
    signed_in_as(pages, "eve")
    form = pages.get(f"/orgs/clinic/plan/objectives/A1?{AS_OF}").text
    assert "Where does this belong?" in form
    assert ranked(form, "B1", "B2", "B3")[0] == "B1"
    assert 'hx-get="/orgs/clinic/assist/parents?fill=f-supports-new-id&amp;key=A1' in form
    assert 'hx-trigger="input changed delay:300ms from:#f-title' in form


def test_a_refused_new_objective_comes_back_with_its_suggestions(pages: TestClient) -> None:
    """Without JavaScript the list is rendered with the form sent back (here: for a
    tolerance that is not a number)."""
    signed_in_as(pages, "eve")
    fields = {"title": FALLS, "level": "annual", "tolerance": "x"}
    answer = pages.post(f"/orgs/clinic/plan/objectives/new?{AS_OF}", data=fields)
    assert answer.status_code == 422
    assert ranked(answer.text, "B1", "B2", "B3")[0] == "B1"
