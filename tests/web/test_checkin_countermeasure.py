"""Check-in: a value the engine judges red opens the countermeasure form in its row.

Hand-computed from examples/small.yaml: huddles ("Ward days with a huddle", objective A1,
owner ben) goes linearly from 0 in 2025-12 to 100 in 2026-10, 10 a month, so June's plan
is 60. Its tolerance is 0.10 of the range 100: amber down to 50, red below 50. As of
2026-07-10 the month due is 2026-06, so 30 for June is red ((30 - 60) / 100 = -0.3), and
June is then huddles' latest month: the engine finds missing_countermeasure for it until
a countermeasure for huddles in 2026-06 exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from .web_support import (
    BEN,
    axe_violations,
    clinic_pages,
    page_token,
    screenshot,
    sign_in,
    signed_in_as,
)

CHECK_IN = "/orgs/clinic/check-in?as_of=2026-07-10"
ANALYSIS = "/api/v1/orgs/clinic/analysis?as_of=2026-07-10"
POST = "/orgs/clinic/check-in/huddles/2026-06/countermeasure?as_of=2026-07-10"
MEASURE = "cm-huddles-2026-06"


def _missing_countermeasures(page: Page, server: str) -> list[str]:
    """The subjects of the analysis's missing_countermeasure findings (the API, signed in)."""
    answer = page.request.get(f"{server}{ANALYSIS}")
    assert answer.status == 200, answer.text()
    found: dict[str, Any] = answer.json()
    return [f["subject"] for f in found["findings"] if f["code"] == "missing_countermeasure"]


def test_red_value_opens_the_countermeasure_form_and_records_one(
    fresh_server: str, page: Page
) -> None:
    """Ben types 30 for June with the keyboard: red, so the form opens with the focus in
    Cause and the owner set to the objective's owner (Ben Ode). Empty cause and action are
    refused next to their fields, a due date that is not a date too; then he saves one, the
    row says it is recorded, the finding is gone and his 30 is still saved."""
    server = fresh_server
    sign_in(page, server, BEN)
    page.goto(f"{server}{CHECK_IN}")
    assert _missing_countermeasures(page, server) == []
    huddles = page.get_by_role("spinbutton", name="Ward days with a huddle, 2026-06", exact=True)
    block = page.locator("tbody").filter(has=huddles)

    huddles.focus()
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    cause = block.get_by_label("Cause", exact=True)
    expect(cause).to_be_focused()
    expect(block.get_by_role("row").first).to_contain_text(re.compile(r"(^|\W)red(\W|$)", re.I))
    expect(block.get_by_role("group")).to_contain_text("red in 2026-06")
    expect(block.get_by_label("Owner", exact=True)).to_have_value("ben")
    assert _missing_countermeasures(page, server) == ["huddles"]
    assert axe_violations(page) == []

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # cause -> action -> owner
    expect(block.get_by_label("Owner", exact=True)).to_be_focused()
    save = block.get_by_role("button", name="Save countermeasure")
    for _ in range(6):  # through the due date's parts (day, month, year) to the button
        page.keyboard.press("Tab")
        if save.evaluate("(button) => button === document.activeElement"):
            break
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    expect(block.get_by_text("Say what caused the red month.")).to_be_visible()
    expect(block.get_by_text("Say what will be done about it.")).to_be_visible()
    expect(cause).to_be_focused()  # the first field with a problem
    expect(cause).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    screenshot(page, "check-in-countermeasure")

    wrong = page.request.post(
        f"{server}{POST}",
        form={
            "csrf_token": page_token(page),
            "cause": "x",
            "action": "y",
            "owner": "ben",
            "due": "31/07/2026",
        },
        headers={"HX-Request": "true"},
    )
    assert wrong.status == 200
    assert "&#39;31/07/2026&#39; is not a date: use YYYY-MM-DD" in wrong.text()
    assert _missing_countermeasures(page, server) == ["huddles"]

    page.keyboard.type("Night shifts skipped the huddle")
    page.keyboard.press("Tab")
    page.keyboard.type("Hold it at the shift handover")
    block.get_by_label("Due", exact=True).fill("2026-07-31")
    block.get_by_label("Due", exact=True).press("Tab")
    page.keyboard.press("Enter")

    note = block.locator(".countermeasure-note")
    expect(note).to_contain_text(f"Countermeasure {MEASURE} recorded")
    expect(note).to_contain_text("Night shifts skipped the huddle")
    expect(note).to_contain_text("Owner: Ben Ode. Due 2026-07-31.")
    expect(block.get_by_label("Cause", exact=True)).to_have_count(0)
    expect(huddles).to_have_value("30")
    assert _missing_countermeasures(page, server) == []
    assert axe_violations(page) == []
    screenshot(page, "check-in-countermeasure-recorded")

    # Loaded again: the value is saved, and the countermeasure is shown instead of a form.
    page.goto(f"{server}{CHECK_IN}")
    expect(huddles).to_have_value("30")
    expect(block.locator(".countermeasure-note")).to_contain_text(f"Countermeasure {MEASURE}")
    expect(block.get_by_label("Cause", exact=True)).to_have_count(0)


