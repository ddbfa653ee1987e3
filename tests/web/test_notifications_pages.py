"""The bell, the notifications page, the settings page and the unsubscribe link in a real
browser, on a server over the clinic's database (examples/small.yaml: BEN is linked to the
person ben, who owns A1 and its metric huddles).

Before the server starts, ben is told three things through service.notify.tell (the real
path), an hour apart: the May actual of huddles is due (check-in), a catchball answer, and
Ana's comment on A1 (the newest). His account's address gets them by e-mail too, which made
his unsubscribe token.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from hoshin.domain.notices import EVENT_LABELS, Notice
from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine
from hoshin.service import notify
from hoshin.store.organization import get_organization

from .web_support import (
    BEN,
    axe_violations,
    copy_database,
    fits_the_width,
    running_server,
    screenshot,
    sign_in,
)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1440, "height": 900}
LIST = "/orgs/clinic/notifications"
SETTINGS = "/orgs/clinic/settings/notifications"
COMMENT_LABEL = "A comment mentions me or lands on my objective"
NOTICES = [
    Notice("actual_due", "ben", "metric", "huddles", "2026-05",
           "The May actual of Daily huddles held is due",
           body="Record it on the check-in: the month ended on 31 May.",
           link="/orgs/clinic/check-in"),
    Notice("catchball", "ben", "catchball", "1", "", "Ana Lima countered your proposal",
           body="“Cut night falls on Ward A by a third, not a half.”",
           link="/orgs/clinic/catchball"),
    Notice("comment", "ben", "objective", "A1", "", "Ana Lima commented on A1",
           body="Can we start the huddles on Ward B too?", link="/orgs/clinic/objectives/A1"),
]  # fmt: skip


@dataclass(frozen=True)
class Told:
    """A server where ben was told NOTICES, and his unsubscribe token."""

    url: str
    token: str


@pytest.fixture
def told(chromium_executable: Path, web_database: Path, tmp_path: Path) -> Iterator[Told]:
    database = copy_database(web_database, tmp_path)
    engine = open_engine(database)
    try:
        with session_factory(engine)() as session:
            org = get_organization(session, slug="clinic")
            start = datetime.now(UTC) - timedelta(hours=3)
            for hours, notice in enumerate(NOTICES):
                at = start + timedelta(hours=hours)
                assert notify.tell(session, org=org, notices=[notice], now=at) == [notice]
            token = notify.unsubscribe_tokens(session, org=org, people={"ben"}, now=start)
            session.commit()
    finally:
        engine.dispose()
    with running_server(database, tmp_path / "server.log") as url:
        yield Told(url, token["ben"])


def test_the_bell_counts_down_as_notifications_are_read(told: Told, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, told.url, BEN)
    bell = page.locator("#bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, 3 unread")
    bell.click()
    expect(page).to_have_url(f"{told.url}{LIST}")
    items = page.locator("ol.inbox > li")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Ana Lima commented on A1")  # the newest first
    expect(page.locator("#inbox-summary")).to_have_text("3 unread of 3")
    assert axe_violations(page) == []
    screenshot(page, "notifications-desktop")
    page.get_by_role("button", name="Mark read: Ana Lima countered your proposal").click()
    expect(bell).to_have_attribute("aria-label", "Notifications, 2 unread")  # htmx: in place
    expect(items.nth(1)).to_have_class("read")
    expect(items.nth(1)).to_contain_text("✓ Read")
    expect(page.locator("#inbox-summary")).to_have_text("2 unread of 3")
    expect(bell.locator(".badge")).to_have_text("2")
    page.set_viewport_size(PHONE)
    assert fits_the_width(page)
    assert axe_violations(page) == []
    screenshot(page, "notifications-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Ana Lima commented on A1").click()
    expect(page).to_have_url(f"{told.url}/orgs/clinic/objectives/A1")  # and marked read
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    page.goto(f"{told.url}{LIST}")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("#inbox-summary")).to_contain_text("All 3 read")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    expect(bell.locator(".badge")).to_have_count(0)


def test_settings_are_saved(told: Told, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, told.url, BEN)
    page.get_by_role("link", name="Notification settings").click()
    expect(page.get_by_role("heading", name="Notification settings")).to_be_visible()
    comment = page.get_by_role("group", name=COMMENT_LABEL)
    expect(comment.get_by_role("radio", name="E-mail and in-app")).to_be_checked()
    comment.get_by_role("radio", name="In-app only").check()
    page.get_by_role("checkbox", name="Send me the weekly digest on Mondays").uncheck()
    page.get_by_role("button", name="Save my settings").click()
    expect(page.get_by_role("status")).to_have_text("Your notification settings are saved.")
    expect(comment.get_by_role("radio", name="In-app only")).to_be_checked()
    weekly = page.get_by_role("checkbox", name="Send me the weekly digest on Mondays")
    expect(weekly).not_to_be_checked()
    assert axe_violations(page) == []
    screenshot(page, "notification-settings-desktop")
    page.get_by_role("button", name="Create my calendar link").click()
    feed = page.get_by_label("Calendar feed address").input_value()
    assert feed.startswith("http") and feed.endswith(".ics") and "/ical/" in feed
    page.set_viewport_size(PHONE)
    assert fits_the_width(page)
    screenshot(page, "notification-settings-phone")


def test_the_one_click_unsubscribe_needs_no_cookie(told: Told, page: Page) -> None:
    # A mail client's RFC 8058 POST: no cookie, no CSRF token, only the link's secret.
    request = urllib.request.Request(
        f"{told.url}/unsubscribe/{told.token}?event=comment",
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        assert "no more e-mails about" in answer.read().decode()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{told.url}/unsubscribe/{told.token}")  # every e-mail, by the page's button
    expect(page.get_by_role("heading")).to_have_text("Stop e-mails from Riverside Clinic")
    assert axe_violations(page) == []
    screenshot(page, "unsubscribe-desktop")
    page.get_by_role("button", name="Stop every e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("no more e-mails from hoshin")
    page.set_viewport_size(PHONE)
    assert fits_the_width(page)
    screenshot(page, "unsubscribe-done-phone")
    sign_in(page, told.url, BEN)
    page.goto(f"{told.url}{SETTINGS}")
    comment = page.get_by_role("group", name=COMMENT_LABEL)
    expect(comment.get_by_role("radio", name="In-app only")).to_be_checked()
    review = page.get_by_role("group", name=EVENT_LABELS["review"])
    expect(review.get_by_role("radio", name="In-app only")).to_be_checked()
