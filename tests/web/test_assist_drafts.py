"""A draft from a sentence filling the objective form and the guided start, without a
browser (SQLite and PostgreSQL). Nothing is saved by a draft: the person checks and saves.

As of 2026-06-10, "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"
is a metric from 24 in 2026-06 at -50 % a year to 2029-12, 42 months away: a breakthrough
(3 years or more). Its targets at each year's end are 24 x 0.5 ** (months / 12): 2026 (6
months) 16.97, 2027 (18) 8.485, 2028 (30) 4.243, 2029 (42) 2.121. "Cut lead time from 9 to 4
weeks by Q4 2027" is 9 -> 4 weeks, linear, by 2027-12."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.domain.model import Organization, Plan

from .web_support import PASSWORD, clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")
AS_OF = "as_of=2026-06-10"
USERS = {"eve": ("editor", None), "vic": ("viewer", None)}
HALVE = "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"
LEAD_TIME = "Cut lead time from 9 to 4 weeks by Q4 2027"
OBJECTIVE_DRAFT = f"/orgs/clinic/assist/draft/objective?{AS_OF}"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    with clinic_pages(engine, USERS) as client:
        yield client


@pytest.fixture
def empty(engine: Engine) -> Iterator[TestClient]:
    """A new organisation's plan: the guided start opens at its vision."""
    with clinic_pages(engine, USERS, Plan(Organization("Riverside Clinic"))) as client:
        yield client


def signed_in_to_start(client: TestClient, name: str) -> None:
    """``client`` signed in as NAME@clinic.example: an empty plan opens at the guided start."""
    client.cookies.clear()
    data = {"email": f"{name}@clinic.example", "password": PASSWORD}
    assert client.post("/signin", data=data).url.path == "/orgs/clinic/start"


def value_of(html: str, name: str) -> str:
    """The value of the form field ``name`` (a text field, or a select's chosen option)."""
    field = re.search(rf'<input id="f-{name}" name="{name}" type="[a-z]+" value="([^"]*)"', html)
    if field is not None:
        return field.group(1)
    select = html.split(f'<select id="f-{name}" name="{name}"')[1].split("</select>")[0]
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else ""


