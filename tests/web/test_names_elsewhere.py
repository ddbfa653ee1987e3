"""People and units by name on the annual review, its carry forward and the backward plan,
in a real browser on examples/small.yaml (the people: ana "Ana Lima" of the clinic, ben
"Ben Ode" of Ward A; the units: clinic "Riverside Clinic" and ward-a "Ward A").

A1 (owner ben, unit ward-a) is the only annual objective of 2026 not achieved
(tests/web/test_annual.py), so the carry forward of 2026 holds its one draft, A1-2027,
with A1's owner and unit. The backward plan as of 2026-06-15 lists B1 (owner ana) and A1
(owner ben), the only objectives that actions serve (tests/web/test_backward.py).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, fits_the_width, screenshot, sign_in

CARRY = "/orgs/clinic/reviews/annual/2026/carry-forward?as_of=2027-01-15"
YEAR_2027 = "/orgs/clinic/reviews/annual/2027?as_of=2027-01-15"
BACKWARD = "/orgs/clinic/backward?as_of=2026-06-15"


def test_a_drafts_owner_is_chosen_by_name_and_the_backward_plan_names_owners(
    fresh_server: str, page: Page
) -> None:
    """The draft's owner, Ben Ode, becomes Ana Lima by typing "lim" (in her name only);
    A1-2027 is created with owner ana, which the 2027 review shows as Ana Lima. The
    backward plan names B1's owner Ana Lima and A1's Ben Ode; its owner filter chosen by
    typing "ode" keeps A1 alone (owner=ben in the address)."""
    server = fresh_server
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{CARRY}")
    owner = page.get_by_role("combobox", name="Owner")
    expect(owner).to_have_value("Ben Ode")
    expect(page.get_by_role("combobox", name="Unit")).to_have_value("Ward A")
    owner.fill("")
    owner.press_sequentially("lim")
    options = page.locator("#A1-owner-list [role=option]")
    expect(options).to_have_text(["Ana Lima — Riverside Clinic ana"])
    owner.press("ArrowDown")
    expect(owner).to_have_attribute("aria-activedescendant", "A1-owner-list-1")
    assert axe_violations(page) == []
    screenshot(page, "names-carry-owner-open")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "names-carry-owner-open-phone")
    assert fits_the_width(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    owner.press("Enter")
    expect(owner).to_have_value("Ana Lima — Riverside Clinic")  # the option's label
    page.get_by_role("button", name=re.compile("^Create the ticked")).click()
    expect(page.get_by_role("status").filter(has_text="Carried forward")).to_contain_text("A1-2027")

    page.goto(f"{server}{YEAR_2027}")
    carried = page.locator("#r-A1-2027 header p")
    expect(carried).to_contain_text("owner Ana Lima")
    expect(carried).to_contain_text("unit Ward A")
    expect(page.locator("#r-B1 header p")).to_contain_text("owner Ana Lima")  # B1 runs on

    page.goto(f"{server}{BACKWARD}")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.nth(1).get_by_role("rowheader")).to_contain_text("B1")
    expect(rows.nth(1).get_by_role("cell").nth(1)).to_have_text("Ana Lima")
    expect(rows.nth(2).get_by_role("cell").nth(1)).to_have_text("Ben Ode")
    filter_owner = page.get_by_role("combobox", name="Owner")
    filter_owner.press_sequentially("ode")
    expect(page.locator("#f-owner-list [role=option]")).to_have_text(["Ben Ode — Ward A ben"])
    filter_owner.press("ArrowDown")
    filter_owner.press("Enter")
    expect(filter_owner).to_have_value("Ben Ode — Ward A")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"[?&]owner=ben(&|$)"))
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)  # header and A1
    expect(page.get_by_role("link", name=re.compile("^A1 "))).to_be_visible()
    expect(page.get_by_role("combobox", name="Owner")).to_have_value("Ben Ode")
    assert axe_violations(page) == []
    screenshot(page, "names-backward-filtered")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "names-backward-filtered-phone")
    assert fits_the_width(page)


def test_without_the_script_a_drafts_owner_is_taken_by_exact_name(
    fresh_server: str, page_without_script: Page
) -> None:
    """A second "Ana Lima" (ana-2, of Ward A) joins the plan; the draft's owner typed
    "Ana Lima" names both: refused next to the field listing them (plan order: ana, then
    ana-2 added last), nothing created, what was typed kept. Then the id ana-2 typed is
    taken, and so is the unit typed "ward a" (Ward A's name, case aside)."""
    page = page_without_script
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/plan/people/new")
    page.get_by_label("Name").fill("Ana Lima")
    page.get_by_label("Id", exact=True).fill("ana-2")
    page.get_by_label("Unit").fill("ward-a")
    page.locator("form.edit button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/plan/people/ana-2\?saved=1$"))

    page.goto(f"{server}{CARRY}")
    page.get_by_label("Owner").fill("Ana Lima")
    page.get_by_label("Unit").fill("ward a")
    page.get_by_role("button", name=re.compile("^Create the ticked")).click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was created")
    expect(page.locator("#p-A1-owner")).to_have_text(
        "'Ana Lima' is the name of several people: Ana Lima — Riverside Clinic (id ana), "
        "Ana Lima — Ward A (id ana-2); choose one by its id"
    )
    expect(page.get_by_label("Owner")).to_have_value("Ana Lima")
    expect(page.get_by_label("Owner")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Owner").fill("ana-2")
    page.get_by_role("button", name=re.compile("^Create the ticked")).click()
    expect(page.get_by_role("status").filter(has_text="Carried forward")).to_contain_text("A1-2027")
    page.goto(f"{server}{YEAR_2027}")
    carried = page.locator("#r-A1-2027 header p")
    expect(carried).to_contain_text("owner Ana Lima")
    expect(carried).to_contain_text("unit Ward A")
