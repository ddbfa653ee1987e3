"""Plan editing in a real browser, against a real server holding examples/small.yaml.

The plan (examples/small.yaml): B1 (breakthrough, Ana) <- A1 (annual, Ben, supports B1)
<- T1 (team, Ben, supports A1 with weight 1); actions a1, a2 (requires a1) and a3; the
vision's horizon is 2030 and its values are "Safety first", "Respect", "Learn every day".
Every form is checked with axe-core and the ones named in the brief are saved as
build/screenshots/<name>.png.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from .web_support import ADMIN, BEN, axe_violations, screenshot, sign_in

PLAN = "/orgs/clinic/plan"


def section(page: Page, heading: str) -> Locator:
    """The <section> whose heading is heading."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def problem_of(page: Page, field: Locator) -> Locator:
    """The problem text a field names in aria-describedby (the one shown beside it)."""
    described = field.get_attribute("aria-describedby") or ""
    ids = [name for name in described.split() if name.startswith("p-")]
    assert ids, f"the field names no problem: aria-describedby={described!r}"
    return page.locator(f"[id='{ids[0]}']")


def save(page: Page) -> None:
    """Clicks the form's Save (or Create) button."""
    page.locator("form.edit button[type=submit]").click()


def test_plan_index_finds_objectives_by_title_and_level(server: str, page: Page) -> None:
    """Three objectives: "huddle" is in A1's title only; the team level holds T1 only.
    The sections list units (clinic, ward-a), people (ana, ben) and actions a1-a3."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}")
    expect(page.locator("h1")).to_have_text("Plan")
    objectives = section(page, "Objectives")
    expect(objectives.locator("tbody tr")).to_have_count(3)
    expect(objectives).to_contain_text("1\u20133 of 3")  # an en dash between
    expect(section(page, "Actions").locator("tbody tr")).to_have_count(3)
    expect(section(page, "Units").locator("tbody tr")).to_have_count(2)
    expect(section(page, "People").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="Edit objective A1", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="New objective", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "plan-index")

    objectives.get_by_label("Id or title").fill("HUDDLE")
    objectives.get_by_role("button", name="Find objectives").click()
    found = section(page, "Objectives").locator("tbody tr")
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text("A1")

    objectives = section(page, "Objectives")
    objectives.get_by_label("Id or title").fill("")
    objectives.get_by_label("Level").select_option("team")
    objectives.get_by_role("button", name="Find objectives").click()
    found = section(page, "Objectives").locator("tbody tr")
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text("T1")


def test_plan_index_reads_on_a_phone(server: str, page: Page) -> None:
    """At 390 px wide nothing is wider than the screen."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, ADMIN)
    for path in (PLAN, f"{PLAN}/actions/a2"):
        page.goto(f"{server}{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    screenshot(page, "edit-action-phone")


def test_vision_horizon_and_values_show_on_true_north(fresh_server: str, page: Page) -> None:
    """Horizon 2030 -> 2032, and a fourth value "Kindness" on its own line."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/vision")
    assert axe_violations(page) == []
    page.get_by_label("Horizon").fill("2032")
    values = page.get_by_label("Values")
    expect(values).to_have_value("Safety first\nRespect\nLearn every day")
    values.fill("Safety first\nRespect\nLearn every day\nKindness")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_label("Horizon")).to_have_value("2032")

    page.goto(f"{server}/orgs/clinic/")
    vision = section(page, "Vision")
    expect(vision).to_contain_text("2032")
    expect(vision.get_by_role("list", name="Values").locator("li")).to_have_text(
        ["Safety first", "Respect", "Learn every day", "Kindness"]
    )


def test_new_team_objective_with_a_metric_contributes_to_a1(fresh_server: str, page: Page) -> None:
    """T2 supports A1 with weight 2; with its metric it is listed under A1's contributors
    beside T1 (weight 1)."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}")
    page.get_by_role("link", name="New objective", exact=True).click()
    page.get_by_label("Id", exact=True).fill("T2")
    page.get_by_label("Title").fill("Audit every ward's fall risks monthly")
    page.get_by_label("Level").select_option("team")
    page.get_by_label("Owner").fill("ben")
    page.get_by_label("Unit").fill("ward-a")
    page.get_by_label("Start", exact=True).fill("2026-01")
    page.get_by_label("End", exact=True).fill("2026-12")
    page.get_by_label("New link: objective").fill("A1")  # an id typed, not chosen, is taken
    page.get_by_label("New link: weight").fill("2")
    assert axe_violations(page) == []
    save(page)
    expect(page).to_have_url(re.compile(r"/orgs/clinic/objectives/T2$"))

    page.goto(f"{server}{PLAN}/objectives/T2")
    # the picker shows the objective's id and title
    expect(page.get_by_label("Link 1: objective")).to_have_value(re.compile(r"^A1 Run a daily"))
    expect(page.get_by_label("Link 1: weight")).to_have_value("2")
    assert axe_violations(page) == []
    screenshot(page, "edit-objective")

    page.get_by_role("link", name="Add a metric").click()
    page.get_by_label("Id", exact=True).fill("audits")
    page.get_by_label("Name").fill("Wards audited")
    page.get_by_label("Baseline", exact=True).fill("0")
    page.get_by_label("Baseline month").fill("2026-01")
    page.get_by_label("Target", exact=True).fill("12")
    page.get_by_label("Target month").fill("2026-12")
    assert axe_violations(page) == []
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert urlsplit(page.url).path == f"{PLAN}/metrics/audits"

    page.goto(f"{server}/orgs/clinic/objectives/A1")
    contributors = section(page, "Contributors")
    t2 = contributors.locator("tbody tr").filter(has_text="T2")
    expect(t2).to_have_count(1)
    expect(t2.locator("td").nth(1)).to_have_text("2")


