"""The X-matrix as one A3 landscape page of PDF, read back with pdfinfo and pdftotext.

examples/small.yaml as of 2026-06-15, worked out by hand in tests/web/test_xmatrix.py:
south B1; west A1; north, carrying A1: a1 (serves A1 weakly: △), a2 (strongly: ●), T1
(supports A1, medium: ○); east falls (13 planned for 2026-12: 40 * 0.25 ** (19 / 24) =
13.35, whole falls), huddles (100 %), trained (40); a2 moves huddles ●, T1 moves trained
●; falls and huddles measure B1 ●, trained ○ (T1 -> A1 medium -> B1); Ben Ode owns a1, a2
and T1 (■); a1 has 0.5 FTE. Statuses: B1, A1 and falls amber (▲), huddles green (●),
trained red (■) (tests/cli/test_check.py).
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.model import Plan
from hoshin.errors import InvalidInput
from hoshin.planfile import read_plan
from hoshin.service.document.xmatrix import xmatrix_pdf
from hoshin.service.plan import Checked
from xmatrix_support import REPO, SMALL, one_a3_landscape_page, pdf_facts, picture

JUNE = date(2026, 6, 15)


def checked(plan: Plan, day: date) -> Checked:
    """``plan`` and its analysis as of ``day``."""
    return Checked(plan, analyze(plan, day))


def facts(body: bytes, tmp_path: Path) -> tuple[str, str, str]:
    """pdf_facts of ``body``."""
    (tmp_path / "x.pdf").write_bytes(body)
    return pdf_facts(tmp_path / "x.pdf")


def test_the_small_plans_matrix_is_one_a3_page_with_whole_titles_targets_and_owners(
    tmp_path: Path,
) -> None:
    plan = read_plan(SMALL)
    body = xmatrix_pdf(checked(plan, JUNE), as_of=JUNE)
    info, _, text = facts(body, tmp_path)
    assert one_a3_landscape_page(info), info
    assert "X-matrix of Riverside Clinic" in text
    assert "As of 2026-06-15 · fiscal year 2026 · targets planned for 2026-12" in text
    for title in (
        "B1 ▲ Cut patient falls from 40 to 10 a month by the end of 2027",  # south
        "A1 Run a daily fall-risk huddle on 100% of ward days in 2026",  # west, upright
        "a1 Write the huddle checklist",
        "a2 Roll out huddles to every ward",
        "T1 Train 40 nurses in fall prevention by September 2026",  # north
        "falls Patient falls per month 2026: 13 falls",  # east, with its target
        "huddles Ward days with a huddle 2026: 100 %",
        "trained Nurses trained 2026: 40",
        "Ben Ode",  # far east
    ):
        assert title in text, title
    assert "…" not in text  # nothing is cut short
    assert "a3" not in text.split()  # a3 serves B1 only: no improvement priority
    picture(body, "x-matrix-small")


def test_the_marks_sit_in_the_rows_of_what_they_relate(tmp_path: Path) -> None:
    """Each row of the page, read across: the west corner's mark, the title, then the east
    corner's marks, the owner's ■ and the resources (hand-worked in the docstring above)."""
    plan = read_plan(SMALL)
    _, layout, _ = facts(xmatrix_pdf(checked(plan, JUNE), as_of=JUNE), tmp_path)

    def row(title: str) -> list[str]:
        line = next(line for line in layout.splitlines() if title in line)
        before, _, after = line.partition(title)
        return [*before.split(), "|", *after.split()]

    assert row("a1 Write the huddle checklist") == ["△", "ACTION", "|", "■", "0.5", "FTE"]
    assert row("a2 Roll out huddles to every ward") == ["●", "ACTION", "|", "●", "■"]
    assert row("T1 Train 40 nurses") == ["○", "OBJECTIVE", "|", "in", "fall", "prevention",
                                          "by", "September", "2026", "●", "■"]  # fmt: skip
    b1 = row("B1 ▲ Cut patient falls")  # the title, then falls and huddles ●, trained ○
    assert b1[:2] == ["●", "|"] and b1[-4:] == ["2027", "●", "●", "○"]


def test_one_breakthrough_and_an_unknown_one(tmp_path: Path) -> None:
    plan = read_plan(SMALL)
    body = xmatrix_pdf(checked(plan, JUNE), as_of=JUNE, breakthrough="B1")
    info, _, text = facts(body, tmp_path)
    assert one_a3_landscape_page(info)
    assert "breakthrough objective B1 Cut patient falls" in text
    with pytest.raises(InvalidInput, match=r"breakthrough: 'A1' is not the id of a breakthrough"
                                           r" objective of the plan \(they are: B1\)"):  # fmt: skip
        xmatrix_pdf(checked(plan, JUNE), as_of=JUNE, breakthrough="A1")


def test_a_big_plan_at_the_caps_stays_one_page(tmp_path: Path) -> None:
    """enterprise_plan(2000): 5 breakthroughs, 25 annual objectives, 100 team objectives:
    the matrix shows its caps (45 priorities, 35 metrics, 20 owners) on one page, and says
    how many more there are."""
    sys.path.insert(0, str(REPO))
    from bench.enterprise import enterprise_plan

    plan = enterprise_plan(2000)
    day = date(2027, 6, 15)
    body = xmatrix_pdf(checked(plan, day), as_of=day)
    info, _, text = facts(body, tmp_path)
    assert one_a3_landscape_page(info), info
    assert "Breakthrough 4: double output by 2029" in text  # after B4 and its status
    assert "A24 Annual 24: grow 20% in 2027" in text
    assert re.search(r"And \d+ more improvement priorities, \d+ more metrics", text)
    picture(body, "x-matrix-enterprise")


def test_long_titles_at_the_caps_still_print_whole_on_one_page(tmp_path: Path) -> None:
    """The same big plan with every title 300 characters long (the longest a title may be):
    the font shrinks, nothing is cut, and it stays one page."""
    sys.path.insert(0, str(REPO))
    from bench.enterprise import enterprise_plan

    plan = enterprise_plan(2000)
    words = " ".join(["strategy"] * 40)
    long = replace(plan, objectives=tuple(
        replace(o, title=f"{o.id} {words}"[:300]) if o.level in ("breakthrough", "annual",
                                                                   "team") else o
        for o in plan.objectives
    ))  # fmt: skip
    day = date(2027, 6, 15)
    body = xmatrix_pdf(checked(long, day), as_of=day)
    info, _, text = facts(body, tmp_path)
    assert one_a3_landscape_page(info), info
    assert f"B0 {words}"[:300] in text
    picture(body, "x-matrix-long-titles")
