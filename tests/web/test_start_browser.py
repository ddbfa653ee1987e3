"""The guided start in a real browser: an admin of a new, empty organisation walks from
nothing to a plan with a vision, two breakthrough objectives with metrics and their
backward-planned targets, and one annual objective; at 1440 and 390 px.

As of 2026-06-10 (the pages keep ?as_of= through every form): this month is 2026-06.
Complaints 120 -> 30 by 2029-12, linear over 42 months (90/42 a month): the end of 2026
plans 120 - 6 * 90/42 = 107.1, shown 107 (whole numbers like the metric's); 2027-12 81.
Yield 91 -> 97 by 2028-12 over 30 months (0.2 a month): 2026-12 92.2, 2027-12 94.6."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .web_support import (
    ADMIN,
    _hoshin,
    axe_violations,
    copy_database,
    fits_the_width,
    running_server,
    screenshot,
    sign_in,
)

START = "/orgs/fresh/start?as_of=2026-06-10"


@pytest.fixture
def empty_server(chromium_executable: Path, web_database: Path, tmp_path: Path) -> Iterator[str]:
    """A server whose database also holds 'fresh' (Fresh Co), empty, with the clinic's
    admin as its admin."""
    url = copy_database(web_database, tmp_path)
    _hoshin(url, "org", "create", "fresh", "Fresh Co")
    _hoshin(url, "user", "role", ADMIN, "--org", "fresh", "--role", "admin")
    with running_server(url, tmp_path / "server.log") as base:
        yield base


def fill_metric(page: Page, values: dict[str, str]) -> None:
    """Fills the metric's fields by their labels."""
    for label, value in values.items():
        field = page.get_by_label(re.compile(f"^{label}"))
        if label in ("Direction", "Course"):
            field.select_option(value)
        else:
            field.fill(value)


def test_an_admin_walks_the_guided_start_to_a_first_plan(empty_server: str, page: Page) -> None:
    server = empty_server
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{START}")
    expect(page.locator("h1")).to_have_text("Vision and horizon")
    expect(page.locator(".still")).to_contain_text("short horizon")
    assert axe_violations(page) == []
    screenshot(page, "start-vision")

    page.get_by_label("Vision statement").fill("By 2031, every pump we ship works first time")
    page.get_by_label("Purpose").fill("Keep our customers' water moving")
    page.get_by_label("Horizon year").fill("2031")
    page.get_by_label("Values").fill("Safety first\nGo and see")
    page.get_by_role("button", name="Save the vision").click()
    expect(page.locator("h1")).to_have_text("Breakthrough objectives")
    expect(page.get_by_role("status").first).to_contain_text("Saved the vision.")
    expect(page.locator(".steps li").first).to_contain_text("done")

    page.get_by_label("Title").fill("Cut warranty complaints from 120 to 30 a year by 2029")
    fill_metric(page, {"Metric": "Warranty complaints a year", "Unit of measure": "complaints",
                       "Direction": "decrease", "Baseline": "120", "Target$": "30",
                       "Target month": "2029-12"})  # fmt: skip
    page.get_by_role("button", name="Show the targets").click()
    targets = page.get_by_role("table", name="Target at each year's end")
    expect(targets.get_by_role("row", name=re.compile("^2026-12"))).to_have_text(
        re.compile(r"2026-12\s*107")
    )
    expect(targets.get_by_role("row", name=re.compile("^2027-12"))).to_have_text(
        re.compile(r"2027-12\s*81")
    )
    assert axe_violations(page) == []
    screenshot(page, "start-breakthrough-targets")
    page.get_by_role("button", name="Save the objective").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved cut-warranty-complaints")
    expect(page.locator(".made")).to_contain_text("Cut warranty complaints")
    expect(page.get_by_text("1 of at least 3 so far")).to_be_visible()

    page.get_by_label("Title").fill("Raise first-pass yield from 91% to 97% by Dec 2028")
    fill_metric(page, {"Metric": "First-pass yield", "Unit of measure": "%",
                       "Direction": "increase", "Baseline": "91", "Target$": "97",
                       "Target month": "2028-12"})  # fmt: skip
    page.get_by_role("button", name="Save the objective").click()
    made = page.locator(".made li")
    expect(made).to_have_count(2)
    expect(made.nth(1)).to_contain_text(re.compile(r"2026-12 92\.2 · 2027-12 94\.6 · 2028-12 97"))

    page.get_by_role("link", name="Next: Annual objectives").click()
    expect(page.locator("h1")).to_have_text("Annual objectives")
    expect(page.locator(".still")).to_contain_text("not deployed")
    page.get_by_label("Title").fill("Answer every warranty claim within 2 days (from 60%)")
    page.get_by_label("Supports").select_option(
        label="Cut warranty complaints from 120 to 30 a year by 2029"
    )
    fill_metric(page, {"Metric": "Claims answered within 2 days", "Unit of measure": "%",
                       "Direction": "increase", "Baseline": "60", "Target$": "95"})  # fmt: skip
    expect(page.get_by_label("Target month")).to_have_value("2026-12")  # the fiscal year's end
    page.get_by_role("button", name="Save the annual objective").click()
    expect(page.locator(".made li")).to_have_count(1)
    expect(page.locator(".made")).to_contain_text("supports Cut warranty complaints from 120")
    assert axe_violations(page) == []
    screenshot(page, "start-annual")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}{START}&step=breakthrough")
    assert fits_the_width(page)
    screenshot(page, "start-breakthrough-phone")
    page.goto(f"{server}{START}&step=invite")
    expect(page.get_by_role("link", name="Invite members on the Admin page")).to_be_visible()
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "start-invite-phone")

    page.goto(f"{server}/orgs/fresh/?as_of=2026-06-10")
    expect(page.locator(".vision .statement")).to_have_text(
        "By 2031, every pump we ship works first time"
    )
    expect(page.locator("article.breakthrough")).to_have_count(2)
