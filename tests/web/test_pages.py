"""The pages in a real browser, against a real server holding examples/small.yaml.

The figures are those worked out by hand in tests/cli/test_check.py; each test repeats the
ones it relies on. Every page is checked with axe-core (no serious or critical violation)
and saved as build/screenshots/<name>.png for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .web_support import ADMIN, BEN, ORG_NAME, axe_violations, screenshot, sign_in

TRUE_NORTH = "/orgs/clinic/?as_of=2026-06-15"
OBJECTIVE_T1 = "/orgs/clinic/objectives/T1?as_of=2026-07-10"
CHECK_IN = "/orgs/clinic/check-in?as_of=2026-07-10"


def section(page: Page, heading: str) -> Locator:
    """The <section> whose heading is heading."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def site_nav(page: Page) -> Locator:
    """The navigation that links to the organisation's pages."""
    return page.get_by_role("navigation").filter(
        has=page.get_by_role("link", name="True north", exact=True)
    )


def word(text: str) -> re.Pattern[str]:
    """Matches text as whole words, in any case (a status may carry a symbol too)."""
    return re.compile(rf"(^|\W){re.escape(text)}(\W|$)", re.IGNORECASE)


def test_signin_form_refuses_a_wrong_password(server: str, page: Page) -> None:
    """A wrong password re-renders the form with an alert; no session is made."""
    page.goto(f"{server}/signin")
    expect(page.get_by_label("Email", exact=True)).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "signin")

    page.get_by_label("Email", exact=True).fill(ADMIN)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        re.compile("wrong email or password", re.IGNORECASE)
    )
    expect(page.get_by_label("Email", exact=True)).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    assert urlsplit(page.url).path == "/signin"
    assert axe_violations(page) == []


@pytest.mark.parametrize("email", [ADMIN, BEN])
def test_signin_lands_on_the_first_organisations_true_north(
    server: str, page: Page, email: str
) -> None:
    """Both users belong to clinic only, so that is their first organisation."""
    sign_in(page, server, email)
    expect(page).to_have_url(f"{server}/orgs/clinic/")


