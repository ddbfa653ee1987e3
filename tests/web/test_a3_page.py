"""The objective page's "Download A3 (PDF)" and its route, on SQLite and PostgreSQL
(examples/small.yaml as clinic)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from .web_support import clinic_pages, signed_in_as

AS_OF = "?as_of=2026-06-15"
A1 = f"/orgs/clinic/objectives/A1{AS_OF}"
USERS = {"vic": ("viewer", None)}


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None) -> Iterator[TestClient]:
    """examples/small.yaml as 'clinic', with vic (viewer)."""
    with clinic_pages(engine, USERS) as client:
        yield client


def test_the_objective_page_links_its_a3_and_the_link_saves_a_one_page_pdf(
    pages: TestClient, tmp_path: Path
) -> None:
    signed_in_as(pages, "vic")
    page = pages.get(A1)
    link = re.search(r'<a href="([^"]+)" download>Download A3 \(PDF\)</a>', page.text)
    assert link is not None and link[1] == f"/orgs/clinic/objectives/A1/a3.pdf{AS_OF}"
    got = pages.get(link[1])
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert (
        got.headers["content-disposition"] == 'attachment; filename="clinic-a3-A1-2026-06-15.pdf"'
    )
    path = tmp_path / "a3.pdf"
    path.write_bytes(got.content)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1\n" in info and "1190.55 x 841.89 pts (A3)" in info
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "A3 · A1 Run a daily fall-risk huddle" in text and "as of 2026-06-15" in text


def test_the_a3_answers_as_the_objective_page_does(pages: TestClient) -> None:
    """Signed out: what the objective page answers; an unknown objective: 404."""
    signed_out = pages.get(A1, follow_redirects=False).status_code
    a3 = pages.get(f"/orgs/clinic/objectives/A1/a3.pdf{AS_OF}", follow_redirects=False)
    assert a3.status_code == signed_out != 200
    signed_in_as(pages, "vic")
    assert pages.get("/orgs/clinic/objectives/Z9/a3.pdf").status_code == 404
    assert pages.get("/orgs/clinic/objectives/Z9").status_code == 404
    assert pages.get("/orgs/other/objectives/A1/a3.pdf").status_code == 404