def test_a_sentence_fills_the_new_objective_form_and_saves_nothing(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    typed = {"sentence": HALVE, "title": "", "level": "annual", "tolerance": "0.1", "id": ""}
    answer = pages.post(OBJECTIVE_DRAFT, data=typed, headers=HTMX)
    assert answer.status_code == 200
    form = answer.text.split('<form id="objective-form"')[1]
    assert value_of(form, "title") == HALVE
    assert value_of(form, "level") == "breakthrough"  # 42 months away
    assert (value_of(form, "start"), value_of(form, "end")) == ("2026-06", "2029-12")
    assert value_of(form, "tolerance") == "0.1"  # what was typed stays
    drafted = answer.text.split('id="assist-draft"')[1].split("</form>")[0]
    assert "Warranty claims per 1,000 pumps" in drafted and "compound" in drafted
    assert "2026 <strong>16.97</strong>" in drafted and "2029 <strong>2.121</strong>" in drafted
    assert "add it on the objective&#39;s page once the objective is saved" in drafted
    plan = pages.get(f"/orgs/clinic/plan?{AS_OF}").text
    assert "Halve warranty claims" not in plan


def test_without_javascript_the_sentence_alone_opens_the_form_filled(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    answer = pages.post(OBJECTIVE_DRAFT, data={"sentence": LEAD_TIME})
    assert answer.status_code == 200
    assert value_of(answer.text, "title") == LEAD_TIME
    assert value_of(answer.text, "level") == "annual"  # 18 months away
    assert value_of(answer.text, "end") == "2027-12"
    assert 'action="/orgs/clinic/plan/objectives/new' in answer.text  # "Create" saves it


def test_editing_a1_a_draft_keeps_its_level_and_its_version(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    answer = pages.post(f"{OBJECTIVE_DRAFT}&key=A1", data={"sentence": HALVE})
    assert answer.status_code == 200
    assert value_of(answer.text, "title") == HALVE
    assert value_of(answer.text, "level") == "annual"  # A1's: a draft does not move it
    assert 'action="/orgs/clinic/plan/objectives/A1' in answer.text
    assert re.search(r'name="version" value="[0-9]+"', answer.text)  # saved as an edit of it


def test_a_sentence_without_a_number_is_refused_beside_the_input(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    plain = pages.post(OBJECTIVE_DRAFT, data={"sentence": "Be better"})
    assert plain.status_code == 422
    problem = plain.text.split('id="assist-sentence-problem"')[1].split("</p>")[0]
    assert "cannot read" in problem and "no number to aim at" in problem
    assert 'aria-invalid="true"' in plain.text.split('id="assist-sentence"')[1].split(">")[0]
    by_htmx = pages.post(OBJECTIVE_DRAFT, data={"sentence": "Be better"}, headers=HTMX)
    assert by_htmx.status_code == 200  # htmx swaps only a success's answer
    empty = pages.post(OBJECTIVE_DRAFT, data={"sentence": " "})
    assert "type a sentence to draft from" in empty.text


def test_drafting_is_for_editors_with_the_forms_token(pages: TestClient) -> None:
    signed_in_as(pages, "vic")
    assert pages.post(OBJECTIVE_DRAFT, data={"sentence": HALVE}).status_code == 403
    signed_in_as(pages, "eve")
    assert pages.post(OBJECTIVE_DRAFT.replace("clinic", "elsewhere")).status_code == 404
    page = pages.get(f"/orgs/clinic/plan/objectives/new?{AS_OF}").text
    token = re.search(r'id="assist-draft".*?name="csrf_token" value="([^"]+)"', page, re.S)
    assert token is not None  # the draft's form carries its token
    pages.event_hooks = {"request": [], "response": []}  # no X-CSRF-Token header
    assert pages.post(OBJECTIVE_DRAFT, data={"sentence": HALVE}).status_code == 403
    sent = {"sentence": HALVE, "csrf_token": token.group(1)}
    assert pages.post(OBJECTIVE_DRAFT, data=sent).status_code == 200


def test_a_sentence_fills_the_guided_starts_breakthrough_and_its_targets(
    empty: TestClient,
) -> None:
    """9 -> 4 weeks by 2027-12, linear from 2026-06: 5 weeks over 18 months, so 2026-12 is
    9 - 5 x 6/18 = 7.333, 7.3 in the targets table (as "Show the targets" shows it)."""
    signed_in_to_start(empty, "eve")
    url = f"/orgs/clinic/assist/draft/start?step=breakthrough&{AS_OF}"
    answer = empty.post(url, data={"sentence": LEAD_TIME, "direction": "increase"})
    assert answer.status_code == 200
    form = answer.text.split('<form id="start-form"')[1]
    expected = {"title": LEAD_TIME, "name": "Lead time", "unit": "weeks", "baseline": "9",
                "target": "4", "target_period": "2027-12", "direction": "decrease",
                "trajectory": "linear"}  # fmt: skip
    assert {name: value_of(form, name) for name in expected} == expected
    assert '<th scope="row">2026-12</th><td>7.3</td>' in form.split('id="targets"')[1]
    assert 'action="/orgs/clinic/start/breakthrough' in form
    assert "<h1>Breakthrough objectives</h1>" in answer.text


def test_a_sentence_that_holds_a_measure_fits_no_step_of_the_guided_start(
    empty: TestClient,
) -> None:
    signed_in_to_start(empty, "eve")
    url = f"/orgs/clinic/assist/draft/start?step=breakthrough&{AS_OF}"
    answer = empty.post(url, data={"sentence": "Keep first-pass yield above 96 %"})
    assert answer.status_code == 422
    assert "a step of the guided start moves one" in answer.text
    unknown = empty.post(url.replace("breakthrough", "vision"), data={"sentence": LEAD_TIME})
    assert unknown.status_code == 404


def test_the_objective_form_offers_the_draft(pages: TestClient) -> None:
    signed_in_as(pages, "eve")
    new = pages.get(f"/orgs/clinic/plan/objectives/new?{AS_OF}").text
    assert 'hx-post="/orgs/clinic/assist/draft/objective?as_of=2026-06-10"' in new
    assert 'hx-include="#objective-form"' in new


def test_the_guided_start_offers_the_draft(empty: TestClient) -> None:
    signed_in_to_start(empty, "eve")
    start = empty.get(f"/orgs/clinic/start?step=breakthrough&{AS_OF}").text
    assert (
        'action="/orgs/clinic/assist/draft/start?step=breakthrough&amp;as_of=2026-06-10"' in start
    )
