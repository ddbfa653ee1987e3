"""The backward plan in a real browser, against a real server holding examples/small.yaml.

The engine's figures as of 2026-06-15 (pinned in tests/cli/test_check.py and
tests/domain/test_schedule.py; every date inclusive):
- a1 (serves A1): 10 days at 50% -> 5 left; earliest 06-15..06-19, latest 06-26..06-30
  (its own due); slack 11.
- a2 (serves A1, requires a1): 30 days; earliest 06-20..07-19, latest 07-02..07-31 (its
  own due); slack 12. A1 (deadline 2026-12-31) is on time, a1 critical (least slack, 11).
- a3 (serves B1): 60 days; earliest 06-15..08-13, latest 06-02..07-31: slack -13, so B1 is
  13 days late with a3 critical.

a2 at d days (by hand): it still starts 06-20 at the earliest and must finish by 07-31, so
its latest start is 07-31 - d + 1 and its slack (07-31 - 06-20 = 41) + 1 - d = 42 - d. a1
must finish the day before: by min(06-30, 07-31 - d), so for d >= 31 a1's latest start is
07-31 - d - 4 and its slack (07-31 - 06-15 = 46) - 4 - d = 42 - d too.
- d = 50: both have slack -8: A1 is 8 days late, a1 and a2 critical; a2's latest start is
  06-12, a1's latest window 06-07..06-11.
- then a2 no longer requiring a1: a2 starts 06-15 at the earliest, slack 06-12 - 06-15 =
  -3; a1 is bound by its own due again (slack 11): A1 is 3 days late, a2 alone critical.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine

from factories import make_organization
from hoshin.domain.analysis import analyze
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service import account
from hoshin.service.analysis import Analysed
from hoshin.web.backward import Chains, chain, chains, filtered

from .web_support import (
    ADMIN,
    BEN,
    PASSWORD,
    SMALL_PLAN,
    axe_violations,
    page_token,
    screenshot,
    sign_in,
    with_csrf,
)

INDEX = "/orgs/clinic/backward?as_of=2026-06-15"
B1 = "/orgs/clinic/backward/B1?as_of=2026-06-15"
A1 = "/orgs/clinic/backward/A1?as_of=2026-06-15"
NOTHING = "\N{EN DASH}"  # what an empty cell shows


def verdict(page: Page) -> Locator:
    """The line that says whether the chain fits and which actions are critical."""
    return page.locator(".bw-verdict")


def dates_row(page: Page, action: str) -> Locator:
    """The row of ``action`` in the accessible table of dates."""
    table = page.get_by_role("table").filter(has_text="both ends included")
    header = page.get_by_role("rowheader", name=re.compile(rf"^{action} "))
    return table.get_by_role("row").filter(has=header)


def action_form(page: Page, action: str) -> Locator:
    """The form that changes ``action`` (its fieldset is named by the action)."""
    return page.get_by_role("group", name=re.compile(rf"^{action} "))


def cells(row: Locator) -> list[str]:
    """The texts of a row's data cells."""
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def test_index_lists_the_late_objective_first(server: str, page: Page) -> None:
    """B1 (13 days late) before A1 (on time, 11 days of slack); "late only" keeps B1."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{INDEX}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Backward plan")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # the header and two objectives
    expect(rows.nth(1)).to_contain_text("B1")
    expect(rows.nth(1)).to_contain_text("13 days late")
    expect(rows.nth(1).get_by_role("cell").nth(1)).to_have_text("Ana Lima")  # owner ana
    expect(rows.nth(2)).to_contain_text("A1")
    expect(rows.nth(2)).to_contain_text("on time, 11 days of slack")
    expect(rows.nth(2).get_by_role("cell").nth(1)).to_have_text("Ben Ode")  # owner ben
    assert axe_violations(page) == []
    screenshot(page, "backward-index")

    page.get_by_label("Late only").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("link", name=re.compile("^B1 "))).to_be_visible()
    page.get_by_role("link", name=re.compile("^B1 ")).click()
    expect(page).to_have_url(re.compile(r"/orgs/clinic/backward/B1\?as_of=2026-06-15$"))


def test_b1_is_13_days_late_with_a3_critical(server: str, page: Page) -> None:
    """Then A1's timeline on a phone."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{B1}")
    expect(verdict(page)).to_contain_text("13 days late")
    expect(verdict(page)).to_contain_text("Critical: a3")
    row = dates_row(page, "a3")
    expect(row).to_contain_text("critical")
    assert cells(row) == [
        "Ana Lima", "60", "2026-06-15", "2026-08-13", "2026-06-02", "2026-07-31",
        "13 days late", NOTHING,
    ]  # fmt: skip
    chart = page.get_by_role("img", name=re.compile("Timeline of the 1 action of B1"))
    expect(chart).to_contain_text("critical")
    assert axe_violations(page) == []
    screenshot(page, "backward-B1")

    # On a phone (390 px) each label stacks above its bars and only the table scrolls.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}{A1}")
    expect(verdict(page)).to_contain_text("on time")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
    assert axe_violations(page) == []
    screenshot(page, "backward-A1-phone")


