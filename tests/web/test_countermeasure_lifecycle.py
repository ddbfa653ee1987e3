"""In the browser: Ben adds a countermeasure from T1's page, moves it to in progress and
closes it with its effect, all in place; the overdue one is flagged until it is closed.

examples/small.yaml as of 2026-07-10: cm1 (trained, 2026-05, due 2026-06-30, open) is
overdue. trained is red in 2026-05 (plan 0 + 40 x 4/8 = 20, actual 10: (10 - 20) / 40 =
-0.25, beyond the 0.1 tolerance), T1's latest red month: the add form offers it. The new
one is due 2026-07-01, before 2026-07-10: overdue too, until it is closed."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .web_support import ADMIN, BEN, axe_violations, fits_the_width, screenshot, sign_in

T1 = "/orgs/clinic/objectives/T1?as_of=2026-07-10"
NEW = "cm-trained-2026-05"


def test_add_move_on_and_close_a_countermeasure_in_place(fresh_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, fresh_server, BEN)
    page.goto(f"{fresh_server}{T1}")
    section = page.locator("#countermeasures-section")
    expect(section.locator("#cm-cm1")).to_contain_text("overdue since 2026-06-30")

    section.get_by_role("link", name="Add countermeasure").click()
    form = section.locator("form.add-form")
    expect(form.get_by_label("Metric")).to_have_value("trained")
    expect(form.get_by_label("Missed month")).to_have_value("2026-05")
    assert page.url.endswith(T1)  # opened in place: htmx, not a new page
    form.get_by_label("Cause").fill("Two trainers left in May")
    form.get_by_label("Action").fill("Hire two trainers from the north site")
    form.get_by_label("Due").fill("2026-07-01")
    assert axe_violations(page) == []
    screenshot(page, "countermeasure-add")
    form.get_by_role("button", name="Add countermeasure").click()

    item = section.locator(f"#cm-{NEW}")
    expect(item).to_contain_text("overdue since 2026-07-01")
    expect(item).to_contain_text("Hire two trainers from the north site")
    # The metric's own line is taken from the same answer (htmx's out-of-band select).
    expect(page.locator("#ms-trained")).to_contain_text(f"{NEW} (open, overdue)")

    item.get_by_role("link", name=f"Update {NEW}").click()
    item.get_by_label("Status").select_option("in_progress")
    item.get_by_role("button", name=f"Save {NEW}").click()
    expect(item.locator(".cm-status")).to_have_text("in progress")
    expect(item).to_contain_text("overdue since 2026-07-01")  # started is not done

    item.get_by_role("link", name=f"Update {NEW}").click()
    item.get_by_label("Status").select_option("closed")
    item.get_by_role("button", name=f"Save {NEW}").click()
    effect = item.get_by_label("Effect")
    expect(item).to_contain_text("say what it changed: a countermeasure is closed with its effect")
    expect(effect).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    screenshot(page, "countermeasure-close-refused")
    effect.fill("Both hired: 9 nurses trained in June, back on plan")
    item.get_by_role("button", name=f"Save {NEW}").click()
    expect(item.locator(".cm-status")).to_have_text("closed")
    expect(item).to_contain_text("Effect: Both hired: 9 nurses trained in June, back on plan")
    expect(item).not_to_contain_text("overdue")
    expect(page.locator("#ms-trained")).to_contain_text(f"{NEW} (closed)")
    # The history, taken from the same answer, says it in words (newest first; the refused
    # close changed nothing).
    moves = page.locator("#history-section li .what")
    about = f"Ben Ode moved the countermeasure {NEW} for Nurses trained, 2026-05 from"
    expect(moves.nth(0)).to_have_text(
        f"{about} in progress to closed, effect: Both hired: 9 nurses trained in June, back on plan"
    )
    expect(moves.nth(1)).to_have_text(f"{about} open to in progress")
    expect(section.locator("#cm-cm1")).to_contain_text("overdue")  # the other one still is
    assert page.url.endswith(T1)
    assert axe_violations(page) == []
    screenshot(page, "countermeasure-closed")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{fresh_server}{T1}")
    page.locator("#cm-cm1").get_by_role("link", name="Update cm1").click()
    expect(page.locator("#cm-cm1").get_by_label("Effect")).to_be_visible()
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "countermeasure-phone")


def test_the_review_page_flags_and_opens_the_countermeasure(fresh_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, fresh_server, BEN)
    page.goto(f"{fresh_server}/orgs/clinic/reviews/monthly/ward-a/2026-05?as_of=2026-07-10")
    item = page.locator("#cm-cm1")
    expect(item).to_contain_text("overdue since 2026-06-30")
    item.get_by_role("link", name="Update cm1").click()
    item.get_by_label("Status").select_option("in_progress")
    item.get_by_role("button", name="Save cm1").click()
    expect(item.locator(".cm-status")).to_have_text("in progress")
    assert "/reviews/monthly/ward-a/2026-05" in page.url  # back where it was opened
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "countermeasure-review-phone")


def test_an_admin_adds_an_action_to_the_objective_in_place(fresh_server: str, page: Page) -> None:
    """T1 has no action; one added from its page serves T1, owned by T1's owner (Ben Ode,
    shown by name in the owner's picker): the actions' section comes back with it, the page
    is not left."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, fresh_server, ADMIN)
    page.goto(f"{fresh_server}{T1}")
    section = page.locator("#actions-section")
    expect(section).to_contain_text("No action serves it.")
    section.get_by_role("link", name="Add action").click()
    form = section.locator("form.add-form")
    expect(form.get_by_role("combobox", name="Owner")).to_have_value("Ben Ode")
    form.get_by_label("Title", exact=True).fill("Run two training sessions a week")
    form.get_by_label("Due").fill("2026-08-31")
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "objective-add-action-phone")
    form.get_by_role("button", name="Add action").click()
    expect(section.get_by_role("table")).to_contain_text("Run two training sessions a week")
    expect(section.get_by_role("table")).to_contain_text("Ben Ode")
    assert page.url.endswith(T1)