def test_metric_with_target_below_baseline_is_refused_at_the_target(
    fresh_server: str, page: Page
) -> None:
    """An increase metric from 10 down to 5 breaks the rule "direction is increase but the
    target 5 is below the baseline 10"; nothing is saved and the typed values stay."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/objectives/T1/metrics/new")
    page.get_by_label("Id", exact=True).fill("backwards")
    page.get_by_label("Name").fill("Nurses retrained")
    page.get_by_label("Direction").select_option("increase")
    page.get_by_label("Baseline", exact=True).fill("10")
    page.get_by_label("Baseline month").fill("2026-01")
    page.get_by_label("Target", exact=True).fill("5")
    page.get_by_label("Target month").fill("2026-09")
    save(page)

    rule = "direction is increase but the target 5 is below the baseline 10"
    expect(page.get_by_role("alert")).to_contain_text(rule)
    target = page.get_by_label("Target", exact=True)
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(problem_of(page, target)).to_have_text(rule)
    expect(target).to_have_value("5")
    expect(page.get_by_label("Name")).to_have_value("Nurses retrained")
    assert axe_violations(page) == []
    screenshot(page, "edit-metric-error")

    page.get_by_label("Baseline", exact=True).fill("x1")
    save(page)
    baseline = page.get_by_label("Baseline", exact=True)
    expect(problem_of(page, baseline)).to_have_text("'x1' is not a number")

    answer = page.goto(f"{server}{PLAN}/metrics/backwards")
    assert answer is not None and answer.status == 404


def test_a_supports_link_that_closes_a_cycle_is_refused(fresh_server: str, page: Page) -> None:
    """T1 supports A1, A1 supports B1: B1 supporting T1 closes B1 -> T1 -> A1 -> B1."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}/objectives/B1")
    page.get_by_label("New link: objective").fill("T1")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("supports links form a cycle")
    supports = page.get_by_role("group", name="Supports")
    expect(supports).to_have_attribute("aria-invalid", "true")
    expect(problem_of(page, supports)).to_have_text(
        "supports links form a cycle: B1 -> T1 -> A1 -> B1"
    )
    expect(page.get_by_label("New link: objective")).to_have_value(re.compile(r"^T1 "))
    assert axe_violations(page) == []

    page.goto(f"{server}{PLAN}/objectives/B1")
    expect(page.get_by_label("Link 1: objective")).to_have_count(0)