def test_a_longer_duration_and_a_removed_link_redraw_the_timeline_in_place(
    fresh_server: str, page: Page
) -> None:
    """a2 at 50 days: A1 8 days late, a1 and a2 critical; without a1: 3 days late, a2."""
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}{A1}")
    expect(verdict(page)).to_contain_text("on time, 11 days of slack")
    expect(verdict(page)).to_contain_text("Critical: a1.")
    assert cells(dates_row(page, "a1"))[6] == "11 days"
    assert cells(dates_row(page, "a2"))[6] == "12 days"
    stale = page.context.new_page()  # a second tab, opened before the change
    stale.goto(f"{fresh_server}{A1}")
    page.evaluate("() => { window.backwardMarker = 'kept'; }")
    url = page.url

    form = action_form(page, "a2")
    form.get_by_label("Duration (days)").fill("50")
    form.get_by_role("button", name="Save a2").click()
    expect(verdict(page)).to_contain_text("8 days late")
    expect(verdict(page)).to_contain_text("Critical: a1, a2.")
    a2 = dates_row(page, "a2")
    assert cells(a2)[2:7] == ["2026-06-20", "2026-08-08", "2026-06-12", "2026-07-31", "8 days late"]
    a1 = dates_row(page, "a1")
    assert cells(a1)[4:7] == ["2026-06-07", "2026-06-11", "8 days late"]
    assert page.url == url
    assert page.evaluate("() => window.backwardMarker") == "kept", "the page was loaded again"
    assert axe_violations(page) == []
    screenshot(page, "backward-A1-after-change")

    form = action_form(page, "a2")
    form.get_by_label("a1 Write the huddle checklist").uncheck()
    form.get_by_role("button", name="Save a2").click()
    expect(verdict(page)).to_contain_text("3 days late")
    expect(verdict(page)).to_contain_text("Critical: a2.")
    a2 = dates_row(page, "a2")
    assert cells(a2)[2] == "2026-06-15"
    assert cells(a2)[-1] == NOTHING  # requires nothing now
    assert cells(dates_row(page, "a1"))[6] == "11 days"

    form = action_form(page, "a2")
    form.get_by_label("a1 Write the huddle checklist").check()
    form.get_by_role("button", name="Save a2").click()
    expect(verdict(page)).to_contain_text("8 days late")
    expect(verdict(page)).to_contain_text("Critical: a1, a2.")
    assert page.evaluate("() => window.backwardMarker") == "kept"

    # The other tab still shows version 1 of a2: its change is refused, nothing is lost.
    stale_form = action_form(stale, "a2")
    stale_form.get_by_label("Duration (days)").fill("20")
    stale_form.get_by_role("button", name="Save a2").click()
    expect(stale_form.get_by_role("alert")).to_contain_text("changed meanwhile: reload")
    expect(verdict(stale)).to_contain_text("8 days late")
    stale.close()


def test_a_cycle_is_refused_and_a_plain_form_post_comes_back(fresh_server: str, page: Page) -> None:
    """a2 requires a1, so a1 requiring a2 closes a cycle: refused next to the field, the
    schedule as it was. Then the form as a browser without JavaScript posts it (no HX-Request
    header): a redirect back to the timeline, which shows a2 at 50 days (8 days late)."""
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}{A1}")
    form = action_form(page, "a1")
    form.get_by_label("a2 Roll out huddles to every ward").check()
    form.get_by_role("button", name="Save a1").click()
    alert = action_form(page, "a1").get_by_role("alert")
    expect(alert).to_contain_text("cycle: a1 -> a2 -> a1")
    expect(verdict(page)).to_contain_text("on time, 11 days of slack")
    assert axe_violations(page) == []

    version = action_form(page, "a2").locator("input[name=version]").input_value()
    target = action_form(page, "a2").locator("xpath=..").get_attribute("action")
    answer = page.request.post(
        f"{fresh_server}{target}",
        form={
            "csrf_token": page_token(page),
            "version": version,
            "duration_days": "50",
            "requires": "a1",
        },
        max_redirects=0,
    )
    assert answer.status == 303
    assert answer.headers["location"] == A1
    page.goto(f"{fresh_server}{A1}")
    expect(verdict(page)).to_contain_text("8 days late")


def test_a_contributor_is_refused_in_place_for_an_action_not_theirs(
    server: str, page: Page
) -> None:
    """Ben owns a1 and a2, not a3 (Ana's, of no unit): saving a3 says why, in its form."""
    sign_in(page, server, BEN)
    page.goto(f"{server}{B1}")
    form = action_form(page, "a3")
    form.get_by_label("Duration (days)").fill("30")
    form.get_by_role("button", name="Save a3").click()
    expect(action_form(page, "a3").get_by_role("alert")).to_contain_text(
        "a contributor cannot change action a3"
    )
    expect(verdict(page)).to_contain_text("13 days late")


