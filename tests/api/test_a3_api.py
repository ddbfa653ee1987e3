"""GET /api/v1/orgs/{org}/objectives/{key}/a3.pdf on SQLite and PostgreSQL: the A3 of an
objective of examples/small.yaml (clinic), with its unit's next scheduled review."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

A3 = "/api/v1/orgs/clinic/objectives/A1/a3.pdf"


def text_of(body: bytes, folder: Path) -> tuple[str, str]:
    """(pdfinfo, pdftotext -layout) of the PDF ``body``."""
    path = folder / "a3.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return info, text


def test_the_a3_is_a_one_page_pdf_to_save(api: Seeded, tmp_path: Path) -> None:
    got = api.client.get(A3, params={"as_of": "2026-06-15"}, headers=api.headers("viewer"))
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    disposition = 'attachment; filename="clinic-a3-A1-2026-06-15.pdf"'
    assert got.headers["content-disposition"] == disposition
    info, text = text_of(got.content, tmp_path)
    assert "Pages:           1\n" in info and "1190.55 x 841.89 pts (A3)" in info
    assert "A3 · A1 Run a daily fall-risk huddle" in text and "Owner Ben Ode" in text
    # no meeting recorded: next month's review of Ward A
    assert "monthly review of Ward A, 2026-07" in text


def test_the_a3_names_the_units_next_scheduled_review(api: Seeded, tmp_path: Path) -> None:
    """Ward A's June review meets 2026-06-20 09:00 at +02:00, 07:00 UTC; as of 06-15 it is
    the next one. As of 06-21 it has passed, and July's is not scheduled."""
    review = "/api/v1/orgs/clinic/reviews/monthly/ward-a/2026-06"
    made = api.client.put(review, json={"meeting_at": "2026-06-20T09:00:00+02:00"},
                          headers=api.headers("editor"))  # fmt: skip
    assert made.status_code == 201, made.json()
    got = api.client.get(A3, params={"as_of": "2026-06-15"}, headers=api.headers("viewer"))
    assert (
        "monthly review of Ward A, 2026-06: 2026-06-20 07:00 UTC"
        in text_of(got.content, tmp_path)[1]
    )
    later = api.client.get(A3, params={"as_of": "2026-06-21"}, headers=api.headers("viewer"))
    assert "monthly review of Ward A, 2026-07" in text_of(later.content, tmp_path)[1]


def test_an_unknown_objective_is_404_and_another_organisation_sees_nothing(api: Seeded) -> None:
    missing = api.client.get(
        "/api/v1/orgs/clinic/objectives/A9/a3.pdf", headers=api.headers("viewer")
    )
    assert missing.status_code == 404
    assert missing.json()["error"] == "no objective 'A9'"
    assert api.client.get(A3, headers=api.headers("other")).status_code == 404
    assert api.client.get(A3).status_code == 401
    bad = api.client.get(A3, params={"as_of": "2026-13-01"}, headers=api.headers("viewer"))
    assert bad.status_code == 422
