"""In the browser: the forms that htmx opens in place on the objective page, the monthly
review and a countermeasure's box choose their owner by typing part of a name (static/
picker.js enhances them as they arrive), and a metric added in place has its chart drawn
without the page being loaded again.

examples/small.yaml as of 2026-07-10: people ana "Ana Lima" (unit Riverside Clinic) and
ben "Ben Ode" (Ward A); T1 "Train 40 nurses..." is ben's, has the metric trained and no
action; cm1 answers trained in 2026-05, owner ana. Of the two, only "Ana Lima" holds "lim"
and only "Ben Ode" holds "od", so each typed part lists one person."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, ViewportSize, expect

from .web_support import ADMIN, BEN, axe_violations, fits_the_width, screenshot, sign_in

T1 = "/orgs/clinic/objectives/T1?as_of=2026-07-10"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1440, "height": 900}
ANA = "Ana Lima — Riverside Clinic"  # a person's label in the picker: name — unit
BEN_ODE = "Ben Ode — Ward A"


def _choose(page: Page, owner: Locator, typed: str, option: str) -> None:
    """Empties the owner's picker, types part of a name and chooses its one match by
    keyboard (ArrowDown marks it, Enter chooses it without submitting the form)."""
    owner.fill("")
    owner.press_sequentially(typed)
    listbox = page.locator(f"#{owner.get_attribute('aria-controls')}")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option")).to_contain_text(option)
    owner.press("ArrowDown")
    owner.press("Enter")
    expect(owner).to_have_value(option)
    expect(owner).to_have_attribute("aria-expanded", "false")


def test_an_action_added_in_place_is_owned_by_a_person_chosen_by_name(
    fresh_server: str, page: Page
) -> None:
    """The add form opens with T1's owner, Ben Ode, in a combobox; "lim" chooses Ana Lima,
    and the action comes back in the actions' table as hers, on the same page."""
    page.set_viewport_size(PHONE)
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}{T1}")
    section = page.locator("#actions-section")
    section.get_by_role("link", name="Add action").click()
    form = section.locator("form.add-form")
    owner = form.get_by_role("combobox", name="Owner")
    expect(owner).to_have_value("Ben Ode")
    form.get_by_label("Title", exact=True).fill("Run two training sessions a week")
    form.get_by_label("Due").fill("2026-08-31")
    owner.fill("")
    owner.press_sequentially("lim")
    expect(form.get_by_role("listbox", name="Matches").get_by_role("option")).to_have_text(
        [f"{ANA} ana"]
    )
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "in-place-action-owner-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "in-place-action-owner")
    owner.press("ArrowDown")
    owner.press("Enter")
    expect(owner).to_have_value(ANA)
    form.get_by_role("button", name="Add action").click()
    row = section.get_by_role("row").filter(has_text="Run two training sessions a week")
    expect(row).to_contain_text("Ana Lima")
    assert page.url.endswith(T1)


def test_a_countermeasure_is_added_and_handed_on_by_name_in_place(
    fresh_server: str, page: Page
) -> None:
    """Ben adds a countermeasure for trained owned by Ana Lima ("lim"), then opens it in
    place and hands it to himself ("od"): its line names each owner in turn."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, fresh_server, BEN)
    page.goto(f"{fresh_server}{T1}")
    section = page.locator("#countermeasures-section")
    section.get_by_role("link", name="Add countermeasure").click()
    form = section.locator("form.add-form")
    owner = form.get_by_role("combobox", name="Owner")
    expect(owner).to_have_value("Ben Ode")  # T1's owner
    form.get_by_label("Cause").fill("Two trainers left in May")
    form.get_by_label("Action").fill("Hire two trainers")
    _choose(page, owner, "lim", ANA)
    form.get_by_role("button", name="Add countermeasure").click()
    item = section.locator("#cm-cm-trained-2026-05")
    expect(item).to_contain_text("owner Ana Lima")

    item.get_by_role("link", name="Update cm-trained-2026-05").click()
    owner = item.get_by_role("combobox", name="Owner")
    expect(owner).to_have_value("Ana Lima")  # the saved id, shown by name
    _choose(page, owner, "od", BEN_ODE)
    assert axe_violations(page) == []
    screenshot(page, "in-place-countermeasure-owner")
    item.get_by_role("button", name="Save cm-trained-2026-05").click()
    expect(item).to_contain_text("owner Ben Ode")
    assert page.url.endswith(T1)


def test_the_review_hands_a_countermeasure_on_by_name(fresh_server: str, page: Page) -> None:
    """cm1 (Ana Lima's) opened in place on the review of May at 390 px goes to Ben Ode."""
    page.set_viewport_size(PHONE)
    sign_in(page, fresh_server, BEN)
    review = "/orgs/clinic/reviews/monthly/ward-a/2026-05?as_of=2026-07-10"
    page.goto(f"{fresh_server}{review}")
    item = page.locator("#cm-cm1")
    expect(item).to_contain_text("owner Ana Lima")
    item.get_by_role("link", name="Update cm1").click()
    owner = item.get_by_role("combobox", name="Owner")
    expect(owner).to_have_value("Ana Lima")
    owner.fill("")
    owner.press_sequentially("od")
    expect(item.get_by_role("listbox", name="Matches").get_by_role("option")).to_have_text(
        [f"{BEN_ODE} ben"]
    )
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "in-place-review-owner-phone")
    owner.press("ArrowDown")
    owner.press("Enter")
    item.get_by_role("button", name="Save cm1").click()
    expect(item).to_contain_text("owner Ben Ode")
    assert page.url.endswith(review)


