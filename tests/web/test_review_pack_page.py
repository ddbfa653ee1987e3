"""The review pack's and the strategy on a page's downloads on the pages, without a browser,
on SQLite and PostgreSQL: the links on the review page and on true north, the files they
give, and the same answers as the review page for a stranger, a wrong unit or month.

examples/small.yaml as of 2026-08-15, unit ward-a, 2026-05: trained is red with cm1; a1
was due 2026-06-30, not done: 31 (July) + 15 = 46 days late.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from factories import add_member, make_organization
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory

from .web_support import PASSWORD, SMALL_PLAN, clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")

AUGUST = "?as_of=2026-08-15"
REVIEW = "/orgs/clinic/reviews/monthly/ward-a/2026-05"
PACK = f"{REVIEW}/pack.pdf{AUGUST}"


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """The clinic with a viewer; a stranger is the admin of another organisation."""
    with clinic_pages(engine, {"viewer": ("viewer", None)}) as client:
        with session_factory(engine)() as session:
            make_organization(session, slug="other", name="Other", plan=read_plan(SMALL_PLAN))
            add_member(session, email="stranger@other.example", role="admin", org="other",
                       password=PASSWORD)  # fmt: skip
            session.commit()
        yield client


def pdf_text(body: bytes, folder: Path) -> tuple[int, str]:
    """The PDF's page count and its text in reading order, white space as one space."""
    path = folder / "download.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    pages = next(int(line.split()[-1]) for line in info.stdout.splitlines() if "Pages:" in line)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return pages, " ".join(out.stdout.split())


def test_the_review_page_links_its_pack(pages: TestClient, tmp_path: Path) -> None:
    signed_in_as(pages, "viewer")
    page = pages.get(f"{REVIEW}{AUGUST}").text
    assert f'<a href="{PACK}" download>Download the review pack (PDF)</a>' in page
    answer = pages.get(PACK)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="clinic-review-ward-a-2026-05-2026-08-15.pdf"'
    )
    _, said = pdf_text(answer.content, tmp_path)
    assert "Nurses trained" in said and "Write the huddle checklist Ben Ode 2026-06-30 46" in said


def test_true_north_links_the_strategy_on_a_page(pages: TestClient, tmp_path: Path) -> None:
    signed_in_as(pages, "viewer")
    link = "/orgs/clinic/summary.pdf?as_of=2026-06-15"
    assert (
        f'<a href="{link}" download>Strategy on a page (PDF)</a>'
        in pages.get("/orgs/clinic/?as_of=2026-06-15").text
    )
    answer = pages.get(link)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        'attachment; filename="clinic-summary-2026-06-15.pdf"'
    )
    count, said = pdf_text(answer.content, tmp_path)
    assert count == 1 and "No patient is harmed by the care meant to heal them" in said


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/orgs/clinic/reviews/monthly/nope/2026-05/pack.pdf", 404, "unknown unit &#39;nope&#39;"),
        ("/orgs/clinic/reviews/monthly/ward-a/2026-13/pack.pdf", 422, "month: &#39;2026-13&#39;"),
        ("/orgs/clinic/reviews/monthly/ward-a/May/pack.pdf", 422, "is not a month"),
    ],
)
def test_a_wrong_unit_or_month_is_said_on_a_page(
    pages: TestClient, url: str, status: int, says: str
) -> None:
    signed_in_as(pages, "viewer")
    answer = pages.get(url)
    assert answer.status_code == status
    assert says in answer.text


def test_strangers_and_the_signed_out_get_nothing(pages: TestClient) -> None:
    pages.cookies.clear()
    for url in (PACK, "/orgs/clinic/summary.pdf"):
        answer = pages.get(url, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/signin")
    signed_in = pages.post(
        "/signin", data={"email": "stranger@other.example", "password": PASSWORD}
    )
    assert signed_in.url.path == "/orgs/other/"
    for url in (PACK, "/orgs/clinic/summary.pdf"):
        assert pages.get(url).status_code == 404  # no clinic for a stranger, as its pages
