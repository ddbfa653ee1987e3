"""The monthly review in a real browser, on examples/small.yaml; and comments on objectives.

As of 2026-06-15 (tests/cli/test_check.py), for unit ward-a (objectives A1 and T1) in
2026-05: trained is 10 against a planned 20 (0 in 2026-01 -> 40 in 2026-09, 4 of 8
months): deviation -10/40 = -0.25, beyond the 0.10 tolerance -> red, answered by cm1
("Borrow a trainer from the north site for June"). huddles is 60 against a planned 50
(0 in 2025-12 -> 100 in 2026-10, 10 a month) -> green, so it is not on the agenda. No
action is late on 2026-06-15 (a1 is due 06-30, a2 07-31), and trained's May has its
countermeasure, so nothing is missing.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, BEN, axe_violations, fits_the_width, page_token, screenshot, sign_in

CHOOSE = "/orgs/clinic/reviews/monthly?as_of=2026-06-15"
WARD_A_MAY = "/orgs/clinic/reviews/monthly/ward-a/2026-05?as_of=2026-06-15"


def test_monthly_review_shows_reds_records_minutes_and_prints(
    fresh_server: str, page: Page
) -> None:
    """Choose ward-a and May (the month before the as-of month is the default), see trained
    red with cm1, record attendees and two decisions, reload, print the minutes."""
    server = fresh_server
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{CHOOSE}")
    expect(page.locator("h1")).to_have_text("Monthly review")
    expect(page.get_by_label("Month", exact=True)).to_have_value("2026-05")
    unit = page.get_by_role("combobox", name="Unit", exact=True)
    expect(unit).to_have_value("Riverside Clinic")  # the plan's first unit, clinic, by name
    assert axe_violations(page) == []
    unit.fill("")
    unit.press_sequentially("ward")  # the unit picker: part of a name, then choose
    expect(page.locator("#review-unit-list [role=option]")).to_have_text(["Ward A ward-a"])
    unit.press("ArrowDown")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, "monthly-review-choose")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "monthly-review-choose-phone")
    assert fits_the_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    unit.press("Enter")
    expect(unit).to_have_value("Ward A")
    page.get_by_role("button", name="Open the review").click()
    expect(page).to_have_url(re.compile(r"/reviews/monthly/ward-a/2026-05\?as_of=2026-06-15$"))

    expect(page.locator("h1")).to_have_text("Monthly review: Ward A, 2026-05")
    expect(page.locator(".kind")).to_contain_text("Agenda")
    behind = page.get_by_role("table").first
    trained = behind.get_by_role("row").filter(has_text="Nurses trained")
    expect(trained).to_contain_text(re.compile(r"■\s*red"))
    expect(trained).to_contain_text("cm1")
    expect(trained).to_contain_text("Borrow a trainer from the north site for June")
    expect(trained.get_by_role("cell").nth(1)).to_have_text("20")  # plan
    expect(trained.get_by_role("cell").nth(2)).to_have_text("10")  # actual
    expect(behind).not_to_contain_text("Ward days with a huddle")  # green in May
    expect(page.get_by_text("None: no action of the unit is past its due date.")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "monthly-review")

    page.get_by_role("textbox", name=re.compile("^Attendees")).fill("ben\nAna Lima\nDr. Chen")
    page.get_by_role("textbox", name=re.compile("^Decisions")).fill(
        "Borrow a trainer for June\nMove the huddle to handover"
    )
    page.get_by_role("button", name="Record the review").click()
    # The form posts and the answer redirects (303) to the recorded review: wait for it to
    # land before loading it again, or the reload races that navigation (it once did in CI:
    # "Page.reload: Not attached to an active page").
    expect(page).to_have_url(
        re.compile(r"/reviews/monthly/ward-a/2026-05\?as_of=2026-06-15#minutes$")
    )
    expect(page.get_by_role("button", name="Save the changes")).to_be_visible()
    page.reload()
    minutes = page.locator(".recorded-minutes")
    expect(page.locator(".kind")).to_contain_text("Minutes")
    expect(minutes.locator(".attendees li")).to_have_text(["Ben Ode", "Ana Lima", "Dr. Chen"])
    # the clinic's admin has no name and no person: the email; the time in local time
    expect(minutes).to_contain_text("Recorded by admin@clinic.example at")
    expect(minutes.locator("time[datetime]")).to_have_count(1)
    expect(minutes.locator(".decisions li")).to_have_text(
        ["Borrow a trainer for June", "Move the huddle to handover"]
    )
    expect(page.get_by_role("button", name="Save the changes")).to_be_visible()
    assert axe_violations(page) == []

    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("form.review-form")).to_be_hidden()
    expect(minutes.locator(".decisions li")).to_have_count(2)
    expect(minutes).to_be_visible()
    screenshot(page, "monthly-review-print")


def test_monthly_review_lists_late_actions_and_refuses_bad_urls(server: str, page: Page) -> None:
    """As of 2026-08-15 the clinic's review (with ward-a below it) lists the engine's late
    actions a1 (due 06-30: 46 days late) and a2 (due 07-31: 15 days), both serving A1 of
    ward-a; July has no actual, so nothing is red. Then a month that is not YYYY-MM and a
    unit that does not exist: a message, not a 500. The chooser takes a unit's name typed
    without the picker ('ward a': Ward A's name, case aside) for its id."""
    sign_in(page, server, BEN)
    page.goto(f"{server}/orgs/clinic/reviews/monthly/clinic/2026-07?as_of=2026-08-15")
    late = page.locator("section").filter(has=page.get_by_role("heading", name="Late actions"))
    expect(late.locator("li")).to_have_text([
        re.compile(r"action a1 .* was due 2026-06-30 \(46 days ago\)"),
        re.compile(r"action a2 .* was due 2026-07-31 \(15 days ago\)"),
    ])  # fmt: skip
    expect(page.get_by_text("No red or amber metric in 2026-07")).to_be_visible()
    assert axe_violations(page) == []
    # the chooser without its script: the unit's exact name typed is taken for its id
    page.goto(f"{server}/orgs/clinic/reviews/monthly?unit=ward+a&month=2026-05&as_of=2026-06-15")
    expect(page).to_have_url(re.compile(r"/reviews/monthly/ward-a/2026-05\?as_of=2026-06-15$"))
    answer = page.goto(f"{server}/orgs/clinic/reviews/monthly/ward-a/2026-13")
    assert answer is not None and answer.status == 422
    expect(page.get_by_role("alert")).to_contain_text("not between 01 and 12")
    answer = page.goto(f"{server}/orgs/clinic/reviews/monthly/nowhere/2026-05")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("alert")).to_contain_text("no unit 'nowhere'")


