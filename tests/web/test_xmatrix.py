"""The X-matrix page in a real browser, on examples/small.yaml.

Worked out by hand (as in tests/domain/test_xmatrix.py), through team objectives (the
default depth): south B1; west A1; north, carrying A1: a1 (serves it weakly), a2
(strongly), T1 (a team objective supporting it, medium); a3 serves B1 only, so it is no
improvement priority. East: falls (of B1), huddles (of A1, moved by a2), trained (T1's
own). Marks: A1 supports B1 ●; a1 △, a2 ●, T1 ○ carry A1; a2 moves huddles ●; T1 moves
trained ●; falls and huddles measure B1 ● (huddles through A1 -> B1), trained measures B1
through T1 -> A1 (medium) -> B1: ○; Ben Ode owns a1, a2 and T1. Nothing else is marked.
At 2026-06-15 the fiscal year ends 2026-12: huddles is planned at 100 (reached in
2026-10), trained at 40 (2026-09), falls at 40 * 0.25 ** (19 / 24) = 13.35, shown as 13
(falls are counted in whole numbers: the metric's own precision).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in

X_MATRIX = "/orgs/clinic/x-matrix?as_of=2026-06-15"

# Every marked cell: its text for screen readers and the id (or first word) of each of its
# headers: the link of an objective, an action or a metric, the first word of an owner.
_MARKS = """() => [...document.querySelectorAll("table.xmatrix td.on")].map((cell) => [
  cell.querySelector(".sr-only").textContent.trim(),
  ...cell.getAttribute("headers").split(" ").map((id) => {
    const head = document.getElementById(id);
    const link = head.querySelector("a");
    return (link ? link.textContent : head.textContent).trim().split(/\\s+/)[0];
  }),
])"""

EXPECTED = {
    ("A1 supports B1: strong", "B1", "A1"),
    ("a1 carries A1: weak", "a1", "A1"),
    ("a2 carries A1: strong", "a2", "A1"),
    ("T1 carries A1: medium", "T1", "A1"),
    ("a2 moves huddles: strong", "a2", "huddles"),
    ("T1 moves trained: strong", "T1", "trained"),
    ("falls measures B1: strong", "B1", "falls"),
    ("huddles measures B1: strong", "B1", "huddles"),
    ("trained measures B1: medium", "B1", "trained"),
    ("Ben Ode owns a1", "a1", "Ben"),
    ("Ben Ode owns a2", "a2", "Ben"),
    ("Ben Ode owns T1", "T1", "Ben"),
}


def test_x_matrix_marks_the_relations_of_the_small_plan(
    server: str, page: Page, tmp_path: Path
) -> None:
    """The marked cells are exactly the hand-worked ones with their strength, each in the
    row and column of the two things it relates; the sides hold what the plan says, the
    east its targets for the year, the far east a1's resources. Printed, the matrix is one
    A3 landscape page without the navigation and the filter."""
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{X_MATRIX}")
    expect(page.locator("h1")).to_have_text("X-matrix")
    table = page.get_by_role("table", name="X-matrix of Riverside Clinic", exact=False)
    expect(table).to_be_visible()
    expect(table.locator("th.group")).to_have_text(["Carrying A1"])
    expect(table.locator("th.north")).to_have_count(3)
    expect(table.locator("th.north").nth(2)).to_contain_text(
        "Train 40 nurses in fall prevention by September 2026"  # whole, not cut short
    )
    expect(table.locator("th.south")).to_have_count(1)
    expect(table.locator("th.west")).to_have_count(1)
    expect(table.locator("th.east .target")).to_have_text(["2026: 13 falls", "2026: 100 %",
                                                           "2026: 40"])  # fmt: skip
    expect(table.locator("th.owner")).to_have_text(["Ben Ode"])
    expect(table.locator("td.res")).to_have_text(["0.5 FTE", "", ""])
    expect(table).not_to_contain_text("a3")  # serves the breakthrough only
    link = table.get_by_role("link", name="T1 carries A1: medium")
    expect(link).to_have_attribute("href", "/orgs/clinic/objectives/T1?as_of=2026-06-15")

    marks = {tuple(mark) for mark in page.evaluate(_MARKS)}
    assert marks == EXPECTED
    assert axe_violations(page) == []
    screenshot(page, "x-matrix")

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_label("Breakthrough objective", exact=True)).to_be_hidden()
    screenshot(page, "x-matrix-print")
    pdf = tmp_path / "x-matrix.pdf"
    pdf.write_bytes(page.pdf(format="A3", landscape=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M), info.stdout
    assert re.search(r"^Page size:.*\(A3\)", info.stdout, re.M), info.stdout
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M)
    assert size is not None and float(size[1]) > float(size[2])  # landscape


def test_x_matrix_depth_and_filters_and_refuses_unknown_choices(server: str, page: Page) -> None:
    """Direct only: a1 and a2 (T1 and its metric trained leave). ?breakthrough=B1 is the
    whole matrix (the plan has one); ?unit=ward-a keeps Ben's ward (a1, a2 and T1 are of
    ward-a or owned by Ben of ward-a). ?breakthrough=A1 is not a breakthrough objective and
    ?unit=nowhere no unit: the page says so next to each choice and shows the whole plan."""
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{X_MATRIX}")
    page.get_by_label("Improvement priorities", exact=True).select_option("direct")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]depth=direct(&|$)"))
    expect(page.locator("th.north a")).to_have_text(["a1", "a2"])
    expect(page.locator("th.east")).to_have_count(2)

    page.goto(f"{server}{X_MATRIX}")
    page.get_by_label("Breakthrough objective", exact=True).select_option("B1")
    unit = page.get_by_role("combobox", name="Unit (empty: all)")
    unit.fill("ward")  # a picker: the plan's units by name, filtered on the server
    expect(page.get_by_role("option", name="Ward A")).to_be_visible()
    unit.press("ArrowDown")
    unit.press("Enter")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]breakthrough=B1&unit=ward-a(&|$)"))
    assert {tuple(mark) for mark in page.evaluate(_MARKS)} == EXPECTED

    response = page.goto(f"{server}{X_MATRIX}&breakthrough=A1&unit=nowhere")
    assert response is not None and response.status == 422
    expect(page.get_by_role("alert")).to_have_text([
        "'A1' is not the id of a breakthrough objective: choose one from the list",
        "'nowhere' is not a unit: choose one from the list",
    ])  # fmt: skip
    assert {tuple(mark) for mark in page.evaluate(_MARKS)} == EXPECTED
    assert axe_violations(page) == []

    page.goto(f"{server}{X_MATRIX}&unit=Ward+A")  # a name typed without the script
    chosen = page.get_by_role("combobox", name="Unit (empty: all)")
    expect(chosen).to_have_attribute("value", "ward-a")  # the id, resolved by the server
    expect(chosen).to_have_value("Ward A")  # what the picker shows
    expect(page.get_by_role("alert")).to_have_count(0)


def test_x_matrix_scrolls_on_a_phone(server: str, page: Page) -> None:
    """At 390 px the matrix scrolls inside its box; the page itself does not grow wider."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, ADMIN)
    page.goto(f"{server}{X_MATRIX}")
    expect(page.locator("table.xmatrix")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = page.locator(".x-scroll")
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it scrolls, inside
    assert axe_violations(page) == []
    screenshot(page, "x-matrix-phone")
