"""The REST API on SQLite and PostgreSQL: analysis, objectives, check-ins, roles, tenancy."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from api_support import NOW, SMALL, Seeded, served
from sqlalchemy import Engine

from hoshin.api.app import create_app
from hoshin.domain.analysis import analyze
from hoshin.domain.report import report
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory

pytestmark = pytest.mark.usefixtures("cheap_hashing")

AS_OF = "2026-06-15"
ACTUAL = "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06"


def test_analysis_is_exactly_the_engine_contract(api: Seeded) -> None:
    answer = api.client.get(
        f"/api/v1/orgs/clinic/analysis?as_of={AS_OF}", headers=api.headers("viewer")
    )
    assert answer.status_code == 200
    plan = read_plan(SMALL)
    assert answer.json() == report(plan, analyze(plan, NOW.date()))


def test_summary_counts(api: Seeded) -> None:
    # examples/small.yaml at 2026-06-15: A1 and B1 amber, T1 red (tests/cli/test_check.py)
    answer = api.client.get(
        f"/api/v1/orgs/clinic/analysis/summary?as_of={AS_OF}", headers=api.headers("viewer")
    ).json()
    assert answer["summary"]["amber"] == 2 and answer["summary"]["red"] == 1
    assert answer["findings_by_code"] == {"infeasible_schedule": 1}


def test_objectives_filter_and_page(api: Seeded) -> None:
    url = f"/api/v1/orgs/clinic/objectives?as_of={AS_OF}"
    everything = api.client.get(url, headers=api.headers("viewer")).json()
    assert [o["id"] for o in everything["items"]] == ["B1", "A1", "T1"]
    red = api.client.get(f"{url}&status=red", headers=api.headers("viewer")).json()
    assert [o["id"] for o in red["items"]] == ["T1"] and red["total"] == 1
    page = api.client.get(f"{url}&limit=1&offset=1", headers=api.headers("viewer")).json()
    assert [o["id"] for o in page["items"]] == ["A1"] and page["total"] == 3
    team = api.client.get(f"{url}&level=team", headers=api.headers("viewer")).json()
    assert [o["id"] for o in team["items"]] == ["T1"]


def test_objective_read_has_etag_metrics_and_analysis(api: Seeded) -> None:
    answer = api.client.get(
        f"/api/v1/orgs/clinic/objectives/A1?as_of={AS_OF}", headers=api.headers("viewer")
    )
    assert answer.headers["etag"] == '"1"'
    body = answer.json()
    assert body["supports"] == {"B1": 1.0}
    assert [m["id"] for m in body["metrics"]] == ["huddles"]
    assert body["analysis"]["status"] == "amber"


def put(api: Seeded, who: str, value: float, version: str | None = None) -> Any:
    headers = api.headers(who) if version is None else api.headers(who, **{"If-Match": version})
    return api.client.put(ACTUAL, json={"value": value}, headers=headers)


def test_correcting_an_actual_needs_the_version_read(api: Seeded) -> None:
    created = put(api, "editor", 65)
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    missing = put(api, "editor", 66)
    assert missing.status_code == 428
    corrected = put(api, "editor", 70, '"1"')
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    stale = put(api, "editor", 99, '"1"')
    assert stale.status_code == 412
    assert stale.json()["detail"]["value"] == 70 and stale.json()["detail"]["version"] == 2
    history = api.client.get(f"{ACTUAL}/history", headers=api.headers("viewer")).json()
    assert [(h["change"], h["after"]["value"]) for h in history] == [
        ("create", 65),
        ("update", 70),
    ]
    assert history[1]["before"]["value"] == 65  # the earlier value is kept


def test_a_new_actual_changes_the_analysis(api: Seeded) -> None:
    # huddles: plan for 2026-06 is 0 + 100 * 6/10 = 60; 45 there is 15 below:
    # deviation -15/100 = -0.15 -> red (it was green on May's 60 vs 50)
    url = f"/api/v1/orgs/clinic/analysis?as_of={AS_OF}"
    before = api.client.get(url, headers=api.headers("viewer")).json()
    assert before["metrics"]["huddles"]["status"] == "green"
    assert put(api, "editor", 45).status_code == 201
    after = api.client.get(url, headers=api.headers("viewer")).json()
    assert after["metrics"]["huddles"]["status"] == "red"
    assert after["metrics"]["huddles"]["current_period"] == "2026-06"


def test_bulk_check_in_is_all_or_nothing(api: Seeded) -> None:
    url = "/api/v1/orgs/clinic/actuals"
    bad = {"actuals": [{"metric": "huddles", "period": "2026-06", "value": 61},
                       {"metric": "nope", "period": "2026-06", "value": 1}]}  # fmt: skip
    answer = api.client.post(url, json=bad, headers=api.headers("editor"))
    assert answer.status_code == 404 and answer.json()["error"].startswith("actuals[1]")
    assert api.client.get(ACTUAL, headers=api.headers("viewer")).status_code == 404
    good = {"actuals": [{"metric": "huddles", "period": "2026-06", "value": 61},
                        {"metric": "trained", "period": "2026-06", "value": 14}]}  # fmt: skip
    assert api.client.post(url, json=good, headers=api.headers("editor")).status_code == 200
    assert api.client.get(ACTUAL, headers=api.headers("viewer")).json()["value"] == 61


@pytest.mark.parametrize(
    ("who", "metric", "allowed"),
    [
        ("viewer", "huddles", False),
        ("ben", "huddles", True),  # ben owns A1, whose metric huddles is
        ("ben", "falls", False),  # B1 is ana's and of no unit
        ("ana", "falls", True),
        ("ana", "trained", False),  # T1 is ben's, of unit ward-a; ana is of clinic
        ("editor", "falls", True),
        ("admin", "trained", True),
    ],
)
def test_who_may_record_an_actual(api: Seeded, who: str, metric: str, allowed: bool) -> None:
    url = f"/api/v1/orgs/clinic/metrics/{metric}/actuals/2026-06"
    answer = api.client.put(url, json={"value": 1}, headers=api.headers(who))
    assert answer.status_code == (201 if allowed else 403), answer.json()


def test_another_organisations_member_gets_404_everywhere(api: Seeded) -> None:
    for url in (
        "/api/v1/orgs/clinic/analysis",
        "/api/v1/orgs/clinic/analysis/summary",
        "/api/v1/orgs/clinic/objectives",
        "/api/v1/orgs/clinic/objectives/B1",
        ACTUAL,
        f"{ACTUAL}/history",
    ):
        answer = api.client.get(url, headers=api.headers("other"))
        assert answer.status_code == 404, url
        assert answer.json() == {"error": "no organisation 'clinic'", "detail": None}
    assert put(api, "other", 1).status_code == 404


def test_without_credentials_401(api: Seeded) -> None:
    assert api.client.get("/api/v1/orgs/clinic/objectives").status_code == 401
    bad = api.client.get("/api/v1/orgs/clinic/objectives", headers={"Authorization": "Bearer x"})
    assert bad.status_code == 401 and bad.json()["error"] == "the API token is unknown or revoked"


def test_a_check_in_is_told_who_may_record_it_as_any_request(api: Seeded) -> None:
    """A PUT of a month's first actual finds who asks in the writer of check-ins
    (runtime.group_commit), with the answers of every other request."""
    body = {"value": 61}
    assert api.client.put(ACTUAL, json=body).status_code == 401
    unknown = api.client.put(ACTUAL, json=body, headers={"Authorization": "Bearer x"})
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "the API token is unknown or revoked"
    basic = api.client.put(ACTUAL, json=body, headers={"Authorization": "Basic x"})
    assert basic.status_code == 401
    assert basic.json()["error"] == "Authorization must be 'Bearer <token>'"
    signed_in = {"email": "editor@clinic.example", "password": "correct horse battery"}
    assert api.client.post("/api/v1/session", json=signed_in).status_code == 200
    saved = api.client.put(ACTUAL, json=body)  # with the session cookie
    assert saved.status_code == 201 and saved.headers["ETag"] == '"1"'
    assert {k: v for k, v in saved.json().items() if k != "updated_at"} == {
        "metric": "huddles", "period": "2026-06", "value": 61.0, "version": 1,
    }  # fmt: skip
    again = api.client.put(ACTUAL, json=body)  # the month has an actual now: a correction
    assert again.status_code == 428


def test_validation_error_names_the_field(api: Seeded) -> None:
    answer = api.client.put(ACTUAL, json={"value": "lots"}, headers=api.headers("editor"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "body.value"


def test_sign_in_sets_an_http_only_cookie_and_works(api: Seeded) -> None:
    answer = api.client.post(
        "/api/v1/session",
        json={"email": "viewer@clinic.example", "password": "correct horse battery"},
    )
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert api.client.get("/api/v1/orgs/clinic/objectives").status_code == 200
    api.client.delete("/api/v1/session")
    assert api.client.get("/api/v1/orgs/clinic/objectives").status_code == 401


def test_two_writers_on_one_actual_one_wins_one_is_told(api: Seeded) -> None:
    assert put(api, "editor", 50).status_code == 201
    barrier = threading.Barrier(2)
    results: list[int] = []

    def write(value: float) -> None:
        barrier.wait()
        results.append(put(api, "editor", value, '"1"').status_code)

    threads = [threading.Thread(target=write, args=(v,)) for v in (51, 52)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 412]
    final = api.client.get(ACTUAL, headers=api.headers("viewer")).json()
    assert final["version"] == 2 and final["value"] in (51, 52)


def test_sign_in_failures_are_counted_and_limited(api: Seeded) -> None:
    """A wrong password is 401 (not 403: no one is signed in). Three failures cost nothing;
    the fourth attempt, made at once, must wait 1 s (service.throttle: 1 s after the third,
    doubling with each further failure): 429 with Retry-After: 1."""
    wrong = {"email": "viewer@clinic.example", "password": "not the password"}
    for _ in range(3):
        answer = api.client.post("/api/v1/session", json=wrong)
        assert answer.status_code == 401
        assert answer.json()["error"] == "wrong email or password"
    limited = api.client.post("/api/v1/session", json=wrong)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "1"


def test_concurrent_first_check_ins_without_if_match_are_corrections_after_the_first(
    api: Seeded, engine: Engine
) -> None:
    """30 editors check in June at once on a served API, none with If-Match: one is saved
    (201) and the 29 others are told to correct it with its version (428), never 412 (they
    sent no version that could be stale: up to 12 of 30 were told 412 when they shared the
    writer's batch or raced its INSERT); the saved value is one of theirs."""
    barrier = threading.Barrier(30)
    results: list[int] = []
    headers = {**api.headers("editor"), "Content-Type": "application/json"}

    def write(base: str, value: int) -> None:
        request = urllib.request.Request(
            base + ACTUAL, json.dumps({"value": value}).encode(), headers, method="PUT"
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                results.append(answer.status)
        except urllib.error.HTTPError as error:
            results.append(error.code)

    with served(create_app(session_factory(engine))) as base:
        threads = [threading.Thread(target=write, args=(base, v)) for v in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == [201] + [428] * 29
    final = api.client.get(ACTUAL, headers=api.headers("viewer")).json()
    assert final["version"] == 1 and final["value"] in range(30)
