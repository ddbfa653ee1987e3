"""The assistant in a real browser on examples/small.yaml: typing a title lists where it
belongs and a click links it; a sentence fills the form; the assistant's page. Each at
1440 px and on a 390 px phone, with axe and screenshots (build/screenshots/assist-*.png).

As of 2026-07-10, "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"
is 41 months away: a breakthrough (3 years or more), ending 2029-12. An annual objective
about falls belongs under B1, the plan's one breakthrough objective; linked at weight 1 it
counts 0 until it reports, so B1 goes from 51% to 34% (test_parents_browser.py's sums)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, BEN, axe_violations, fits_the_width, screenshot, sign_in

AS_OF = "as_of=2026-07-10"
HALVE = "Halve warranty claims from 24 per 1,000 pumps each year until Dec 2029"


def test_typing_a_title_suggests_b1_and_a_click_links_it(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/plan/objectives/new?{AS_OF}")
    page.get_by_label("Title").press_sequentially("Check every patient's risk of a fall")
    box = page.locator("#assist-parents")
    expect(box).to_contain_text("Cut patient falls from 40 to 10 a month")
    expect(box).to_contain_text("shares the terms")
    page.get_by_role("button", name="Link to B1").click()
    link = page.get_by_role("combobox", name="New link: objective")
    expect(link).to_have_value(re.compile(r"^B1 Cut patient falls"))
    expect(page.locator("#parents-moves")).to_contain_text("B1 will go from 51% to 34%")
    assert axe_violations(page) == []
    screenshot(page, "assist-objective-parents")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_width(page)
    screenshot(page, "assist-objective-parents-phone")


def test_a_sentence_fills_the_objective_form(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/plan/objectives/new?{AS_OF}")
    page.get_by_label("Draft from a sentence").fill(HALVE)
    page.get_by_role("button", name="Draft", exact=True).click()
    expect(page.get_by_label("Title")).to_have_value(HALVE)
    expect(page.get_by_label("Level")).to_have_value("breakthrough")
    expect(page.get_by_label("End")).to_have_value("2029-12")
    expect(page.locator(".assist-drafted")).to_contain_text("Warranty claims per 1,000 pumps")
    expect(page.locator("#assist-parents")).to_contain_text("supports no other")
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "assist-objective-draft-phone")
    page.get_by_label("Draft from a sentence").fill("Be better")
    page.get_by_role("button", name="Draft", exact=True).click()
    expect(page.locator("#assist-sentence-problem")).to_contain_text("no number to aim at")
    expect(page.get_by_label("Title")).to_have_value(HALVE)  # the form keeps the last draft


def test_the_assistant_page_on_a_desktop_and_a_phone(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, BEN)  # a contributor: advice is for every member
    page.goto(f"{server}/orgs/clinic/plan?{AS_OF}")
    page.get_by_role("link", name="Ask the assistant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assistant")
    page.get_by_label("What to measure").fill(
        "patients waiting too long in the emergency department"
    )
    page.get_by_role("button", name="Search the catalogue").click()
    expect(page.locator(".assist-kpis > li")).to_have_count(10)
    assert axe_violations(page) == []
    screenshot(page, "assist-page")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_width(page)
    screenshot(page, "assist-page-phone")
