"""The monthly review pack (service.document.review_pack), on SQLite and PostgreSQL, read
back with pdfinfo and pdftotext.

The plan is written here. Every metric goes linearly from 0 in 2025-12 to 120 in 2026-12:
10 a month, so 50 is planned in 2026-05, over a way of 120 with the tolerance 0.1 (12). An
actual of 45 is 5/120 = 0.04 behind (amber); 20 is 30/120 = 0.25 behind (red); 60 is above
plan (green). Operations (ops) has o1 with six red metrics (r1..r6) and one amber (am), and
the unit below it (ward) has o2 with w1 red, answered by countermeasure c1, and w2 green.
The shop is apart: its red metric s1 is not in the pack of ops. Action a1 of the ward was
due 2026-04-30: as of 2026-06-15 it is 31 (May) + 15 (June) = 46 days late.
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Unit,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.errors import NotFound
from hoshin.service.analysis import AnalysisCache
from hoshin.service.asker import Who
from hoshin.service.document.review_pack import review_pack, review_pack_of
from hoshin.service.review import save_monthly_review
from hoshin.service.versioned import Change
from hoshin.store.organization import OrganizationRow

MAY = Month.parse("2026-05")
AS_OF = date(2026, 6, 15)
CAUSE = "The night shift was two nurses short"
REDS = [f"Red measure {k}" for k in range(1, 7)]


def metric(key: str, name: str, may: float) -> Metric:
    """10 a month from 0 in 2025-12 to 120 in 2026-12, with its actual of 2026-05."""
    return Metric(
        id=key, name=name, direction="increase", baseline=0.0,
        baseline_period=Month.parse("2025-12"), target=120.0,
        target_period=Month.parse("2026-12"), actuals={MAY: may}, unit="cases",
    )  # fmt: skip


def objective(key: str, unit: str, *metrics: Metric) -> Objective:
    """An annual objective of 2026 owned by p1."""
    return Objective(
        id=key, title=f"Objective {key} of {unit}", level="annual", owner="p1", unit=unit,
        start=Month.parse("2026-01"), end=Month.parse("2026-12"), metrics=metrics,
    )  # fmt: skip


PLAN = Plan(
    organization=Organization(name="Acme Pumps"),
    vision=Vision(statement="Pumps that never stop", horizon=2030),
    units=(
        Unit("ops", "Operations"),
        Unit("ward", "Assembly", parent="ops"),
        Unit("shop", "Shop"),
        Unit("lab", "Lab"),
    ),
    people=(Person(id="p1", name="Pat Lee"), Person(id="p2", name="Sam Roe")),
    objectives=(
        objective(
            "o1",
            "ops",
            *[metric(f"r{k}", REDS[k - 1], 20.0) for k in range(1, 7)],
            metric("am", "Amber measure", 45.0),
        ),
        objective("o2", "ward", metric("w1", "Weld defects", 20.0), metric("w2", "Green", 60.0)),
        objective("o3", "shop", metric("s1", "Shop measure", 20.0)),
        objective("o4", "lab", metric("l1", "Lab measure", 60.0)),
    ),
    actions=(
        Action(
            id="a1",
            title="Fit the new jig",
            owner="p1",
            unit="ward",
            serves=("o2",),
            due=date(2026, 4, 30),
        ),
    ),
    countermeasures=(
        Countermeasure(
            id="c1",
            metric="w1",
            period=MAY,
            cause=CAUSE,
            action="Borrow two welders from the day shift",
            owner="p2",
            due=date(2026, 6, 30),
        ),
    ),
)


@pytest.fixture
def acme(session: Session) -> OrganizationRow:
    org = make_organization(session, slug="acme", name="Acme Pumps", plan=PLAN)
    session.commit()
    return org


def pack(session: Session, org: OrganizationRow, unit: str = "ops", month: Month = MAY) -> bytes:
    found = AnalysisCache(organizations=1).get(session, org=org, as_of=AS_OF)
    return review_pack(session, org=org, found=found, unit=unit, period=month)


def written(body: bytes, folder: Path) -> Path:
    path = folder / "pack.pdf"
    path.write_bytes(body)
    return path


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in out.stdout.splitlines())
    }


def text(path: Path, page: int | None = None) -> str:
    """The text of the PDF (or of one page) as laid out on the page."""
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    out = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True,
                         capture_output=True, text=True)  # fmt: skip
    return out.stdout


def read(path: Path) -> str:
    """The text of the PDF in reading order, its white space one space: what a table cell
    wraps onto two lines reads as one sentence again."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                         text=True)  # fmt: skip
    return " ".join(out.stdout.split())


