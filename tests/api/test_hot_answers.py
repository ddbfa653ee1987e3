"""The hot reads encode their own answers (api.deps.json_answer): the same bytes and headers
FastAPI made of their dicts, and a summary encoded once per analysis."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from api_support import SMALL, Seeded

from hoshin.api.analysis import summary_json
from hoshin.domain.analysis import analyze
from hoshin.planfile import read_plan
from hoshin.service.analysis import Analysed

pytestmark = pytest.mark.usefixtures("cheap_hashing")

AS_OF = "2026-06-15"


def compact(content: object) -> bytes:
    """JSON as FastAPI encodes a route's dict: no spaces, text as it is."""
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()


def test_objective_read_is_compact_json_with_its_etag(api: Seeded) -> None:
    answer = api.client.get(
        f"/api/v1/orgs/clinic/objectives/A1?as_of={AS_OF}", headers=api.headers("viewer")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["etag"] == f'"{answer.json()["version"]}"'
    assert answer.headers["content-length"] == str(len(answer.content))
    assert answer.content == compact(answer.json())
    assert answer.json()["analysis"]["level"] == "annual"


def test_summary_is_compact_json(api: Seeded) -> None:
    answer = api.client.get(
        f"/api/v1/orgs/clinic/analysis/summary?as_of={AS_OF}", headers=api.headers("viewer")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert "etag" not in answer.headers
    assert answer.content == compact(answer.json())
    assert answer.json()["stale"] is False


def test_summary_is_encoded_once_per_analysis_and_says_whether_it_is_stale() -> None:
    plan = read_plan(SMALL)
    exact = Analysed(plan_version=1, plan=plan, analysis=analyze(plan, date(2026, 6, 15)))
    stale = replace(exact, stale=True)  # shares exact's memo
    first = summary_json(exact)
    assert json.loads(first)["stale"] is False
    assert json.loads(summary_json(stale))["stale"] is True
    assert summary_json(exact) is first
    # A1 and B1 amber, T1 red at 2026-06-15 (tests/api/test_api.py)
    assert json.loads(first)["summary"]["amber"] == 2
    assert json.loads(first)["summary"]["red"] == 1


def test_objective_read_of_another_organisation_or_none_is_refused(api: Seeded) -> None:
    unknown = api.client.get("/api/v1/orgs/clinic/objectives/Z9", headers=api.headers("viewer"))
    assert unknown.status_code == 404 and unknown.json()["error"] == "no objective 'Z9'"
    other = api.client.get("/api/v1/orgs/nowhere/objectives/A1", headers=api.headers("viewer"))
    assert other.status_code == 404
    anonymous = api.client.get("/api/v1/orgs/clinic/objectives/A1")
    assert anonymous.status_code == 401
