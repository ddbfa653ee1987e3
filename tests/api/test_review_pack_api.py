"""The review pack and the strategy on a page through the API, on SQLite and PostgreSQL: a
PDF to save, what it holds, and the same 401/404/422 as the monthly review's routes.

examples/small.yaml as of 2026-08-15, unit ward-a, 2026-05: trained is red (10 against a
planned 20) with cm1 ("Two trainers were on leave in April and May"); a1 was due
2026-06-30, not done: 31 (July) + 15 = 46 days late.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
PACK = f"{ORG}/reviews/monthly/ward-a/2026-05/pack.pdf?as_of=2026-08-15"
SUMMARY = f"{ORG}/summary.pdf?as_of=2026-06-15"


def get(api: Seeded, url: str, who: str = "viewer") -> Any:
    return api.client.get(url, headers=api.headers(who))


def read(body: bytes, folder: Path) -> tuple[int, str]:
    """The PDF's page count and its text in reading order, white space as one space."""
    path = folder / "answer.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    pages = next(int(line.split()[-1]) for line in info.stdout.splitlines() if "Pages:" in line)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return pages, " ".join(out.stdout.split())


def test_a_viewer_downloads_the_review_pack_and_then_its_minutes(
    api: Seeded, tmp_path: Path
) -> None:
    answer = get(api, PACK)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="clinic-review-ward-a-2026-05-2026-08-15.pdf"'
    )
    _, said = read(answer.content, tmp_path)
    cause = "Two trainers were on leave in April and May"
    late = "Write the huddle checklist Ben Ode 2026-06-30 46"
    for part in ("Ward A", "Nurses trained", cause, late, "Not recorded yet"):
        assert part in said, part
    minutes = {"attendees": ["ben"], "decisions": ["Borrow a trainer for July"], "notes": ""}
    review = f"{ORG}/reviews/monthly/ward-a/2026-05"
    saved = api.client.put(review, json=minutes, headers=api.headers("ben"))
    assert saved.status_code == 201
    _, said = read(get(api, PACK).content, tmp_path)
    assert "Borrow a trainer for July" in said and "Not recorded yet" not in said


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("viewer", f"{ORG}/reviews/monthly/nope/2026-05/pack.pdf", 404),
        ("viewer", f"{ORG}/reviews/monthly/ward-a/2026-13/pack.pdf", 422),
        ("viewer", f"{ORG}/reviews/monthly/ward-a/2026-5/pack.pdf", 422),
        ("other", PACK, 404),  # another organisation's admin sees no clinic
        ("other", SUMMARY, 404),
    ],
)
def test_a_wrong_unit_month_or_organisation_is_a_json_error(
    api: Seeded, who: str, url: str, status: int
) -> None:
    answer = get(api, url, who)
    assert answer.status_code == status
    assert "error" in answer.json()


def test_unknown_unit_is_named(api: Seeded) -> None:
    answer = get(api, f"{ORG}/reviews/monthly/nope/2026-05/pack.pdf")
    assert answer.json()["error"] == "unknown unit 'nope'"


def test_no_token_is_401(api: Seeded) -> None:
    assert api.client.get(PACK).status_code == 401
    assert api.client.get(SUMMARY).status_code == 401


def test_the_strategy_on_a_page_is_one_page(api: Seeded, tmp_path: Path) -> None:
    answer = get(api, SUMMARY)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        'attachment; filename="clinic-summary-2026-06-15.pdf"'
    )
    pages, said = read(answer.content, tmp_path)
    assert pages == 1
    assert "No patient is harmed by the care meant to heal them" in said
    assert "B1 Cut patient falls from 40 to 10 a month by the end of 2027" in said
    assert "13 days late on its action plan" in said  # the one warning as of 2026-06-15
