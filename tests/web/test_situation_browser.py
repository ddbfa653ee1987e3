"""The current position in a real browser on examples/small.yaml: the plan page links it; an
editor adds a threat, which shows as a gap with the assistant's suggestions; the objective
form ticks it. At 1440 px (a 2x2 grid) and on a 390 px phone (stacked), with axe and
screenshots (build/screenshots/situation-*.png)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .web_support import ADMIN, BEN, axe_violations, fits_the_width, screenshot, sign_in

AS_OF = "as_of=2026-07-10"


def test_the_grid_on_a_desktop_an_added_threat_and_its_suggestions(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/plan?{AS_OF}")
    page.get_by_role("link", name="Current position").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Current position")
    page.get_by_label("Kind").select_option("threat")
    page.get_by_label("Text").fill("Falls on the ward make the local news twice a year")
    page.get_by_role("button", name="Add item").click()
    threats = page.locator(".quadrant-threat")
    expect(threats).to_contain_text("Falls on the ward make the local news")
    expect(threats).to_contain_text("Addressed by no objective")
    # the assistant: B1 (cut patient falls) shares the word and the meaning
    expect(threats.locator(".suggestions")).to_contain_text("B1")
    # a 2x2 grid: weaknesses beside strengths, threats below weaknesses
    strength = page.locator(".quadrant-strength").bounding_box()
    weakness = page.locator(".quadrant-weakness").bounding_box()
    threat = threats.bounding_box()
    assert strength and weakness and threat
    assert abs(strength["y"] - weakness["y"]) < 1 and weakness["x"] > strength["x"]
    assert threat["y"] > weakness["y"] and abs(threat["x"] - weakness["x"]) < 1
    assert axe_violations(page) == []
    screenshot(page, "situation")
    threats.get_by_role("link", name="Edit its addresses").first.click()
    expect(page.locator("#f-addresses")).to_contain_text("Falls on the ward make the local news")
    assert axe_violations(page) == []
    screenshot(page, "situation-objective-addresses")


def test_the_quadrants_stack_on_a_phone(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, BEN)  # a contributor reads it
    page.goto(f"{server}/orgs/clinic/situation?{AS_OF}")
    boxes = [page.locator(f".quadrant-{kind}").bounding_box() for kind in
             ("strength", "weakness", "opportunity", "threat")]  # fmt: skip
    assert all(boxes)
    tops = [box["y"] for box in boxes if box]
    assert tops == sorted(tops) and len(set(tops)) == 4  # one below the other
    expect(page.get_by_role("button", name="Add item")).to_have_count(0)
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "situation-phone")


def test_an_items_form_and_the_refusal_to_delete_what_an_objective_addresses(
    server: str, page: Page
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/situation?{AS_OF}")
    page.locator("#item-w-falls").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Situation item w-falls")
    expect(page.locator(".addressed-by")).to_contain_text("T1 Train 40 nurses")
    page.get_by_role("button", name="Delete item").click()
    expect(page.get_by_role("alert")).to_contain_text("still addressed by objectives T1")
    assert axe_violations(page) == []
    screenshot(page, "situation-item")
