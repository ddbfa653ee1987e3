"""People and units chosen by name where ids were typed: the admin page's person of a member
and of an invitation, and the check-in's unit and owner filter; in a real browser, at 1440
and 390 px, on the clinic (examples/small.yaml: units clinic "Riverside Clinic" and ward-a
"Ward A"; people ana "Ana Lima" of clinic and ben "Ben Ode" of ward-a; ben owns A1 and T1,
measured by huddles and trained; ADMIN is linked to no person)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in

SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1440, "height": 900},
    "phone": {"width": 390, "height": 844},
}
WIDER = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, str]]:
    """A page at 1440 px (desktop) or 390 px (phone), and the size's name."""
    context = browser.new_context(viewport=SIZES[request.param])
    try:
        yield context.new_page(), request.param
    finally:
        context.close()


def choose(page: Page, name: str, typed: str, option: str) -> None:
    """Types part of a name in the picker labelled ``name``; the one match is ``option``;
    ArrowDown marks it and Enter chooses it."""
    field = page.get_by_role("combobox", name=name, exact=True)
    field.press_sequentially(typed)
    listed = page.locator(f"#{field.get_attribute('aria-controls')} [role=option]")
    expect(listed).to_have_text([option])
    field.press("ArrowDown")
    field.press("Enter")


def test_the_admin_links_themself_from_my_work_and_invites_by_name(
    fresh_server: str, sized: tuple[Page, str]
) -> None:
    """My work tells the unlinked admin where to link themself: their own row of the admin
    page, marked. There they type "Lim", choose Ana Lima and press Link; the invitation's
    person is chosen the same way ("Ode": Ben Ode)."""
    page, size = sized
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/my-work")
    note = page.get_by_role("note")
    expect(note).to_contain_text("You are an admin: link it yourself.")
    assert axe_violations(page) == []
    screenshot(page, f"my-work-unlinked-admin-{size}")
    note.get_by_role("link", name="your row").click()
    expect(page).to_have_url(re.compile(r"/admin\?member=admin%40clinic\.example#member-row$"))
    expect(page.locator("#member-row")).to_contain_text(ADMIN)

    choose(page, f"Person in the plan of {ADMIN}", "Lim", "Ana Lima — Riverside Clinic ana")
    mine = page.get_by_role("combobox", name=f"Person in the plan of {ADMIN}", exact=True)
    expect(mine).to_have_value("Ana Lima — Riverside Clinic")
    assert axe_violations(page) == []
    screenshot(page, f"admin-person-chosen-{size}")
    page.get_by_role("button", name=f"Link {ADMIN} to the person chosen").click()
    expect(page.get_by_role("status")).to_contain_text(f"{ADMIN}'s person in the plan is changed")
    expect(mine).to_have_value("Ana Lima — Riverside Clinic")
    assert int(page.evaluate(WIDER)) <= 0

    page.get_by_label("Email", exact=True).fill("nurse@clinic.example")
    choose(page, "Person in the plan (optional)", "Ode", "Ben Ode — Ward A ben")
    screenshot(page, f"admin-invite-person-{size}")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator("#invited-heading")).to_have_text("nurse@clinic.example is invited")
    assert axe_violations(page) == []
    assert int(page.evaluate(WIDER)) <= 0


def test_the_check_in_filter_takes_a_unit_and_an_owner_by_name(
    server: str, sized: tuple[Page, str]
) -> None:
    """ADMIN sees every metric (3); "ward" chooses Ward A, "Ode" Ben Ode: huddles and
    trained, 2 metrics of unit Ward A owned by Ben Ode, as of 2026-07-10 (month 2026-06)."""
    page, size = sized
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/check-in?as_of=2026-07-10")
    expect(page.locator("p.scope")).to_contain_text("3 metrics of every objective")
    choose(page, "Unit", "ward", "Ward A ward-a")
    page.get_by_role("combobox", name="Owner", exact=True).press_sequentially("Ode")
    expect(page.locator("#owner-list [role=option]")).to_have_text(["Ben Ode — Ward A ben"])
    assert axe_violations(page) == []
    screenshot(page, f"check-in-owner-picker-{size}")
    page.get_by_role("combobox", name="Owner", exact=True).press("ArrowDown")
    page.get_by_role("combobox", name="Owner", exact=True).press("Enter")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("p.scope")).to_have_text(
        "2 metrics of unit Ward A owned by Ben Ode, 2026-06."
    )
    expect(page.get_by_role("combobox", name="Unit", exact=True)).to_have_value("Ward A")
    expect(page.get_by_role("combobox", name="Owner", exact=True)).to_have_value("Ben Ode")
    assert axe_violations(page) == []
    assert int(page.evaluate(WIDER)) <= 0
    screenshot(page, f"check-in-filtered-by-name-{size}")
