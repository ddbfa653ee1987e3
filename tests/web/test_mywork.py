"""My work in a real browser, as of 2026-07-10, from examples/small.yaml worked by hand.

Ben owns A1 and T1, so metrics huddles and trained: both have actuals up to 2026-05 and
their periods run past June (to 2026-10 and 2026-09), so the June actual is due for each.
Of his actions, a1 was due 2026-06-30 and is not done: late by 10 days; a2 is due
2026-07-31: not late. The one countermeasure, cm1, is Ana's: none is Ben's. Nothing was
proposed in catchball yet.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .web_support import ADMIN, BEN, axe_violations, screenshot, sign_in

MY_WORK = "/orgs/clinic/my-work?as_of=2026-07-10"


def test_my_work_lists_what_ben_owes(server: str, page: Page) -> None:
    """Two check-ins due for 2026-06, one late action, no countermeasure, no proposal."""
    sign_in(page, server, BEN)
    page.goto(f"{server}{MY_WORK}")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.locator(".as-of")).to_have_text("What Ben Ode owes as of 2026-07-10.")

    check_ins = page.locator("section", has=page.get_by_role("heading", name="Check-ins due"))
    items = check_ins.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Ward days with a huddle (huddles, objective A1)")
    expect(items.nth(0)).to_contain_text("the actual for 2026-06 is due")
    expect(items.nth(1)).to_contain_text("Nurses trained (trained, objective T1)")
    expect(items.nth(1)).to_contain_text("the actual for 2026-06 is due")
    link = items.nth(0).get_by_role("link", name="Ward days with a huddle")
    expect(link).to_have_attribute("href", "/orgs/clinic/check-in?as_of=2026-07-10")

    late = page.locator("section", has=page.get_by_role("heading", name="Late actions"))
    expect(late.get_by_role("listitem")).to_have_count(1)
    expect(late.get_by_role("listitem")).to_contain_text(
        "a1 Write the huddle checklist: late, due 2026-06-30 (10 days ago)"
    )
    measures = page.locator("section", has=page.get_by_role("heading", name="Open countermeasures"))
    expect(measures).to_contain_text("No open countermeasure is yours.")
    waiting = page.locator(
        "section", has=page.get_by_role("heading", name="Catchball proposals waiting for you")
    )
    expect(waiting).to_contain_text("Nothing waits for your answer.")
    expect(page.locator(".owed-counts")).to_contain_text("2 check-ins due")
    assert axe_violations(page) == []
    screenshot(page, "my-work")

    link.click()
    expect(page).to_have_url(f"{server}/orgs/clinic/check-in?as_of=2026-07-10")


def test_my_work_explains_an_account_without_a_person(server: str, page: Page) -> None:
    """ADMIN is linked to no person of the plan: the page says so instead of empty lists;
    on a phone-wide screen too."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{MY_WORK}")
    expect(page.get_by_role("note")).to_contain_text("not linked to a person")
    expect(page.get_by_role("heading", name="Late actions")).to_have_count(0)
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "my-work-no-person")
