"""The monthly review's meeting time in a real browser (examples/small.yaml, as of
2026-06-15): a datetime-local field labelled UTC, saved alone (the page stays the agenda:
no minutes yet) and shown in the header; then moved, with the minutes recorded.
tests/service/test_review_notices.py has who is told, by hand."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import BEN, axe_violations, fits_the_width, screenshot, sign_in

WARD_A_MAY = "/orgs/clinic/reviews/monthly/ward-a/2026-05?as_of=2026-06-15"


def test_a_review_meeting_is_scheduled_then_moved_with_the_minutes(
    fresh_server: str, page: Page
) -> None:
    """ben (ward-a's person) schedules May's review for 2026-06-03 09:30 UTC: the header
    says when it meets (the time element holds the UTC instant), the field keeps 09:30, and
    without attendees, decisions or notes the page is still the agenda. He moves it to
    2026-06-04 14:00 and records an attendee and a decision: now the minutes."""
    sign_in(page, fresh_server, BEN)
    page.goto(f"{fresh_server}{WARD_A_MAY}")
    meeting = page.get_by_label(re.compile(r"^Meeting"))
    expect(meeting).to_have_attribute("type", "datetime-local")
    expect(page.locator("label[for=meeting_at]")).to_contain_text("UTC")
    meeting.fill("2026-06-03T09:30")
    page.get_by_role("button", name="Record the review").click()
    expect(page).to_have_url(re.compile(r"/ward-a/2026-05\?as_of=2026-06-15#minutes$"))
    expect(page.locator(".kind")).to_contain_text("Agenda")
    expect(page.locator(".meeting")).to_contain_text("Meets")
    expect(page.locator(".meeting time")).to_have_attribute("datetime", "2026-06-03T09:30:00+00:00")
    expect(page.get_by_label(re.compile(r"^Meeting"))).to_have_value("2026-06-03T09:30")
    expect(page.get_by_text("Not recorded yet: this page is the meeting's agenda.")).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1440, "height": 900})
    page.locator("#minutes").scroll_into_view_if_needed()
    screenshot(page, "monthly-review-meeting")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_width(page)
    screenshot(page, "monthly-review-meeting-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label(re.compile(r"^Meeting")).fill("2026-06-04T14:00")
    page.get_by_role("textbox", name=re.compile("^Attendees")).fill("ben\nAna Lima")
    page.get_by_role("textbox", name=re.compile("^Decisions")).fill("Borrow a trainer")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".kind")).to_contain_text("Minutes")
    expect(page.locator(".meeting time")).to_have_attribute("datetime", "2026-06-04T14:00:00+00:00")
    expect(page.locator(".recorded-minutes .attendees li")).to_have_text(["Ben Ode", "Ana Lima"])
    expect(page.get_by_label(re.compile(r"^Meeting"))).to_have_value("2026-06-04T14:00")
    assert axe_violations(page) == []


def test_the_comment_box_says_how_to_mention_someone(fresh_server: str, page: Page) -> None:
    """On ana's B1 the comment box says "Mention someone with @their-id" and names the
    owner's id (@ana); ben writes "@ana, falls are down" in place (htmx): the comment is
    listed as written, with an anchor (#comment-<id>) a notice links to."""
    sign_in(page, fresh_server, BEN)
    page.goto(f"{fresh_server}/orgs/clinic/objectives/B1?as_of=2026-06-15#comments")
    hint = page.locator("#comment-hint")
    expect(hint).to_contain_text("Mention someone with @their-id")
    expect(hint).to_contain_text("(the owner is @ana)")
    box = page.get_by_role("textbox", name="Add a comment")
    expect(box).to_have_attribute("aria-describedby", "comment-hint")
    box.fill("@ana, falls are down on Ward A")
    page.get_by_role("button", name="Comment").click()
    listed = page.locator(".comment-list li")
    expect(listed).to_have_count(1)
    expect(listed.first).to_have_attribute("id", re.compile(r"^comment-\d+$"))
    expect(listed.first.locator(".comment-body")).to_have_text("@ana, falls are down on Ward A")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1440, "height": 900})
    page.locator("#comments").scroll_into_view_if_needed()
    screenshot(page, "comment-mention")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_width(page)
    screenshot(page, "comment-mention-phone")