def test_countermeasure_form_on_a_phone(fresh_server: str, page: Page) -> None:
    """At 390 px wide each metric is a card and the form's fields stay usable; a green
    value (60 = June's plan) opens no form."""
    server = fresh_server
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, BEN)
    page.goto(f"{server}{CHECK_IN}")
    huddles = page.get_by_role("spinbutton", name="Ward days with a huddle, 2026-06", exact=True)
    block = page.locator("tbody").filter(has=huddles)
    huddles.fill("60")
    huddles.press("Enter")
    expect(block).to_contain_text("saved")
    expect(block.get_by_label("Cause", exact=True)).to_have_count(0)
    # "saved" shows as soon as the row is swapped in, before htmx has settled it (20 ms); a
    # value typed in that moment was once never posted, in a loaded CI run. Wait it out.
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling')")
    huddles.fill("20")
    huddles.press("Enter")
    expect(block.get_by_label("Cause", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "check-in-countermeasure-phone")


# The same rules without a browser, on SQLite and PostgreSQL (fast, and exact on the HTML).

RULE_USERS = {"ben": ("contributor", "ben"), "ana": ("contributor", "ana"), "vic": ("viewer", None)}
SAVE = "/orgs/clinic/check-in/huddles/2026-06?as_of=2026-07-10"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """examples/small.yaml as 'clinic', with ben and ana (contributors) and vic (viewer)."""
    with clinic_pages(engine, RULE_USERS) as client:
        yield client


def _findings(client: TestClient) -> list[str]:
    found = client.get(ANALYSIS).json()["findings"]
    return [f["subject"] for f in found if f["code"] == "missing_countermeasure"]


def test_thirty_is_red_and_the_countermeasure_answers_the_finding(pages: TestClient) -> None:
    """30 for June: red (plan 60, -0.3 of the range), the row holds the form with Ben Ode
    (A1's owner) chosen; 55 would be amber ((55 - 60) / 100 = -0.05) and opens none."""
    signed_in_as(pages, "ben")
    amber = pages.post(SAVE, data={"value": "55"}, headers=HTMX)
    assert "rag-amber" in amber.text and 'name="cause"' not in amber.text
    assert '<input type="hidden" name="read" value="55.0">' in amber.text
    stale = pages.post(SAVE, data={"value": "30", "read": "54"}, headers=HTMX)
    assert "huddles for 2026-06 is 55 now, not 54: someone changed it" in stale.text
    red = pages.post(SAVE, data={"value": "30", "read": "55.0"}, headers=HTMX)
    assert red.status_code == 200
    assert "red</span> in 2026-06: what is the countermeasure" in red.text
    assert '<option value="ben" selected>Ben Ode</option>' in red.text
    assert _findings(pages) == ["huddles"]

    typed = {"cause": "Short staffed", "action": "Huddle at handover", "owner": "ben"}
    done = pages.post(POST, data={**typed, "due": "2026-07-31"}, headers=HTMX)
    assert f"Countermeasure {MEASURE} recorded</strong> for 2026-06." in done.text
    assert 'name="cause"' not in done.text
    assert _findings(pages) == []
    grid = pages.get(CHECK_IN).text
    assert f"<strong>Countermeasure {MEASURE}</strong> for 2026-06:" in grid
    assert 'name="cause"' not in grid and 'value="30"' in grid


def test_the_form_names_what_is_missing_or_wrong_and_saves_nothing(pages: TestClient) -> None:
    signed_in_as(pages, "ben")
    pages.post(SAVE, data={"value": "30"}, headers=HTMX)
    answer = pages.post(POST, data={"cause": " ", "action": "", "due": "2026-02-30"}, headers=HTMX)
    assert "Say what caused the red month." in answer.text
    assert "Say what will be done about it." in answer.text
    assert "&#39;2026-02-30&#39; is not a date: use YYYY-MM-DD" in answer.text
    # A cause is a description (at most 10,000 characters), as the API's countermeasure takes.
    long = pages.post(POST, data={"cause": "c" * 10_001, "action": "b"}, headers=HTMX)
    assert "The cause is 10,001 characters long: at most 10,000." in long.text
    assert 'maxlength="10000"' in long.text
    unknown = pages.post(POST, data={"cause": "a", "action": "b", "owner": "zed"}, headers=HTMX)
    assert "unknown person &#39;zed&#39;" in unknown.text
    without_js = pages.post(POST, data={"cause": "", "action": "b"})
    assert without_js.status_code == 422 and "<h1>Countermeasure for" in without_js.text
    assert _findings(pages) == ["huddles"]


def test_a_viewer_sees_no_form_and_another_contributor_is_refused(pages: TestClient) -> None:
    """vic (viewer) reads the red month without a form; ana (contributor of the clinic
    unit) owns neither A1 nor is of ward-a, so the service refuses her countermeasure."""
    signed_in_as(pages, "ben")
    pages.post(SAVE, data={"value": "30"}, headers=HTMX)
    signed_in_as(pages, "vic")
    grid = pages.get("/orgs/clinic/check-in?unit=ward-a&as_of=2026-07-10").text
    assert "rag-red" in grid and 'name="cause"' not in grid
    signed_in_as(pages, "ana")
    refused = pages.post(POST, data={"cause": "a", "action": "b"}, headers=HTMX)
    assert "a contributor cannot add countermeasures to metric huddles" in refused.text
    assert _findings(pages) == ["huddles"]


def test_without_javascript_a_refused_check_in_says_why_on_a_page_of_its_own(
    pages: TestClient,
) -> None:
    """A plain form post (no HX-Request) used to go back to the grid in silence whatever
    happened. Saved: back to the grid (303). Not a number: 422; someone changed it since it
    was read: 409; a viewer: 403; each a page with the row, the message and the way back."""
    signed_in_as(pages, "ben")
    saved = pages.post(SAVE, data={"value": "55"}, follow_redirects=False)
    assert saved.status_code == 303
    not_a_number = pages.post(SAVE, data={"value": "lots"})
    assert not_a_number.status_code == 422
    assert "<h1>Ward days with a huddle, 2026-06: not saved</h1>" in not_a_number.text
    assert "&#39;lots&#39; is not a number" in not_a_number.text
    assert "Back to the check-in" in not_a_number.text
    stale = pages.post(SAVE, data={"value": "30", "read": "54"})
    assert stale.status_code == 409
    assert "huddles for 2026-06 is 55 now, not 54: someone changed it" in stale.text
    signed_in_as(pages, "vic")
    refused = pages.post(SAVE, data={"value": "30", "read": "55.0"})
    assert refused.status_code == 403
    assert "a viewer cannot record actuals of huddles" in refused.text
