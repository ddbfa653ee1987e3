"""The X-matrix page in a real browser, on examples/small.yaml.

Worked out by hand (as in tests/domain/test_xmatrix.py): south B1; west A1; north a1 and a2
(they serve A1; a3 serves B1 only, so it is no improvement priority); east falls (of B1)
and huddles (of A1, moved by a2); far east Ben Ode, who owns a1 and a2. Marks: A1 supports
B1; a1 and a2 serve A1; a2 moves huddles; falls and huddles measure B1 (huddles through
A1 -> B1); Ben Ode owns a1 and a2. Nothing else is marked.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in

X_MATRIX = "/orgs/clinic/x-matrix?as_of=2026-06-15"

# Every marked cell: its text for screen readers and the first word of each of its
# headers (the ids of the row and the column it sits in, or the owner's first name).
_MARKS = """() => [...document.querySelectorAll("table.xmatrix td.on")].map((cell) => [
  cell.querySelector(".sr-only").textContent.trim(),
  ...cell.getAttribute("headers").split(" ").map(
    (id) => document.getElementById(id).textContent.trim().split(/\\s+/)[0]),
])"""

EXPECTED = {
    ("A1 supports B1", "B1", "A1"),
    ("a1 serves A1", "a1", "A1"),
    ("a2 serves A1", "a2", "A1"),
    ("a2 moves huddles", "a2", "huddles"),
    ("falls measures B1", "B1", "falls"),
    ("huddles measures B1", "B1", "huddles"),
    ("Ben Ode owns a1", "a1", "Ben"),
    ("Ben Ode owns a2", "a2", "Ben"),
}


def test_x_matrix_marks_the_relations_of_the_small_plan(server: str, page: Page) -> None:
    """The marked cells are exactly the hand-worked ones, each in the row and column of
    the two things it relates; the sides hold what the plan says. Printed, the matrix is
    one landscape page without the navigation and the filter."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{X_MATRIX}")
    expect(page.locator("h1")).to_have_text("X-matrix")
    table = page.get_by_role("table", name="X-matrix of Riverside Clinic", exact=False)
    expect(table).to_be_visible()
    expect(table.locator("th.north")).to_have_count(2)
    expect(table.locator("th.south")).to_have_count(1)
    expect(table.locator("th.west")).to_have_count(1)
    expect(table.locator("th.east")).to_have_count(2)
    expect(table.locator("th.owner")).to_have_text(["Ben Ode"])
    expect(table).not_to_contain_text("a3")  # serves the breakthrough only

    marks = {tuple(mark) for mark in page.evaluate(_MARKS)}
    assert marks == EXPECTED
    assert axe_violations(page) == []
    screenshot(page, "x-matrix")

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_label("Breakthrough objective", exact=True)).to_be_hidden()
    screenshot(page, "x-matrix-print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one page
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert box is not None and float(box[1]) > float(box[2])  # landscape: wider than high


def test_x_matrix_narrows_to_one_breakthrough_and_refuses_an_unknown_one(
    server: str, page: Page
) -> None:
    """?breakthrough=B1 is the same matrix (the plan has one); ?breakthrough=A1 is not a
    breakthrough objective: the page says so next to the choice and shows the whole plan."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{X_MATRIX}")
    page.get_by_label("Breakthrough objective", exact=True).select_option("B1")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]breakthrough=B1(&|$)"))
    assert {tuple(mark) for mark in page.evaluate(_MARKS)} == EXPECTED

    response = page.goto(f"{server}{X_MATRIX}&breakthrough=A1")
    assert response is not None and response.status == 422
    expect(page.get_by_role("alert")).to_contain_text("'A1' is not the id of a breakthrough")
    assert {tuple(mark) for mark in page.evaluate(_MARKS)} == EXPECTED
    assert axe_violations(page) == []


def test_x_matrix_scrolls_on_a_phone(server: str, page: Page) -> None:
    """At 390 px the matrix scrolls inside its box; the page itself does not grow wider."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{X_MATRIX}")
    expect(page.locator("table.xmatrix")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "x-matrix-phone")