def small_chains() -> Chains:
    """The backward pages' lookups for examples/small.yaml as of 2026-06-15."""
    plan = read_plan(SMALL_PLAN)
    return chains(Analysed(1, plan, analyze(plan, date(2026, 6, 15))))


def test_the_index_puts_late_objectives_first_and_filters_without_a_browser() -> None:
    """B1 (slack -13) before A1 (slack 11); T1 has no action, so no chain, so no row."""
    found = small_chains()
    assert found.late_first == ["B1", "A1"]
    assert filtered(found, {}) == ["B1", "A1"]
    assert filtered(found, {"late": "1"}) == ["B1"]
    assert filtered(found, {"unit": "ward-a"}) == ["A1"]  # B1 has no unit
    assert filtered(found, {"owner": "ana", "level": "breakthrough"}) == ["B1"]
    assert filtered(found, {"owner": "ben", "late": "1"}) == []
    assert filtered(found, {"unit": "no-such-unit"}) == []


def test_a_chain_is_what_serves_the_objective_and_what_that_requires() -> None:
    """A1: a1 and a2 serve it (a2 requires a1, already in); B1: a3 alone."""
    found = small_chains()
    assert chain(found, "A1") == ["a1", "a2"]
    assert chain(found, "B1") == ["a3"]
    assert chain(found, "T1") == []


@pytest.fixture
def clinic(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """examples/small.yaml as 'clinic' with a viewer 'vic', served in-process (no browser)."""
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(session, slug="clinic", name="Clinic", plan=read_plan(SMALL_PLAN))
        for name, role in (("vic", "viewer"), ("eve", "editor")):
            account.add_user(
                session,
                email=f"{name}@clinic.example",
                password=PASSWORD,
                actor="tests",
                origin="tests",
            )
            account.set_role(
                session,
                email=f"{name}@clinic.example",
                org_slug="clinic",
                role=role,
                actor="tests",
                origin="tests",
            )
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def as_user(client: TestClient, name: str) -> None:
    data = {"email": f"{name}@clinic.example", "password": PASSWORD}
    assert client.post("/signin", data=data).url.path == "/orgs/clinic/"


def test_a_viewer_reads_the_timeline_without_forms_and_cannot_post(clinic: TestClient) -> None:
    as_user(clinic, "vic")
    page = clinic.get(A1)
    assert page.status_code == 200
    assert "11 days of slack" in page.text
    assert 'name="duration_days"' not in page.text
    refused = clinic.post(
        "/orgs/clinic/backward/A1/actions/a2?as_of=2026-06-15",
        data={"version": "1", "duration_days": "50", "requires": "a1"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 200  # htmx swaps the timeline with the refusal in place
    assert "a viewer cannot change action a2" in refused.text
    assert "11 days of slack" in refused.text  # nothing changed


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ten", "&#39;ten&#39; is not a whole number of days"),
        ("-5", "&#39;-5&#39; is not a whole number of days"),
        ("0", "must be at least 1 day"),
    ],
)
def test_a_bad_duration_is_named_next_to_its_field(
    clinic: TestClient, typed: str, message: str
) -> None:
    """Without JavaScript the page comes back (422) with the typed value and the reason."""
    as_user(clinic, "eve")
    answer = clinic.post(
        "/orgs/clinic/backward/A1/actions/a2?as_of=2026-06-15",
        data={"version": "1", "duration_days": typed, "requires": "a1"},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert f'id="dur-problem-a2" role="alert">{message}</span>' in answer.text
    assert f'value="{typed}"' in answer.text
    assert "11 days of slack" in answer.text


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("owner=ben", ["A1"]),  # a picker sends the id
        ("owner=Ben+Ode", ["A1"]),  # a name typed without the picker's script
        ("owner=ANA+LIMA", ["B1"]),  # case aside
        ("unit=Ward+A", ["A1"]),  # B1 has no unit
        ("unit=ward-a&owner=ana", []),
        ("owner=Ben", []),  # part of a name names no one: nothing matches
    ],
)
def test_the_filters_take_ids_or_exact_names(
    clinic: TestClient, query: str, listed: list[str]
) -> None:
    """The index's unit and owner filters, by id or exact name; the rows name the owners."""
    as_user(clinic, "vic")
    page = clinic.get(f"{INDEX}&{query}")
    assert page.status_code == 200
    rows = re.findall(r'<th scope="row"><a href="/orgs/clinic/backward/([A-Z0-9]+)\?', page.text)
    assert rows == listed
    if listed == ["A1"]:
        assert "<td>Ben Ode</td>" in page.text


def test_an_unknown_objective_or_action_is_not_found(clinic: TestClient) -> None:
    as_user(clinic, "eve")
    assert clinic.get("/orgs/clinic/backward/Z9").status_code == 404
    missing = clinic.post("/orgs/clinic/backward/A1/actions/z9", data={"version": "1"})
    assert missing.status_code == 404
    assert clinic.get("/orgs/clinic/backward?page=0").status_code == 422
