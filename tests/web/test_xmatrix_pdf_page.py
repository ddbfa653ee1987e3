"""The X-matrix page's "Download PDF" link and its route, without a browser, on SQLite and
PostgreSQL (examples/small.yaml as clinic; the matrix is worked out in
tests/service/test_xmatrix_pdf.py): the link carries the page's choices, the PDF shows
them, a choice the plan lacks is refused as the page refuses it, and only members see it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from xmatrix_support import one_a3_landscape_page, pdf_facts

from .web_support import clinic_pages, signed_in_as

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PAGE = "/orgs/clinic/x-matrix?as_of=2026-06-15"


@pytest.fixture
def pages(engine: Engine) -> Iterator[TestClient]:
    """The clinic with an admin and a viewer, neither a person of the plan."""
    with clinic_pages(engine, {"admin": ("admin", None), "viewer": ("viewer", None)}) as client:
        yield client


def pdf_link(page: str) -> str:
    """The href of the page's Download PDF link."""
    found = re.search(r'<a href="([^"]+)" download>Download PDF \(A3\)</a>', page)
    assert found is not None, "no Download PDF link"
    return html.unescape(found[1])


def test_the_link_carries_the_pages_choice_and_the_pdf_shows_it(
    pages: TestClient, tmp_path: Path
) -> None:
    signed_in_as(pages, "viewer")
    link = pdf_link(pages.get(PAGE).text)
    assert link == "/orgs/clinic/x-matrix.pdf?depth=team&as_of=2026-06-15"
    answer = pages.get(link)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert 'filename="clinic-x-matrix-2026-06-15.pdf"' in answer.headers["content-disposition"]
    (tmp_path / "x.pdf").write_bytes(answer.content)
    info, _, text = pdf_facts(tmp_path / "x.pdf")
    assert one_a3_landscape_page(info), info
    assert "T1 Train 40 nurses in fall prevention by September 2026" in text

    # direct only: a1 and a2 carry A1; T1 (a team objective) and its metric trained leave
    link = pdf_link(pages.get(f"{PAGE}&breakthrough=B1&depth=direct").text)
    assert link == "/orgs/clinic/x-matrix.pdf?breakthrough=B1&depth=direct&as_of=2026-06-15"
    (tmp_path / "direct.pdf").write_bytes(pages.get(link).content)
    _, _, text = pdf_facts(tmp_path / "direct.pdf")
    assert "breakthrough objective B1" in text and "that serve an annual objective directly" in text
    assert "a2 Roll out huddles to every ward" in text
    assert "T1 Train" not in text and "Nurses trained" not in text


def test_a_choice_the_plan_lacks_is_refused_and_strangers_see_nothing(pages: TestClient) -> None:
    signed_in_as(pages, "admin")
    wrong = pages.get("/orgs/clinic/x-matrix.pdf?breakthrough=A1&unit=nowhere")
    assert wrong.status_code == 422
    assert "&#39;A1&#39; is not the id of a breakthrough objective" in wrong.text
    assert "&#39;nowhere&#39; is not a unit" in wrong.text
    assert pages.get("/orgs/other/x-matrix.pdf").status_code == 404
    pages.cookies.clear()
    anonymous = pages.get("/orgs/clinic/x-matrix.pdf", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/signin"
