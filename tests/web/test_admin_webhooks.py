"""The webhooks and reminders page in a real browser (admins only): a webhook is added with
its events, format and secret (shown once), a test is sent to a real HTTP receiver (which
answers 500, then 200, and checks each signature), the delivery log shows both answers, the
reminder settings are saved or refused at their field, and the webhook is removed after a
confirmation; at 1440 and 390 px, without sideways scroll, axe clean."""

from __future__ import annotations

import hashlib
import hmac

from playwright.sync_api import Browser, Page, expect

from notify_support import running_receiver

from .web_support import ADMIN, BEN, axe_violations, fits_the_width, screenshot, sign_in

PAGE = "/orgs/clinic/admin/webhooks"
SECRET = "a-secret-for-the-receiver"


def test_an_admin_adds_tests_reads_the_log_of_and_removes_a_webhook(
    fresh_server: str, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, fresh_server, ADMIN)
        page.goto(f"{fresh_server}/orgs/clinic/admin")
        page.get_by_role("link", name="Webhooks and reminders").click()
        expect(page.locator("h1")).to_have_text("Webhooks and reminders of Riverside Clinic")
        expect(page.get_by_role("note")).to_contain_text("E-mail is off: set HOSHIN_SMTP_URL")
        with running_receiver([500, 200]) as receiver:
            page.get_by_label("Address (https://…)").fill("ftp://nowhere.example")
            page.get_by_role("button", name="Add webhook").click()
            expect(page.locator("#webhook-url-problem")).to_have_text(
                "Must start with https:// (or http://)."
            )
            page.get_by_label("Address (https://…)").fill(receiver.url)
            page.get_by_label("Metric turned red").check()
            page.get_by_label("Catchball: accepted").check()
            page.get_by_label("Format").select_option("slack")
            page.get_by_label("Secret (optional)").fill(SECRET)
            page.get_by_role("button", name="Add webhook").click()
            expect(page.get_by_label("Secret of webhook 1")).to_have_value(SECRET)
            row = page.locator("table.webhooks tbody tr")
            expect(row).to_have_count(1)
            expect(row).to_contain_text("metric.red, catchball.accepted")
            expect(row).to_contain_text("never called")
            page.get_by_role("button", name="Send test to webhook 1").click()
            expect(page.locator(".tested")).to_contain_text(
                "Not delivered: the receiver answered 500"
            )
            page.get_by_role("button", name="Send test to webhook 1").click()
            expect(page.locator(".tested")).to_contain_text("Delivered: the receiver answered 200")
        assert len(receiver.requests) == 2
        for request in receiver.requests:
            digest = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
            assert hmac.compare_digest(request.headers["X-Hoshin-Signature"], f"sha256={digest}")
        expect(page.get_by_label("Secret of webhook 1")).to_have_count(0)  # shown once only
        log = page.locator("table.log tbody tr")
        expect(log).to_have_count(2)  # newest first: the 200, then the 500
        expect(log.nth(0)).to_contain_text("sent")
        expect(log.nth(0)).to_contain_text("200")
        expect(log.nth(1)).to_contain_text("failed")
        expect(log.nth(1)).to_contain_text("answered 500 Internal Server Error")
        expect(row).to_contain_text("sent (200)")
        # Reminders: 40 lead days is refused at its field; 3 and 10 are saved.
        page.get_by_label("An actual is due, days before its month ends").fill("40")
        page.get_by_role("button", name="Save reminders").click()
        expect(page.locator("#reminder-lead-problem")).to_contain_text(
            "40 is not a number of days from 0 to 27"
        )
        page.get_by_label("An actual is due, days before its month ends").fill("3")
        page.get_by_label("Escalate a missing actual after (days)").fill("10")
        page.get_by_role("button", name="Save reminders").click()
        expect(page.get_by_role("status")).to_contain_text("The reminder settings are saved")
        expect(page.get_by_label("Escalate a missing actual after (days)")).to_have_value("10")
        assert fits_the_width(page) and axe_violations(page) == []
        screenshot(page, "admin-webhooks-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        assert fits_the_width(page) and axe_violations(page) == []
        screenshot(page, "admin-webhooks-phone")
        page.get_by_role("link", name="Remove webhook 1").click()
        expect(page.locator("h1")).to_have_text("Remove webhook 1?")
        assert fits_the_width(page)
        screenshot(page, "admin-webhook-remove-phone")
        page.get_by_role("button", name="Remove webhook 1").click()
        expect(page.get_by_role("status")).to_have_text("Webhook 1 is removed, with its calls.")
        expect(page.locator("table.webhooks")).to_have_count(0)
        expect(page.locator("table.log")).to_have_count(0)  # its calls went with it
    finally:
        context.close()


def test_a_contributor_is_not_allowed(fresh_server: str, page: Page) -> None:
    sign_in(page, fresh_server, BEN)
    answer = page.goto(f"{fresh_server}{PAGE}")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("alert")).to_contain_text("Only an admin of Riverside Clinic")
