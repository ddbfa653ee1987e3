"""The assistant beside a catchball proposal, without a browser (SQLite and PostgreSQL): the
SMART review of the objective on the table and where it belongs, for the unit's lead who
answers (and the leader who proposed); the forms' "Where does this belong?" boxes.

On examples/small.yaml as of 2026-06-10 Eve (an editor) proposes to Ben, lead of Ward A, a
team objective "Cut night falls on Ward A" supporting A1, the plan's one annual objective
(a team objective's candidates are the annual ones): its metric night falls 10 -> 5 by
2026-12. A1 traces up to B1, a breakthrough: relevant. "Improve night care on Ward A"
opens with a vague verb: not specific."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from .web_support import clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")
AS_OF = "as_of=2026-06-10"
USERS = {"eve": ("editor", None), "ben": ("contributor", "ben")}
INDEX = f"/orgs/clinic/catchball?{AS_OF}"


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    with clinic_pages(engine, USERS) as client:
        yield client


def proposed(client: TestClient, title: str) -> str:
    """Eve's proposal of ``title`` to Ben of Ward A; the thread's address."""
    signed_in_as(client, "eve")
    fields = {
        "unit": "ward-a", "lead": "ben", "title": title, "parent": "A1", "weight": "1",
        "level": "team", "deadline": "2026-12", "metric.name": "Night falls",
        "metric.unit": "falls", "metric.direction": "decrease", "metric.baseline": "10",
        "metric.target": "5", "comment": "Most falls happen at night",
    }  # fmt: skip
    answer = client.post(INDEX, data=fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def advice_of(html: str) -> str:
    return html.split('id="assist-proposal-heading"')[1].split("</section>")[0]


def test_the_lead_sees_the_proposal_is_smart_and_belongs_under_a1(pages: TestClient) -> None:
    thread = proposed(pages, "Cut night falls on Ward A")
    signed_in_as(pages, "ben")
    page = pages.get(thread)
    assert page.status_code == 200
    advice = advice_of(page.text)
    assert "SMART: specific, measurable, achievable, relevant and time-bound" in advice
    assert "<strong>A1</strong>" in advice
    assert "The objective it would support is its choice 1." in advice
    counter = page.text.split('class="counter"')[1]
    assert 'data-fill="c-parent" data-value="A1"' in counter  # a click fills its parent
    assert "fill=c-parent&amp;unit=ward-a" in counter  # the box asks for the thread's unit


def test_a_vague_proposal_is_told_it_is_not_specific(pages: TestClient) -> None:
    thread = proposed(pages, "Improve night care on Ward A")
    signed_in_as(pages, "ben")
    advice = advice_of(pages.get(thread).text)
    assert "<strong>specific</strong>" in advice
    assert "passes measurable, achievable, relevant, time-bound" in advice


def test_the_proposer_sees_the_advice_too_and_the_form_asks_as_a_title_is_typed(
    pages: TestClient,
) -> None:
    thread = proposed(pages, "Cut night falls on Ward A")
    assert "The assistant on this proposal" in pages.get(thread).text  # Eve's own
    index = pages.get(INDEX).text
    form = index.split('id="propose"')[1]
    assert 'hx-trigger="input changed delay:300ms from:#p-title, change from:#p-level"' in form
    assert "hx-include=\"#p-title, #p-level, [name='unit']\"" in form
