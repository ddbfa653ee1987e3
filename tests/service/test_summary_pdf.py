"""The strategy on a page (service.document.summary): one A3 landscape page with the demo
plan, with examples/small.yaml from a file and from an organisation (SQLite and
PostgreSQL), and with a plan far bigger than a page, read back with pdfinfo and pdftotext.

examples/small.yaml as of 2026-06-15 (tests/cli/test_check.py): B1 is amber, 51% done
against 58% planned; its annual objective A1 is amber; the one warning is B1's action
plan, 13 days late (a3 needs 60 days and is due 2026-07-31: it should have started
2026-06-01, and 2026-06-15 is 14 days later, less a day of slack).
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.model import Metric, Objective, Plan, Vision
from hoshin.domain.months import Month
from hoshin.planfile import read_plan
from hoshin.service.document import source
from hoshin.service.document.summary import shortened, strategy_on_a_page

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
AS_OF = date(2026, 6, 15)
A3_LANDSCAPE = "1190.55 x 841.89 pts (A3)"


def pdf(body: bytes, folder: Path) -> Path:
    path = folder / "summary.pdf"
    path.write_bytes(body)
    return path


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    lines = (line.partition(":") for line in out.stdout.splitlines())
    return {key.strip(): value.strip() for key, _, value in lines}


def read(path: Path) -> str:
    """The text in reading order, its white space one space (a wrapped line reads whole)."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def one_page(path: Path) -> None:
    facts = info(path)
    assert (facts["Pages"], facts["Page size"]) == ("1", A3_LANDSCAPE)


def test_the_demo_plan_fits_one_page_with_every_breakthrough_and_the_vision(
    tmp_path: Path,
) -> None:
    plan = demo_plan(AS_OF)
    analysis = analyze(plan, AS_OF)
    path = pdf(strategy_on_a_page(plan, analysis), tmp_path)
    one_page(path)
    said = read(path)
    breakthroughs = [o for o in plan.objectives if o.level == "breakthrough"]
    assert 3 <= len(breakthroughs) <= 6
    for objective in breakthroughs:
        assert f"{objective.id} {objective.title}" in said
    assert plan.vision.statement in said and plan.vision.purpose in said
    for value in plan.vision.values:
        assert value in said
    warning = next(f for f in analysis.findings if f.severity == "warning")
    assert warning.message[:60] in said  # the first warning is listed first
    assert "Strategy on a page" in said and "As of 2026-06-15" in said


def test_the_small_plan_from_a_file_shows_status_progress_and_the_annual_objectives(
    tmp_path: Path,
) -> None:
    found = source.of_file(SMALL, as_of=AS_OF)
    path = pdf(strategy_on_a_page(found.plan, found.analysis), tmp_path)
    one_page(path)
    said = read(path)
    for part in (
        "Riverside Clinic",
        "No patient is harmed by the care meant to heal them",
        "Safe, kind care for our town",
        "By 2030",
        "Safety first",
        "B1 Cut patient falls from 40 to 10 a month by the end of 2027",
        "▲ amber 51% done, 58% planned · by 2028-12",
        "Patient falls per month",
        "22 falls",  # the latest actual, 2026-05
        "↓ better",  # 25 in April, 22 in May: down is better for falls
        "A1 Run a daily fall-risk huddle on 100% of ward days in 2026",
        "13 days late on its action plan",
        "● Green 0 ▲ Amber 2 ■ Red 1",  # B1 and A1 amber, T1 red
    ):
        assert part in said, part


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_an_organisation_gets_the_same_page(session: Session, tmp_path: Path) -> None:
    make_organization(session, slug="clinic", name="Riverside Clinic", plan=read_plan(SMALL))
    session.commit()
    found = source.of_organization(session, slug="clinic", as_of=AS_OF)
    path = pdf(strategy_on_a_page(found.plan, found.analysis), tmp_path)
    one_page(path)
    assert "B1 Cut patient falls from 40 to 10 a month by the end of 2027" in read(path)


def big_plan() -> Plan:
    """9 breakthroughs of 300-character titles, each with 5 metrics and 7 annual objectives;
    20 values of 200 characters; a purpose of 5,000 characters; dozens of findings."""
    month = Month.parse("2026-01")
    long = "word " * 60  # 300 characters

    def metric(key: str) -> Metric:
        return Metric(id=key, name=f"Measure {key} {long}"[:300], baseline=0.0,
                      baseline_period=month, target=10.0, target_period=month + 24,
                      actuals={month + k: float(k) for k in range(5)})  # fmt: skip

    objectives = []
    for b in range(1, 10):
        objectives.append(Objective(id=f"B{b}", title=f"Breakthrough {b} {long}"[:300],
                                    level="breakthrough", metrics=tuple(
                                        metric(f"m{b}-{k}") for k in range(5))))  # fmt: skip
        for a in range(1, 8):  # no owner, no metric: findings for every one
            objectives.append(Objective(id=f"A{b}-{a}", title=f"Annual {b}.{a} {long}"[:300],
                                        level="annual", supports={f"B{b}": 1.0}))  # fmt: skip
    small = read_plan(SMALL)
    vision = Vision(statement="A" * 300, purpose="purpose " * 625, horizon=2035,
                    values=tuple(f"Value {k} " + "v" * 190 for k in range(20)))  # fmt: skip
    return replace(small, vision=vision, objectives=tuple(objectives), actions=(),
                   countermeasures=())  # fmt: skip


def test_a_plan_bigger_than_a_page_is_capped_to_one_page(tmp_path: Path) -> None:
    plan = big_plan()
    analysis = analyze(plan, AS_OF)
    assert len(analysis.findings) > 10
    path = pdf(strategy_on_a_page(plan, analysis), tmp_path)
    one_page(path)
    said = read(path)
    # Six breakthroughs of nine are drawn, three annual objectives of seven under each, two
    # metrics of five, eight values of twenty, ten findings.
    assert "the first 6 breakthroughs shown, and 3 more" in said
    assert "B6 Breakthrough 6" in said and "B7 Breakthrough 7" not in said
    assert said.count("and 4 more annual objectives") == 6
    assert said.count("and 3 more metrics") == 6
    assert "and 12 more" in said  # values: 20 - 8
    assert f"and {len(analysis.findings) - 10} more" in said


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert shortened("Keep  water\nflowing", 40) == "Keep water flowing"
    # 'Keep water flowing for' is 22 characters; the limit 20 keeps 19, cut at the last space.
    assert shortened("Keep water flowing for the town", 20) == "Keep water flowing…"
    assert shortened("x" * 30, 10) == "x" * 9 + "…"  # no space to cut at: cut the word
