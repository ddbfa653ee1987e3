"""GET /api/v1/orgs/{org}/x-matrix.pdf on SQLite and PostgreSQL: the X-matrix of the
organisation's plan (examples/small.yaml as clinic, worked out in
tests/service/test_xmatrix_pdf.py) as one A3 landscape page, to members only."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import Seeded

from xmatrix_support import one_a3_landscape_page, pdf_facts

pytestmark = pytest.mark.usefixtures("cheap_hashing")

URL = "/api/v1/orgs/clinic/x-matrix.pdf?as_of=2026-06-15"


def test_a_viewer_downloads_the_x_matrix(api: Seeded, tmp_path: Path) -> None:
    answer = api.client.get(URL, headers=api.headers("viewer"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    disposition = answer.headers["content-disposition"]
    assert disposition == 'attachment; filename="clinic-x-matrix-2026-06-15.pdf"'
    (tmp_path / "x.pdf").write_bytes(answer.content)
    info, _, text = pdf_facts(tmp_path / "x.pdf")
    assert one_a3_landscape_page(info), info
    assert "X-matrix of Riverside Clinic" in text
    assert "B1 ▲ Cut patient falls from 40 to 10 a month by the end of 2027" in text
    assert "trained Nurses trained 2026: 40" in text and "Ben Ode" in text


def test_one_breakthrough_and_an_unknown_one(api: Seeded) -> None:
    one = api.client.get(f"{URL}&breakthrough=B1", headers=api.headers("viewer"))
    assert one.status_code == 200
    assert 'filename="clinic-x-matrix-B1-2026-06-15.pdf"' in one.headers["content-disposition"]
    wrong = api.client.get(f"{URL}&breakthrough=A1", headers=api.headers("viewer"))
    assert wrong.status_code == 422
    assert wrong.json()["error"] == (
        "breakthrough: 'A1' is not the id of a breakthrough objective of the plan (they are: B1)"
    )


def test_no_one_outside_the_organisation_sees_it(api: Seeded) -> None:
    assert api.client.get(URL).status_code == 401
    assert api.client.get(URL, headers=api.headers("other")).status_code == 404
    too_long = api.client.get(f"{URL}&breakthrough={'B' * 201}", headers=api.headers("viewer"))
    assert too_long.status_code == 422
