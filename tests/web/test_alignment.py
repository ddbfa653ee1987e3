"""The alignment map in a real browser, on examples/small.yaml as of 2026-06-15.

Worked out by hand (tests/domain/test_alignment_tree.py, tests/web/test_pages.py): the tree
is B1 <- A1 (weight 1) <- T1 (weight 1); B1 and A1 are amber, T1 red; Ben owns A1 and T1;
both trace up to B1, so the coverage is 2/2 = 100%; no orphan, nothing undeployed or
unmeasured (the plan's only finding is infeasible_schedule).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in

ALIGNMENT = "/orgs/clinic/alignment?as_of=2026-06-15"
PATH = "\u203a"  # the sign between the steps of a path up to the vision


def card(scope: Page | Locator, key: str) -> Locator:
    """The card of objective ``key`` in the tree: the one whose title links to its page."""
    return scope.locator(f".card:has(> .head > a[href^='/orgs/clinic/objectives/{key}?'])").first


def test_alignment_map_expands_b1_then_a1_with_weights(server: str, page: Page) -> None:
    """B1 opens onto A1 (weight 1) and A1 onto T1 (weight 1), loaded as they open; each
    says its status in words; the coverage is 100%."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{ALIGNMENT}")
    expect(page.locator("h1")).to_have_text("Alignment map")
    expect(page.locator(".coverage")).to_contain_text("100%")
    tree = page.locator("#tree + .hint + ul.tree")
    expect(card(tree, "B1")).to_contain_text("amber")
    expect(tree.locator("a", has_text="A1")).to_have_count(0)  # not rendered until opened

    tree.get_by_text("1 objective supports B1", exact=True).click()
    a1 = card(tree, "A1")
    expect(a1).to_contain_text("weight 1")
    expect(a1).to_contain_text("amber")
    expect(a1).to_contain_text("owner Ben Ode")
    tree.get_by_text("1 objective supports A1", exact=True).click()
    t1 = card(tree, "T1")
    expect(t1).to_contain_text("weight 1")
    expect(t1).to_contain_text(re.compile(r"\bred\b"))
    expect(t1.get_by_role("img", name="progress 25%, planned 50%")).to_be_visible()

    for title in ("Orphans: support no objective (0)", "Not deployed (0)", "Unmeasured (0)"):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "alignment")


def test_filter_by_owner_ben_lists_a1_and_t1_with_their_paths(server: str, page: Page) -> None:
    """Ben owns A1 and T1 only; each is listed with its path up: "Vision, B1, A1, T1"
    (separated by the sign PATH)."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{ALIGNMENT}")
    page.get_by_label("Owner", exact=True).select_option("ben")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]owner=ben(&|$)"))
    matches = page.locator("section").filter(
        has=page.get_by_role("heading", name="2 matching objectives", exact=True)
    )
    heads = matches.locator("li.node .head a")
    expect(heads).to_have_count(2)
    expect(heads.nth(0)).to_contain_text("A1")
    expect(heads.nth(1)).to_contain_text("T1")
    expect(matches.locator(".path").nth(1)).to_have_text(
        re.compile(rf"Vision\s*{PATH}\s*B1\s*{PATH}\s*A1\s*{PATH}\s*T1")
    )
    expect(page.get_by_role("heading", name="Objective tree")).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "alignment-filtered")


def test_a_bad_filter_says_so_next_to_the_field(server: str, page: Page) -> None:
    """?level=galaxy is no level: the message sits by the Level field, the page answers 422."""
    sign_in(page, server, ADMIN)
    response = page.goto(f"{server}{ALIGNMENT}&level=galaxy")
    assert response is not None and response.status == 422
    level = page.get_by_label("Level", exact=True)
    expect(level).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-level-problem")).to_contain_text("'galaxy' is not a level")
    assert axe_violations(page) == []


def test_children_page_without_javascript_and_on_a_phone(server: str, page: Page) -> None:
    """The link inside a closed node leads to a page of the objectives that support it (an
    unknown objective is not found); at 390 px the map fits the screen's width."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}/orgs/clinic/alignment/children/B1?as_of=2026-06-15")
    expect(page.locator("h1")).to_have_text("Objectives that support B1")
    expect(card(page, "A1")).to_contain_text("weight 1")
    response = page.goto(f"{server}/orgs/clinic/alignment/children/NOPE")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("no objective 'NOPE'")
    page.goto(f"{server}{ALIGNMENT}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "alignment-phone")
