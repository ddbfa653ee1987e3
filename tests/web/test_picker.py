"""Choosing people, units and objectives by name, in a real browser, on the clinic
(examples/small.yaml: units clinic "Riverside Clinic" and ward-a "Ward A"; people ana
"Ana Lima" and ben "Ben Ode"; objective A1 owned by ben)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, fits_the_width, screenshot, sign_in

PLAN = "/orgs/clinic/plan"


def save(page: Page) -> None:
    """Clicks the form's Save (or Create) button."""
    page.locator("form.edit button[type=submit]").click()


def test_a_new_person_gets_an_id_from_the_name_and_owns_a1_chosen_by_keyboard(
    fresh_server: str, page: Page
) -> None:
    """ "Margaret Okafor" left without an id is margaret-okafor; typing "Okaf" in A1's owner
    lists her (one match: "Margaret Okafor — Ward A"), ArrowDown marks her, Enter chooses,
    and A1 is saved with the owner margaret-okafor."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/people/new")
    page.get_by_label("Name").fill("Margaret Okafor")
    expect(page.get_by_label("Id", exact=True)).to_have_value("margaret-okafor")  # suggested
    unit = page.get_by_role("combobox", name="Unit")
    unit.press_sequentially("ward")
    expect(page.locator("#f-unit-list [role=option]")).to_have_text(["Ward A ward-a"])
    unit.press("ArrowDown")
    unit.press("Enter")
    expect(unit).to_have_value("Ward A")
    save(page)
    expect(page).to_have_url(re.compile(r"/plan/people/margaret-okafor\?saved=1$"))
    expect(page.get_by_role("combobox", name="Unit")).to_have_value("Ward A")

    page.goto(f"{server}{PLAN}/objectives/A1")
    owner = page.get_by_role("combobox", name="Owner")
    expect(owner).to_have_value("Ben Ode — Ward A")  # the name, not the id ben
    owner.fill("")
    owner.press_sequentially("Okaf")
    options = page.get_by_role("listbox", name="Matches").get_by_role("option")
    expect(options).to_have_text(["Margaret Okafor — Ward A margaret-okafor"])
    expect(owner).to_have_attribute("aria-expanded", "true")
    owner.press("ArrowDown")
    expect(owner).to_have_attribute("aria-activedescendant", "f-owner-list-1")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert axe_violations(page) == []
    screenshot(page, "picker-owner-open")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "picker-owner-open-phone")
    assert fits_the_width(page)
    assert axe_violations(page) == []  # the supports' links in lines, their labels shown
    page.set_viewport_size({"width": 1440, "height": 900})
    owner.press("Enter")  # chooses; it does not submit the form
    expect(owner).to_have_value("Margaret Okafor — Ward A")
    expect(owner).to_have_attribute("aria-expanded", "false")
    save(page)
    expect(page).to_have_url(re.compile(r"/orgs/clinic/objectives/A1$"))

    page.goto(f"{server}{PLAN}/objectives/A1")
    expect(page.get_by_role("combobox", name="Owner")).to_have_value("Margaret Okafor — Ward A")
    assert page.locator("input[type=hidden][name=owner]").input_value() == "margaret-okafor"

    # the pages name her, not her id; A1's page names what it supports by id and title
    page.goto(f"{server}/orgs/clinic/objectives/A1")
    expect(page.locator("main")).to_contain_text("owner Margaret Okafor")
    expect(page.locator("main")).to_contain_text("unit Ward A")
    expect(page.get_by_role("link", name=re.compile(r"^B1 Cut patient falls"))).to_be_visible()
    screenshot(page, "objective-names")
    page.goto(f"{server}{PLAN}?oq=A1")
    row = page.locator("section:has(#objectives) tbody tr").filter(has_text="A1")
    expect(row.locator("td").nth(3)).to_have_text("Margaret Okafor")


def test_escape_closes_the_matches_and_a_many_picker_adds_chips(
    fresh_server: str, page: Page
) -> None:
    """Action a3 serves B1 (a chip); typing "nurses" lists T1 only ("Train 40 nurses in fall
    prevention by September 2026"); Escape closes the list without choosing, ArrowDown opens
    it at T1 and Enter adds T1's chip."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/actions/a3")
    serves = page.get_by_role("combobox", name="Serves objectives")
    chips = page.locator(".picker:has(#f-serves) .picker-chosen li")
    expect(chips).to_have_text([re.compile(r"^B1 Cut patient falls")])
    serves.press_sequentially("nurses")
    expect(page.locator("#f-serves-list [role=option]")).to_have_count(1)
    serves.press("Escape")
    expect(serves).to_have_attribute("aria-expanded", "false")
    serves.press("ArrowDown")  # opens the list again, at its first match
    expect(serves).to_have_attribute("aria-activedescendant", "f-serves-list-1")
    serves.press("Enter")
    expect(chips).to_have_text([re.compile(r"^B1 Cut"), re.compile(r"^T1 Train 40 nurses")])
    expect(serves).to_have_value("")
    screenshot(page, "picker-serves-chips")
    assert axe_violations(page) == []


def test_without_the_script_an_exact_name_is_taken_for_an_id(
    fresh_server: str, page_without_script: Page
) -> None:
    """The owner field holds the id ben as typed text; "ana lima" (her name, any case) saves
    A1 with the owner ana; "Nobody" is no one's id or name, and the save says so."""
    page = page_without_script
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}{PLAN}/objectives/A1")
    owner = page.get_by_label("Owner")
    expect(owner).to_have_value("ben")
    owner.fill("ana lima")
    save(page)
    page.goto(f"{fresh_server}{PLAN}/objectives/A1")
    expect(page.get_by_label("Owner")).to_have_value("ana")
    page.get_by_label("Owner").fill("Nobody")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("Nobody")