@pytest.mark.parametrize("path", [TRUE_NORTH, OBJECTIVE_T1, CHECK_IN])
def test_every_signed_in_page_has_the_layout(server: str, page: Page, path: str) -> None:
    """<main>, one <h1>, a banner with the user's email and Sign out, nav to both pages.

    Ben (a contributor) may read every page, and these only read.
    """
    sign_in(page, server, BEN)
    page.goto(f"{server}{path}")
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(BEN)
    expect(banner.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    navigation = site_nav(page)
    expect(navigation.get_by_role("link", name="True north", exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Check-in", exact=True)).to_be_visible()


def test_nav_links_lead_to_both_pages_and_sign_out_ends_the_session(
    server: str, page: Page
) -> None:
    """Check-in and True north are the clinic's pages; Sign out is a POST to /signout."""
    sign_in(page, server, BEN)
    navigation = site_nav(page)
    navigation.get_by_role("link", name="Check-in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/orgs/clinic/check-in(\?.*)?$"))
    navigation.get_by_role("link", name="True north", exact=True).click()
    expect(page).to_have_url(re.compile(r"/orgs/clinic/(\?.*)?$"))

    sign_out = page.get_by_role("button", name="Sign out", exact=True)
    form = page.get_by_role("banner").locator("form").filter(has=sign_out)
    expect(form).to_have_attribute("method", re.compile("^post$", re.IGNORECASE))
    expect(form).to_have_attribute("action", re.compile(r"/signout$"))
    sign_out.click()
    expect(page).to_have_url(f"{server}/signin")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


def test_true_north_shows_vision_counts_breakthroughs_and_findings(server: str, page: Page) -> None:
    """As of 2026-06-15 (tests/cli/test_check.py): the latest actuals are May's.

    T1 red (trained 10 of a planned 20: progress 0.25 vs 0.5); A1 amber (0.425 vs 0.5);
    B1 amber: falls (0.6 | 2/3) and A1 (0.425 | 0.5) weigh 1 each -> 0.5125 vs 0.58333,
    shown rounded as "progress 51%, planned 58%". So green 0, amber 2, red 1. The only
    finding is infeasible_schedule on B1: a3 needs 60 days by 07-31 but starts 06-15,
    13 days late. The vision and its 2030 horizon come from the plan file.
    """
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{TRUE_NORTH}")
    expect(page.locator("h1")).to_have_text(ORG_NAME)

    vision = section(page, "Vision")
    expect(vision).to_contain_text("No patient is harmed by the care meant to heal them")
    expect(vision).to_contain_text("2030")

    counts = page.locator(".count")
    for count in ("Green 0", "Amber 2", "Red 1"):
        expect(counts.filter(has_text=word(count))).to_have_count(1)

    breakthroughs = page.locator("article.breakthrough")
    expect(breakthroughs).to_have_count(1)
    b1 = breakthroughs.first
    links = b1.locator("a").evaluate_all("links => links.map((link) => link.href)")
    assert "/orgs/clinic/objectives/B1" in [urlsplit(link).path for link in links]
    expect(b1.locator(".status").first).to_have_text(word("amber"))
    expect(b1.get_by_role("img", name="progress 51%, planned 58%", exact=True)).to_be_visible()

    attention = section(page, "Needs attention")
    expect(attention).to_contain_text("infeasible_schedule")
    expect(attention).to_contain_text("B1")

    assert axe_violations(page) == []
    screenshot(page, "true-north")


# The May column and the "actual" row of a bowling chart table, read in the browser: the
# header cell "May" (or "2026-05") gives the column, the row whose first cell is "actual".
_MAY_ACTUAL_CELL = """(table) => {
  const rows = [...table.rows];
  const label = (cell) => cell.textContent.trim().toLowerCase();
  let column = -1;
  for (const row of rows) {
    column = [...row.cells].findIndex((cell) => ["may", "2026-05"].includes(label(cell)));
    if (column >= 0) break;
  }
  const actual = rows.find((row) => row.cells.length && label(row.cells[0]) === "actual");
  if (column < 0 || !actual || !actual.cells[column]) return null;
  const cell = actual.cells[column];
  return {
    text: cell.textContent,
    classes: [...cell.classList],
    label: (cell.getAttribute("aria-label") || "") + " " + (cell.getAttribute("title") || ""),
  };
}"""


def test_objective_page_shows_status_and_bowling_chart(server: str, page: Page) -> None:
    """As of 2026-07-10 the as-of month is July and June has no actual yet, so T1 is judged
    on May: trained 10 against a planned 20 (0 in 2026-01 -> 40 in 2026-09, 4 of 8
    months), deviation -10/40 = -0.25 beyond the 0.10 tolerance -> red; May's actual cell
    reads 10 and is red.
    """
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{OBJECTIVE_T1}")
    expect(page.locator("h1")).to_contain_text("T1")
    status = page.locator("#objective-status")
    expect(status).to_contain_class("status")
    expect(status).to_have_text(word("red"))

    chart = page.get_by_role("table", name=re.compile(r"^Bowling chart")).first
    expect(chart).to_be_visible()
    cell: dict[str, Any] | None = chart.evaluate(_MAY_ACTUAL_CELL)
    assert cell is not None, "no May column or no row 'actual' in the bowling chart"
    assert re.search(r"(^|\D)10(\D|$)", cell["text"]), cell
    assert "rag-red" in cell["classes"], cell
    # Without colour: the cell says "red" or shows the red symbol, in text or a label.
    assert re.search(r"red|■", cell["text"] + cell["label"], re.IGNORECASE), cell

    assert axe_violations(page) == []
    screenshot(page, "objective")


def test_check_in_saves_in_place_and_turns_t1_green(fresh_server: str, page: Page) -> None:
    """Ben owns A1 (huddles: "Ward days with a huddle") and T1 (trained: "Nurses trained");
    falls ("Patient falls per month") is Ana's. As of 2026-07-10 the month due is 2026-06.
    June's plan for trained is 40 * 5/8 = 25, so 25 is on plan: deviation 0 -> green, and
    T1, which only trained measures, turns green (progress 0.625 vs 0.625).
    This test changes the data: it has a server of its own.
    """
    server = fresh_server
    sign_in(page, server, BEN)
    page.goto(f"{server}{CHECK_IN}")
    table = page.get_by_role("table").first
    expect(table).to_contain_text("Ward days with a huddle")
    expect(table).to_contain_text("Nurses trained")
    expect(page.get_by_text("Patient falls per month")).to_have_count(0)
    huddles = page.get_by_role("spinbutton", name="Ward days with a huddle, 2026-06", exact=True)
    expect(huddles).to_be_visible()
    trained = page.get_by_role("spinbutton", name="Nurses trained, 2026-06", exact=True)
    expect(trained).to_be_visible()
    assert axe_violations(page) == []

    # A page load would drop this mark: saving must happen in place.
    page.evaluate("() => { window.hoshinNoReload = true; }")
    trained.fill("25")
    trained.press("Enter")
    row = page.get_by_role("row").filter(has_text="Nurses trained")
    expect(row).to_contain_text(re.compile("saved", re.IGNORECASE))
    expect(row).to_contain_text(word("green"))
    assert page.evaluate("() => window.hoshinNoReload === true"), "the page was loaded again"
    assert axe_violations(page) == []
    screenshot(page, "check-in")

    page.goto(f"{server}{OBJECTIVE_T1}")
    expect(page.locator("#objective-status")).to_have_text(word("green"))