def test_editing_action_a2_requires_and_a_risk(fresh_server: str, page: Page) -> None:
    """a2 requires a1; it now requires a1 and a3, and gets a second risk."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{PLAN}")
    page.get_by_role("link", name="Edit action a2", exact=True).click()
    chosen = page.locator(".picker:has(#f-requires) .picker-chosen li")
    expect(chosen).to_have_text([re.compile(r"^a1 ")])  # a chip per action: id and title
    expect(page.get_by_label("Risk 1", exact=True)).to_have_value("Night shifts skip the huddle")
    page.get_by_label("Requires actions").fill("a3")  # typed, not chosen: sent with the chips
    page.get_by_label("New risk", exact=True).fill("Wards run short of staff")
    page.get_by_label("New risk: contingency").fill("Use the float pool")
    assert axe_violations(page) == []
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(chosen).to_have_text([re.compile(r"^a1 "), re.compile(r"^a3 ")])
    expect(page.get_by_label("Risk 2", exact=True)).to_have_value("Wards run short of staff")
    assert axe_violations(page) == []
    screenshot(page, "edit-action")

    page.get_by_label("Requires actions").fill("a2")
    save(page)
    expect(problem_of(page, page.get_by_label("Requires actions"))).to_contain_text(
        "cannot require itself"
    )


def test_a_stale_form_says_it_changed_meanwhile_and_keeps_the_typing(
    fresh_server: str, page: Page
) -> None:
    """Two tabs read ward-a at the same version; the first saves; the second's save is
    refused with what is saved now, and its typing kept. Deleting ward-a (Ben's unit) is
    refused with the service's reason; a new unit ward-b, which nothing refers to, is
    deleted."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    other = page.context.new_page()
    for tab in (page, other):
        tab.goto(f"{server}{PLAN}/units/ward-a")
    page.get_by_label("Name").fill("Ward A east")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")

    other.get_by_label("Name").fill("Ward A west")
    save(other)
    alert = other.get_by_role("alert")
    expect(alert).to_contain_text("Changed by someone else meanwhile")
    expect(alert).to_contain_text("Ward A east")
    expect(other.get_by_label("Name")).to_have_value("Ward A west")
    assert axe_violations(other) == []
    save(other)  # a second save, now knowing, replaces it
    expect(other.get_by_role("status")).to_contain_text("Saved")
    expect(other.get_by_label("Name")).to_have_value("Ward A west")

    other.get_by_role("button", name="Delete unit").click()
    expect(other.get_by_role("alert")).to_contain_text("unit ward-a cannot be deleted")

    page.goto(f"{server}{PLAN}/units/new")  # a unit nothing refers to can go
    page.get_by_label("Id", exact=True).fill("ward-b")
    page.get_by_label("Name").fill("Ward B")
    page.get_by_label("Parent unit").fill("clinic")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    page.get_by_role("button", name="Delete unit").click()
    expect(page.get_by_role("status")).to_contain_text("Deleted unit ward-b.")
    expect(section(page, "Units").locator("tbody tr")).to_have_count(2)


def test_a_contributor_gets_a_clear_403(server: str, page: Page) -> None:
    """Ben is a contributor: he reads the plan index but gets no form."""
    sign_in(page, server, BEN)
    answer = page.goto(f"{server}{PLAN}/vision")
    assert answer is not None and answer.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.get_by_role("alert")).to_contain_text("Only editors and admins")
    page.goto(f"{server}{PLAN}")
    expect(page.get_by_role("link", name="Edit objective A1")).to_have_count(0)
