"""A unit's lead and a metric's owner chosen in the plan's forms, in a real browser on
examples/small.yaml (people: ana "Ana Lima" of the clinic, ben "Ben Ode" of Ward A; units:
clinic "Riverside Clinic" and ward-a "Ward A", of the clinic; no unit has a lead; B1 is
ana's and measured by falls, which has no owner of its own)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, fits_the_width, screenshot, sign_in

PLAN = "/orgs/clinic/plan"


def save(page: Page) -> None:
    """Clicks the form's Save (or Create) button."""
    page.locator("form.edit button[type=submit]").click()


def test_a_units_lead_and_a_metrics_owner_are_chosen_by_name(fresh_server: str, page: Page) -> None:
    """Ward A's lead: "lim" finds Ana Lima alone; the plan's units then say Ana Lima for
    Ward A and nothing for the clinic (no lead, nothing above it). falls' owner: "ode"
    finds Ben Ode alone; B1's page then says Ben Ode enters falls' actuals."""
    server = fresh_server
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/units/ward-a")
    lead = page.get_by_role("combobox", name="Lead")
    expect(lead).to_have_value("")
    lead.press_sequentially("lim")
    expect(page.locator("#f-lead-list [role=option]")).to_have_text(
        ["Ana Lima — Riverside Clinic ana"]
    )
    lead.press("ArrowDown")
    assert axe_violations(page) == []
    screenshot(page, "unit-lead-open")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "unit-lead-open-phone")
    assert fits_the_width(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    lead.press("Enter")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_role("combobox", name="Lead")).to_have_value(re.compile("^Ana Lima"))

    page.goto(f"{server}{PLAN}")
    units = page.locator("section").filter(has=page.get_by_role("heading", name="Units"))
    rows = units.locator("tbody tr")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("Ana Lima")
    screenshot(page, "plan-units-leads")

    page.goto(f"{server}{PLAN}/metrics/falls")
    owner = page.get_by_role("combobox", name="Owner")
    expect(page.locator(".field").filter(has=owner)).to_contain_text(
        "empty: the objective's owner, Ana Lima."
    )
    owner.press_sequentially("ode")
    expect(page.locator("#f-owner-list [role=option]")).to_have_text(["Ben Ode — Ward A ben"])
    owner.press("ArrowDown")
    assert axe_violations(page) == []
    screenshot(page, "metric-owner-open")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "metric-owner-open-phone")
    assert fits_the_width(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    owner.press("Enter")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")

    page.goto(f"{server}/orgs/clinic/objectives/B1?as_of=2026-06-15")
    expect(page.locator(".metric-owner")).to_have_text("Actuals entered by Ben Ode")
    expect(page.locator("#history-section")).to_contain_text(
        "set the owner of the metric Patient falls per month to Ben Ode"
    )
    screenshot(page, "objective-metric-owner")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "objective-metric-owner-phone")
    assert fits_the_width(page)


def test_without_the_script_a_lead_and_an_owner_are_typed_by_name(
    fresh_server: str, page_without_script: Page
) -> None:
    """A lead who is no person of the plan (zed) is refused at the field, what was typed
    kept; "ben ode" (Ben Ode's name, case aside) is taken for ben. A metric added on A1's
    page with the owner typed "Ana Lima" is hers; huddles (no owner of its own) stays A1's
    owner's."""
    page, server = page_without_script, fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/units/clinic")
    page.get_by_label("Lead").fill("zed")
    save(page)
    lead = page.get_by_label("Lead")
    expect(lead).to_have_value("zed")
    expect(lead).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field").filter(has=lead)).to_contain_text("unknown person 'zed'")
    lead.fill("ben ode")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_label("Lead")).to_have_value("ben")  # the id, which the script names

    page.goto(f"{server}/orgs/clinic/objectives/A1?add=metric&as_of=2026-06-15")
    form = page.locator("#add-metric form")
    form.get_by_label("Name", exact=True).fill("Beds checked")
    form.get_by_label("Baseline", exact=True).fill("0")
    form.get_by_label("Baseline month").fill("2026-01")
    form.get_by_label("Target", exact=True).fill("100")
    form.get_by_label("Target month").fill("2026-12")
    expect(form).to_contain_text("empty: the objective's owner, Ben Ode.")
    form.get_by_label("Owner").fill("Ana Lima")
    form.get_by_role("button", name="Add metric").click()
    owners = page.locator(".metric-owner")
    expect(owners).to_have_text(
        ["Actuals entered by Ben Ode (the objective's owner)", "Actuals entered by Ana Lima"]
    )
