"""The objective form tells, before saving, how its parents' progress will move: in a real
browser on examples/small.yaml as of 2026-07-10.

B1 = its own metric falls (progress 0.6) and A1 (0.425), weight 1 each: 0.5125, "51%". A
new objective linked to B1 at weight 1 counts 0 until it reports: (0.6 + 0.425 + 0) / 3
= 0.3417, "34%"."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in


def test_linking_a_new_objective_to_b1_tells_b1_will_drop_until_it_reports(
    fresh_server: str, page: Page
) -> None:
    server = fresh_server
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/plan/objectives/new?as_of=2026-07-10")
    moves = page.locator("#parents-moves")
    expect(moves).to_contain_text("Linked to no objective yet")  # asked for on load
    page.get_by_label("Title").fill("Fall-risk check on every admission")
    link = page.get_by_label("New link: objective")
    link.fill("B1")
    link.press("Tab")  # leaving the supports' field asks again
    expect(moves).to_contain_text(
        "once this objective has a metric, B1 will go from 51% to 34% until this objective reports"
    )
    assert axe_violations(page) == []
    screenshot(page, "objective-form-parents")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(page.get_by_role("button", name="Show how they move")).to_be_visible()
    screenshot(page, "objective-form-parents-phone")
    expect(moves).to_have_text(re.compile(r"B1 .*51% to 34%"))
