"""After a change to a large plan, pages say the analysis is being brought up to date until
the exact one is made (examples/small.yaml as clinic, counted as large)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hoshin.api import app as api_app
from hoshin.runtime.engine import session_factory
from hoshin.service import analysis as analysis_service
from hoshin.service.asker import Who
from hoshin.service.objective import update_objective
from hoshin.service.versioned import Change
from hoshin.store.organization import get_organization
from hoshin.store.plan_load import load_plan

from .web_support import clinic_pages, signed_in_as

PLAN = "/orgs/clinic/plan?as_of=2026-06-15"
NOTICE = "The analysis is being brought up to date after the latest change"
Work = Callable[[Session], None]
EVERY_PAGE = ("/", "/alignment", "/x-matrix", "/objectives/A1", "/objectives/B1", "/backward",
              "/backward/A1", "/check-in", "/my-work", "/reviews/monthly", "/reviews/annual",
              "/plan", "/assist", "/situation", "/catchball")  # fmt: skip


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[Work]:
    """The server's background work, kept here to be run when the test says."""
    work: list[Work] = []
    monkeypatch.setattr(analysis_service, "INLINE_SIZE", 0)
    monkeypatch.setattr(api_app, "in_background", lambda _sessions: work.append)
    return work


@pytest.fixture
def pages(engine: Engine, cheap_hashing: None, queued: list[Work]) -> Iterator[TestClient]:
    with clinic_pages(engine, {"vic": ("viewer", None)}) as client:
        yield client


def test_a_page_says_the_analysis_follows_until_it_is_made(
    pages: TestClient, engine: Engine, queued: list[Work]
) -> None:
    signed_in_as(pages, "vic")
    assert NOTICE not in pages.get(PLAN).text
    sessions: sessionmaker[Session] = session_factory(engine)
    with sessions() as session:
        org = get_organization(session, slug="clinic")
        b1 = load_plan(session, org=org).objectives[0]
        edited = replace(b1, title="Fewer falls, sooner")
        update_objective(
            session, change=Change(org, Who("tests"), 1), role="admin", objective=edited
        )
        session.commit()
    page = pages.get(PLAN)
    assert NOTICE in page.text and "Fewer falls, sooner" in page.text  # the edit shows at once
    for path in EVERY_PAGE:  # each page renders the interim analysis, with the notice
        got = pages.get(f"/orgs/clinic{path}?as_of=2026-06-15")
        assert got.status_code == 200 and NOTICE in got.text, path
    report = pages.get("/api/v1/orgs/clinic/analysis?as_of=2026-06-15")
    assert report.status_code == 200 and report.json()["summary"]["objectives"] == 3
    with sessions() as session:
        queued.pop()(session)
    page = pages.get(PLAN)
    assert NOTICE not in page.text and "Fewer falls, sooner" in page.text