def test_a_metric_added_in_place_gets_its_chart_without_a_reload(
    fresh_server: str, page: Page
) -> None:
    """An empty name is refused at its field in place; "Night staff trained" (0 % in 2026-06
    to 100 % in 2026-12) then comes back as T1's second metric with its chart drawn, and the
    page was not loaded again (a mark set on the window before is still there)."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}{T1}")
    page.evaluate("window.stayed = true")
    section = page.locator("#metrics-section")
    section.get_by_role("link", name="Add metric").click()
    form = section.locator("form.add-form")
    form.get_by_role("button", name="Add metric").click()
    expect(section.locator("#add-metric-name-problem")).to_be_visible()
    form = section.locator("form.add-form")
    form.get_by_label("Name", exact=True).fill("Night staff trained")
    form.get_by_label("Unit (e.g. %, days)").fill("%")
    form.get_by_label("Baseline", exact=True).fill("0")
    form.get_by_label("Baseline month").fill("2026-06")
    form.get_by_label("Target", exact=True).fill("100")
    form.get_by_label("Target month").fill("2026-12")
    form.get_by_role("button", name="Add metric").click()
    expect(section.locator("article.metric")).to_have_count(2)
    added = section.locator("article.metric").nth(1)
    expect(added.get_by_role("heading")).to_contain_text("Night staff trained")
    expect(added.locator("figure.metric-chart.drawn svg")).to_be_visible()
    assert page.evaluate("window.stayed === true")  # no reload
    assert page.url.endswith(T1)
    assert axe_violations(page) == []
    screenshot(page, "in-place-metric")
    page.set_viewport_size(PHONE)
    assert fits_the_width(page)
    screenshot(page, "in-place-metric-phone")
    # Its own "Add a countermeasure" opens the form for it.
    added.get_by_role("link", name="Add a countermeasure for Night staff trained").click()
    chosen = page.locator("#add-countermeasure").get_by_label("Metric")
    expect(chosen).to_have_value("night-staff-trained")


def test_a_first_metric_brings_the_countermeasure_form(fresh_server: str, page: Page) -> None:
    """An objective made without a metric offers no countermeasure; its first metric, added
    in place, brings "Add countermeasure" with that metric to choose."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}/orgs/clinic/plan/objectives/new")
    page.get_by_label("Title").fill("Fewer night falls")
    page.get_by_label("Id", exact=True).fill("T2")
    page.locator("form.edit button[type=submit]").click()
    page.goto(f"{fresh_server}/orgs/clinic/objectives/T2?as_of=2026-07-10")
    countermeasures = page.locator("#countermeasures-section")
    expect(countermeasures.get_by_role("link", name="Add countermeasure")).to_have_count(0)
    metrics = page.locator("#metrics-section")
    metrics.get_by_role("link", name="Add metric").click()
    form = metrics.locator("form.add-form")
    form.get_by_label("Name", exact=True).fill("Night falls")
    form.get_by_label("Direction").select_option("decrease")
    form.get_by_label("Baseline", exact=True).fill("12")
    form.get_by_label("Baseline month").fill("2026-06")
    form.get_by_label("Target", exact=True).fill("4")
    form.get_by_label("Target month").fill("2026-12")
    form.get_by_role("button", name="Add metric").click()
    expect(metrics.locator("figure.metric-chart.drawn svg")).to_be_visible()
    countermeasures.get_by_role("link", name="Add countermeasure").click()
    expect(countermeasures.get_by_label("Metric")).to_have_value("night-falls")
