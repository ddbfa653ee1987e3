"""Phones (390 x 844): no page scrolls sideways, the menu folds behind a button, the
check-in is one card per metric; and the same pages at 1440 px.

The pages come from the web app's own GET routes, on the demo organisation (`hoshin setup
--demo`, signed in as its admin): a route without parameters is visited as it is; one with
parameters by the first link to it that the pages visited so far show, so that the demo's
own ids fill it. A new page is visited without a change here, or the test fails naming it
(FRAGMENTS lists the routes that answer a part of a page, or that no signed-in admin
reaches by a link).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page, ViewportSize, expect

from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import open_engine
from hoshin.service import catchball, webhook
from hoshin.service.account import Principal
from hoshin.service.asker import Asker, Who
from hoshin.service.proposal import MetricFields, Proposal
from hoshin.service.setup import ADMIN_EMAIL, DEMO_SLUG
from hoshin.store.organization import get_organization
from hoshin.store.user import find_user
from hoshin.web.app import create_web

from .web_support import (
    PASSWORD,
    SCREENSHOTS,
    axe_violations,
    running_server,
    screenshot,
    sign_in,
)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1440, "height": 900}
ORG = f"/orgs/{DEMO_SLUG}"
# Routes that are no page of their own: htmx fragments, and the invitation a link opens.
FRAGMENTS = {
    "/invite/{secret}": "an invitation's page, opened from its link by the invitee",
    "/orgs/{org}/alignment/children/{key}": "a branch of the alignment tree (htmx)",
    "/orgs/{org}/notifications/{notification_id}/open": "a notification's item: marks it "
    "read and redirects there (the demo's admin, linked to no person, has none)",
    "/orgs/{org}/pick/new-id": "an id suggested from a title (htmx)",
    "/orgs/{org}/pick/{kind}": "a picker's choices (htmx)",
}
# Files to save, not pages (web/report.py: the workbook, the CSV zip, the plan file, the PDF
# documents), each tested where it is made (tests/web/test_*_page.py, test_export_pages.py).
DOWNLOADS = (".pdf", ".xlsx", ".zip", ".yaml")
WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth - window.innerWidth"


def _get_routes() -> list[APIRoute]:
    """The web app's GET routes (create_web's routers, walked through their inclusions)."""

    def walk(routes: list[Any]) -> Iterator[APIRoute]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route
            inner = getattr(route, "original_router", None) or getattr(route, "router", None)
            if inner is not None and inner is not route:
                yield from walk(inner.routes)

    web = create_web(None, None)  # type: ignore[arg-type]  # only its routes are read
    return [r for r in walk(web.routes) if "GET" in (r.methods or ())]


@pytest.fixture(scope="module")
def demo_server(
    chromium_executable: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server on a database made by `hoshin setup --demo`, its admin's password set."""
    folder = tmp_path_factory.mktemp("phone")
    url = f"sqlite:///{folder / 'demo.db'}"
    environment = {**os.environ, "HOSHIN_DATABASE_URL": url}
    password = ["user", "password", ADMIN_EMAIL, "--password-stdin"]
    for args, stdin in ((["setup", "--demo"], None), (password, f"{PASSWORD}\n")):
        subprocess.run(
            [sys.executable, "-m", "hoshin", *args], env=environment, input=stdin, text=True,
            capture_output=True, timeout=120, check=True,
        )  # fmt: skip
    _propose(url)
    _add_webhook(url)
    with running_server(url, folder / "server.log") as base_url:
        yield base_url


def _propose(url: str) -> None:
    """A catchball thread (the demo has none): the admin proposes a team objective under A1
    to Ingrid Larsen of Quality."""
    engine = open_engine(url)
    try:
        with session_factory(engine)() as session:
            org = get_organization(session, slug=DEMO_SLUG)
            user = find_user(session, email=ADMIN_EMAIL)
            assert user is not None
            me = Principal(user.id, user.email, user.name, None)
            metric = MetricFields("Gauges calibrated on time", "increase", 80, 98, "%")
            deadline = f"{datetime.now(UTC).year}-12"
            proposal = Proposal("Calibrate every gauge on time", "A1", 1.0, deadline, metric)
            catchball.propose(
                session, org=org, asker=Asker(org, "admin", me, "tests"), unit="quality",
                lead="larsen", proposal=proposal, now=datetime.now(UTC),
            )  # fmt: skip
            session.commit()
    finally:
        engine.dispose()


def _add_webhook(url: str) -> None:
    """A webhook (the demo has none), so that its removal's confirmation has a link."""
    engine = open_engine(url)
    try:
        with session_factory(engine)() as session:
            org = get_organization(session, slug=DEMO_SLUG)
            webhook.add_webhook(
                session,
                org=org,
                role="admin",
                who=Who("tests"),
                url="https://hooks.example.com/demo",
            )
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context the size of a phone, 390 x 844 (not emulating a mobile browser,
    which would widen its layout viewport to fit a page too wide, hiding the fault)."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _name(path: str) -> str:
    """A screenshot's name for a page's path."""
    tail = path.removeprefix(ORG).strip("/").replace("/", "-").replace("?", "-")
    return tail.replace("=", "-").replace("&", "-") or "true-north"