def test_monthly_review_on_a_phone(server: str, page: Page) -> None:
    """At 390 px the page needs no sideways scrolling but for the table's own box."""
    sign_in(page, server, BEN)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}{WARD_A_MAY}")
    expect(page.get_by_role("row").filter(has_text="Nurses trained")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(page, "monthly-review-phone")


def test_a_comment_is_added_in_place_or_by_a_plain_form(fresh_server: str, page: Page) -> None:
    """htmx answers the comments fragment (newest last); a plain post goes back to the
    objective page. The lead includes the fragment on the objective page."""
    server = fresh_server
    sign_in(page, server, BEN)
    url = f"{server}/orgs/clinic/objectives/A1/comments"
    token = page_token(page)
    first = page.request.post(
        url, form={"csrf_token": token, "body": "Huddles look good"}, headers={"HX-Request": "true"}
    )
    assert first.status == 200
    second = page.request.post(
        url, form={"csrf_token": token, "body": "Training is late"}, headers={"HX-Request": "true"}
    )
    html = second.text()
    assert html.index("Huddles look good") < html.index("Training is late")
    assert BEN in html and 'id="comments"' in html
    empty = page.request.post(
        url, form={"csrf_token": token, "body": " "}, headers={"HX-Request": "true"}
    )
    assert "write a comment" in empty.text()
    plain = page.request.post(url, form={"csrf_token": token, "body": "Plain"}, max_redirects=0)
    assert plain.status == 303
    assert plain.headers["location"].endswith("/orgs/clinic/objectives/A1#comments")