def test_the_pack_is_a4_portrait_with_a_cover_and_numbered_pages(
    session: Session, acme: OrganizationRow, tmp_path: Path
) -> None:
    path = written(pack(session, acme), tmp_path)
    facts = info(path)
    assert facts["Page size"].startswith("595.276 x 841.89")  # A4 portrait in points
    pages = int(facts["Pages"])
    assert pages >= 3  # the cover, then seven metric blocks do not fit one page
    cover = text(path, 1)
    for said in ("Monthly review pack", "Operations", "2026-05", "Acme Pumps", "not scheduled",
                 "2 objectives of 2 units", "Findings as of", "2026-06-15"):  # fmt: skip
        assert said in cover
    assert f"Page 1 of {pages}" in cover
    assert f"Page {pages} of {pages}" in text(path, pages)


def test_every_red_and_amber_metric_of_the_unit_and_below_is_in_the_pack(
    session: Session, acme: OrganizationRow, tmp_path: Path
) -> None:
    said = read(written(pack(session, acme), tmp_path))
    for name in [*REDS, "Amber measure", "Weld defects"]:
        assert name in said
    assert "Shop measure" not in said and "Lab measure" not in said and "Green (w2)" not in said
    assert "(8: 7 red)" in said  # the contents count them: r1..r6 and w1 red, am amber
    assert "▲ amber" in said and "■ red" in said
    # c1 answers w1 with its cause, action, owner and due day; r1..r6 and am have none.
    for part in ("c1", CAUSE, "Borrow two welders from the day shift", "Sam Roe", "2026-06-30"):
        assert part in said
    assert said.count("No countermeasure for 2026-05.") == 7
    # The bowling chart of the fiscal year 2026: 50 planned in May, 20 actual.
    assert "Bowling chart, fiscal year from 2026-01" in said


def test_late_actions_have_their_owner_and_days_late(
    session: Session, acme: OrganizationRow, tmp_path: Path
) -> None:
    said = text(written(pack(session, acme), tmp_path))
    late = next(line for line in said.splitlines() if "Fit the new jig" in line)
    assert re.search(r"a1\s+Fit the new jig\s+Pat Lee\s+2026-04-30\s+46$", late.strip())


def test_the_contents_give_the_page_each_section_starts_on(
    session: Session, acme: OrganizationRow, tmp_path: Path
) -> None:
    path = written(pack(session, acme), tmp_path)
    cover = text(path, 1)
    numbers = {}
    for heading in ("1. Red and amber metrics", "2. Missing countermeasures", "3. Late actions",
                    "4. Decisions"):  # fmt: skip
        line = next(line for line in cover.splitlines() if heading in line)
        numbers[heading] = int(line.split()[-1])  # the leader's dots end in the page number
        assert heading in text(path, numbers[heading])
    assert numbers["1. Red and amber metrics"] == 2  # the metrics start after the cover
    # Seven metric blocks do not fit one A4 page: the late actions come later.
    assert numbers["3. Late actions"] > 2


def test_the_decisions_and_minutes_are_in_the_pack_once_recorded(
    session: Session, acme: OrganizationRow, tmp_path: Path
) -> None:
    before = read(written(pack(session, acme), tmp_path))
    assert "Not recorded yet" in before and "4. Decisions (to record)" in before
    record = {
        "attendees": ["p1", "Dana Fox"],
        "decisions": ["Add a second weld inspection", "Move the jig trial to July"],
        "notes": "The jig supplier is late again.",
        "meeting_at": "2026-06-20T09:30",
    }
    save_monthly_review(
        session, change=Change(acme, Who("pat@acme.example"), None), asker=("editor", None),
        unit="ops", period=MAY, record=record, now=datetime(2026, 6, 20, 11, tzinfo=UTC),
    )  # fmt: skip
    session.commit()
    said = read(written(pack(session, acme), tmp_path))
    for part in ("4. Decisions and minutes", "Pat Lee", "Dana Fox", "Add a second weld inspection",
                 "Move the jig trial to July", "The jig supplier is late again.",
                 "2026-06-20 09:30 UTC", "version 1"):  # fmt: skip
        assert part in said
    assert "Not recorded yet" not in said


def test_a_unit_with_nothing_red_or_amber_says_so(
    session: Session, acme: OrganizationRow, tmp_path: Path
) -> None:
    said = read(written(pack(session, acme, unit="lab"), tmp_path))
    assert "Nothing red or amber in 2026-05" in said
    assert "None: no action of the unit is past its due date." in said


def test_an_unknown_unit_or_organisation_is_not_found(
    session: Session, acme: OrganizationRow
) -> None:
    with pytest.raises(NotFound, match="unknown unit 'nope'"):
        pack(session, acme, unit="nope")
    with pytest.raises(NotFound):
        review_pack_of(session, slug="nobody", unit="ops", period=MAY, as_of=AS_OF)
    body = review_pack_of(session, slug="acme", unit="ops", period=MAY, as_of=AS_OF)
    assert body.startswith(b"%PDF")
