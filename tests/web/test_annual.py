"""The annual review in a real browser, on examples/small.yaml, as of 2027-01-15.

Fiscal years open in January, so the as-of day lies in fiscal year 2027 (the default) and
2026 is judged as of 2026-12-31. Every latest actual is May's (tests/cli/test_check.py):
huddles 60 vs a planned 50 -> green; trained 10 vs 20 -> red, so T1 is red; A1 = huddles
(0.6 | 0.5) and T1 (0.25 | 0.5), weight 1 each: 0.425 vs 0.5 -> amber, "42% done, 50%
planned" and not achieved. B1, A1 and T1 are all active in 2026, shown breakthrough
first. A1 is the only unfinished annual objective: its draft A1-2027 runs 2027-01 to
2027-12 with huddles-2027 from 60 (the baseline of 2026-12) toward 100 by 2027-12 (the
old target month 2026-10 is past).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in

CHOOSE = "/orgs/clinic/reviews/annual?as_of=2027-01-15"
YEAR_2026 = "/orgs/clinic/reviews/annual/2026?as_of=2027-01-15"


def test_annual_review_reflects_and_carries_a1_forward(fresh_server: str, page: Page) -> None:
    """See each objective's result, write a reflection on A1, carry A1 into 2027 and open
    the new objective."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{CHOOSE}")
    expect(page.get_by_label(re.compile("^Fiscal year"))).to_have_value("2027")
    assert axe_violations(page) == []
    page.get_by_label(re.compile("^Fiscal year")).fill("2026")
    page.get_by_role("button", name="Open the review").click()
    expect(page).to_have_url(re.compile(r"/reviews/annual/2026\?as_of=2027-01-15$"))

    expect(page.locator("h1")).to_have_text("Fiscal year 2026")
    results = page.locator("article.year-result")
    expect(results.locator("h2")).to_have_text([re.compile("^B1 "), re.compile("^A1 "),
                                                 re.compile("^T1 ")])  # fmt: skip
    a1 = page.locator("#r-A1")
    expect(a1.locator(".status").first).to_have_text(re.compile(r"▲\s*amber"))
    expect(a1).to_contain_text("42% done, 50% planned")  # 0.425 rounds half to even
    expect(a1).to_contain_text("✗ not achieved")
    expect(a1.locator("header p")).to_contain_text("owner Ben Ode")  # ben's and ward-a's names
    expect(a1.locator("header p")).to_contain_text("unit Ward A")
    huddles = a1.get_by_role("row").filter(has_text="Ward days with a huddle")
    expect(huddles.get_by_role("cell")).to_have_text(
        [re.compile(r"^60\s+in 2026-05$"), "50", re.compile(r"^100\s+by 2026-10$"),
         re.compile("green"), "no"]
    )  # fmt: skip
    expect(page.locator("#r-T1 .status").first).to_have_text(re.compile(r"■\s*red"))

    page.evaluate("() => { window.hoshinNoReload = true; }")
    a1.get_by_text("Write a reflection on A1").click()
    page.get_by_label("What worked (A1)").fill("The daily huddle became a habit")
    page.get_by_label("What did not (A1)").fill("Training slipped while trainers were away")
    a1.get_by_role("button", name="Save the reflection").click()
    expect(a1.get_by_role("status")).to_have_text("Reflection saved.")
    assert page.evaluate("() => window.hoshinNoReload === true"), "the page was loaded again"
    page.reload()
    expect(page.locator("#r-A1 .reflection")).to_contain_text("The daily huddle became a habit")
    assert axe_violations(page) == []
    screenshot(page, "annual-review")

    page.get_by_role("link", name=re.compile("^Carry forward 1 unfinished")).click()
    expect(page.locator("h1")).to_have_text("Carry forward into 2027")
    expect(page.get_by_label("New id")).to_have_value("A1-2027")
    expect(page.get_by_label(re.compile(r"^Baseline"))).to_have_value("60")
    expect(page.get_by_label("Target", exact=True)).to_have_value("100")
    expect(page.get_by_label("Target month")).to_have_value("2027-12")
    # A1's owner and unit, by name in their pickers (the form sends the ids ben and ward-a)
    expect(page.get_by_role("combobox", name="Owner")).to_have_value("Ben Ode")
    expect(page.get_by_role("combobox", name="Unit")).to_have_value("Ward A")
    # what the draft supports, by id and title (small.yaml's B1)
    expect(
        page.get_by_text(re.compile(r"supports B1 Cut patient falls .* \(weight 1\)"))
    ).to_be_visible()
    page.get_by_label("Title").fill("Run a daily fall-risk huddle on 100% of ward days in 2027")
    assert axe_violations(page) == []
    screenshot(page, "annual-carry-forward")
    page.get_by_role("button", name=re.compile("^Create the ticked")).click()

    created = page.get_by_role("status").filter(has_text="Carried forward")
    created.get_by_role("link", name="A1-2027").click()
    expect(page).to_have_url(re.compile(r"/orgs/clinic/objectives/A1-2027(\?.*)?$"))
    expect(page.locator("h1")).to_have_text(
        "A1-2027 Run a daily fall-risk huddle on 100% of ward days in 2027"
    )
    expect(page.get_by_text("huddles-2027", exact=False).first).to_be_visible()


def test_carry_forward_shows_problems_next_to_fields(fresh_server: str, page: Page) -> None:
    """An id already taken (B1) is refused next to the id field; nothing is created."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/reviews/annual/2026/carry-forward?as_of=2027-01-15")
    page.get_by_label("New id").fill("B1")
    page.get_by_role("button", name=re.compile("^Create the ticked")).click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was created")
    field = page.get_by_label("New id")
    expect(field).to_have_value("B1")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#p-A1-id")).to_contain_text("id 'B1' is taken by an objective")
    assert axe_violations(page) == []
