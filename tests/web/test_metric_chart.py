"""The objective page's metric chart, as a reader sees it on a desk, on a phone and on paper,
and its history in words and the reader's time.

Hand-computed from examples/small.yaml: huddles ("Ward days with a huddle", %, objective A1)
climbs from 0 in 2025-12 to 100 in 2026-10, with actuals 45 in 2026-04 and 60 in 2026-05.
Its figures are all whole and the way (100) reads "100": no decimals, so the final target
reads "target 100 by 2026-10". As of 2026-07-10 today's marker stands at 2026-07, inside the
months 2025-12..2026-10 that the x axis shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from .web_support import BEN, axe_violations, page_token, screenshot, sign_in

A1 = "/orgs/clinic/objectives/A1?as_of=2026-07-10"
CHART = "figure.metric-chart"


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    """The page's script errors and console errors (a refused script or style among them)."""
    seen: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    yield seen


def _svg_text(page: Page) -> str:
    return " ".join(page.locator(f"{CHART} svg text").all_text_contents())


def test_the_chart_labels_its_axes_and_shows_the_target_and_today(
    server: str, page: Page, errors: list[str]
) -> None:
    sign_in(page, server, BEN)
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{server}{A1}")
    chart = page.locator(CHART).first
    expect(chart.locator("svg")).to_be_visible()
    text = _svg_text(page)
    assert "month" in text  # the x axis's name
    assert "%" in text  # the y axis's name: the metric's unit
    assert "2025-12" in text  # the first month on the x axis
    assert "target 100 by 2026-10" in text
    assert "as of 2026-07" in text
    box = chart.locator(".chart-box").bounding_box()
    assert box is not None and box["width"] >= 600 and box["height"] >= 250
    # the same in words, for those who do not see the chart: May's 60 against its plan of 50
    # (0 + 100 * 5 / 10)
    expect(chart.locator("figcaption")).to_contain_text(
        "Ward days with a huddle: latest actual 60% in 2026-05 (plan 50); target 100% by 2026-10."
    )
    expect(chart.locator(".chart-box")).to_have_attribute("role", "img")
    assert axe_violations(page) == []
    assert errors == []
    screenshot(page, "objective-chart-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(chart.locator("svg")).to_be_visible()
    box = chart.locator(".chart-box").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "target 100 by 2026-10" in _svg_text(page)
    screenshot(page, "objective-chart-phone")

    page.set_viewport_size({"width": 1440, "height": 1000})
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()  # print CSS: no navigation on paper
    svg = chart.locator("svg").bounding_box()
    assert svg is not None and svg["width"] >= 600
    screenshot(page, "objective-chart-print")
    assert errors == []


def test_true_north_gives_each_headline_metric_its_value_and_arrow(server: str, page: Page) -> None:
    # B1's falls (decrease, whole figures; 40 halving to 10: no decimals) went from 25 in
    # April to 22 in May: down, which is better for a decrease.
    sign_in(page, server, BEN)
    page.goto(f"{server}/orgs/clinic/?as_of=2026-07-10")
    falls = page.locator(".headline li").filter(has_text="Patient falls per month")
    expect(falls.locator(".value")).to_have_text("22 falls in 2026-05")
    arrow = falls.locator(".change")
    expect(arrow).to_have_class(re.compile(r"\bchange-better\b"))
    expect(arrow).to_have_attribute("title", "down from 25 in 2026-04, better")
    expect(arrow.locator("[aria-hidden=true]")).to_have_text("\u2193")
    assert axe_violations(page) == []
    screenshot(page, "true-north-trends")


def test_the_history_says_who_did_what_in_words_and_local_time(
    fresh_server: str, browser: Browser
) -> None:
    """Ben records 30 for huddles in June (red: plan 60) and its countermeasure; the page of
    A1 then says both in words, newest first, at times in the reader's zone (Tokyo, UTC+9,
    in British English) with the UTC time as their tooltip."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Asia/Tokyo", locale="en-GB"
    )
    page = context.new_page()
    try:
        sign_in(page, fresh_server, BEN)
        page.goto(f"{fresh_server}{A1}")
        expect(page.locator("#history + p")).to_have_text("No change since the plan was loaded.")
        form = {"csrf_token": page_token(page)}
        htmx = {"HX-Request": "true"}
        check_in = f"{fresh_server}/orgs/clinic/check-in/huddles/2026-06?as_of=2026-07-10"
        saved = page.request.post(check_in, form={**form, "value": "30"}, headers=htmx)
        assert saved.status == 200, saved.text()
        measure = {"cause": "Short staffed", "action": "Huddle at handover", "owner": "ben",
                   "due": "2026-07-31"}  # fmt: skip
        done = page.request.post(
            check_in.replace("/2026-06?", "/2026-06/countermeasure?"),
            form={**form, **measure},
            headers=htmx,
        )
        assert done.status == 200, done.text()

        page.goto(f"{fresh_server}{A1}")
        items = page.locator("ol.history li")
        expect(items).to_have_count(2)
        expect(items.nth(0).locator(".what")).to_have_text(
            "Ben Ode opened the countermeasure cm-huddles-2026-06 for Ward days with a huddle, "
            "2026-06: Huddle at handover, owner Ben Ode, due 2026-07-31"
        )
        expect(items.nth(1).locator(".what")).to_have_text(
            "Ben Ode recorded 30 for Ward days with a huddle, 2026-06"
        )
        time = items.nth(1).locator("time")
        at = datetime.fromisoformat(time.get_attribute("datetime") or "")
        assert at.tzinfo is not None and at.utcoffset() == UTC.utcoffset(None)
        expect(time).to_have_attribute("title", at.strftime("%Y-%m-%d %H:%M UTC"))
        tokyo = at.astimezone(ZoneInfo("Asia/Tokyo"))
        # en-GB, medium date and short time: "10 Jul 2026, 21:30"
        expect(time).to_have_text(f"{tokyo.day} {tokyo:%b %Y, %H:%M}")
        assert axe_violations(page) == []
        screenshot(page, "objective-history")
    finally:
        context.close()