def test_no_page_scrolls_sideways_on_a_phone(demo_server: str, phone: Page) -> None:
    sign_in(phone, demo_server, ADMIN_EMAIL)
    routes = [
        r
        for r in _get_routes()
        if r.path not in FRAGMENTS
        and r.path.startswith("/orgs/")
        and not r.path.endswith(DOWNLOADS)
    ]
    waiting = {r.path: r for r in routes}
    links: list[str] = []  # every same-site path the pages visited so far link to
    too_wide: dict[str, int] = {}
    while waiting:
        chosen = _next(waiting, links)
        if chosen is None:
            break
        route, path = chosen
        del waiting[route]
        answer = phone.goto(f"{demo_server}{path}")
        assert answer is not None and answer.status == 200, f"{path} answered {answer}"
        wider = int(phone.evaluate(WIDER_THAN_THE_SCREEN))
        if wider > 0:
            too_wide[path] = wider
        screenshot(phone, f"phone-{_name(path)}")
        hrefs: list[str] = phone.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        links += [urlsplit(h).path for h in hrefs if h.startswith(demo_server)]
    assert sorted(waiting) == [], "no page links to these routes: give them an example"
    assert too_wide == {}, "these pages scroll sideways at 390 px by (px)"


def _next(waiting: dict[str, APIRoute], links: list[str]) -> tuple[str, str] | None:
    """A route still to visit and its path: one without parameters, or one a link fills."""
    for key, route in waiting.items():
        if set(route.param_convertors) <= {"org"}:
            return key, key.replace("{org}", DEMO_SLUG)
    for key, route in waiting.items():
        found = next((link for link in links if route.path_regex.match(link)), None)
        if found is not None and found.startswith(f"{ORG}/"):
            return key, found
    return None


def test_the_menu_folds_behind_a_button_on_a_phone(demo_server: str, phone: Page) -> None:
    sign_in(phone, demo_server, ADMIN_EMAIL)
    menu = phone.get_by_role("button", name="Menu")
    nav = phone.get_by_role("navigation", name="Main")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    header = phone.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 60  # it took 200 px
    screenshot(phone, "phone-menu-folded")
    menu.focus()
    phone.keyboard.press("Enter")  # a button: the keyboard opens it as a click does
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Check-in")).to_be_visible()
    assert axe_violations(phone) == []
    screenshot(phone, "phone-menu-open")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    phone.set_viewport_size(DESKTOP)  # wide: no button, the menu is always there
    expect(menu).to_be_hidden()
    expect(nav.get_by_role("link", name="Check-in")).to_be_visible()


def test_the_menu_is_open_without_javascript(demo_server: str, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, demo_server, ADMIN_EMAIL)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Check-in")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_organisation_check_in_reads_on_a_phone_and_a_desktop(
    demo_server: str, browser: Browser, viewport: ViewportSize
) -> None:
    """The demo admin (no person) sees every metric of the demo (50 a page); on a phone each
    metric is a card whose box for the month lies inside the screen (it sat at x = 446)."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        sign_in(page, demo_server, ADMIN_EMAIL)
        page.goto(f"{demo_server}{ORG}/check-in")
        scope = page.locator("p.scope")
        expect(scope).to_contain_text("of every objective")
        total = int((scope.text_content() or "").split()[0])  # "40 metrics of every ..."
        boxes = page.locator("input.check-in-value")
        assert total > 10 and boxes.count() == min(total, 50)  # a page holds 50
        first = boxes.first.bounding_box()
        assert first is not None and first["x"] + first["width"] <= viewport["width"]
        assert int(page.evaluate(WIDER_THAN_THE_SCREEN)) <= 0
        assert axe_violations(page) == []
        size = "phone" if viewport is PHONE else "desktop"
        screenshot(page, f"check-in-organisation-{size}")
        page.screenshot(path=SCREENSHOTS / f"check-in-organisation-{size}-top.png")  # as seen
        page.get_by_label("Month", exact=True).fill("2025-11")  # a past month, by the picker
        page.get_by_role("button", name="Show").click()
        expect(page.locator("h1")).to_have_text("Check-in for 2025-11")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_demo_admin_links_themself_and_gets_a_check_in(
    demo_server: str, browser: Browser, viewport: ViewportSize
) -> None:
    """The demo admin is linked to no person: on the admin page they type "Larsen" and
    choose Ingrid Larsen, and the check-in then shows her metrics; an empty field unlinks
    them again (the other tests of this server expect an admin without a person)."""
    context = browser.new_context(viewport=viewport)
    size = "phone" if viewport is PHONE else "desktop"
    try:
        page = context.new_page()
        sign_in(page, demo_server, ADMIN_EMAIL)
        page.goto(f"{demo_server}{ORG}/admin")
        person = page.get_by_role("combobox", name=f"Person in the plan of {ADMIN_EMAIL}")
        person.press_sequentially("Larsen")
        expect(page.get_by_role("option").first).to_contain_text("Ingrid Larsen")
        person.press("ArrowDown")
        person.press("Enter")
        page.get_by_role("button", name=f"Link {ADMIN_EMAIL} to the person chosen").click()
        expect(page.get_by_role("status")).to_contain_text("person in the plan is changed")
        expect(person).to_have_value("Ingrid Larsen — Quality")
        assert int(page.evaluate(WIDER_THAN_THE_SCREEN)) <= 0
        assert axe_violations(page) == []
        screenshot(page, f"admin-linked-{size}")
        page.goto(f"{demo_server}{ORG}/check-in")
        expect(page.locator("p.scope")).to_contain_text("owned by Ingrid Larsen")
        screenshot(page, f"check-in-linked-{size}")
        page.goto(f"{demo_server}{ORG}/admin")
        person.fill("")
        page.get_by_role("button", name=f"Link {ADMIN_EMAIL} to the person chosen").click()
        expect(page.get_by_role("status")).to_contain_text("person in the plan is changed")
        expect(person).to_have_value("")
    finally:
        context.close()
