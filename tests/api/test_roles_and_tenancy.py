"""Who may change what in the plan (viewer, contributor on their own or another's, editor,
admin), and that another organisation's member finds nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
V1 = '"1"'


def send(
    api: Seeded, who: str, method: str, path: str, body: Any = None, version: str | None = None
) -> Any:
    """A request as ``who`` to the clinic's API (or an absolute /api path)."""
    headers = api.headers(who) if version is None else api.headers(who, **{"If-Match": version})
    url = path if path.startswith("/api") else f"{ORG}{path}"
    return api.client.request(method, url, json=body, headers=headers)


UNIT = {"name": "Ward A east", "parent": "clinic"}
PERSON = {"name": "Ben Ode", "unit": "ward-a"}
OBJECTIVE = {"title": "Huddles", "level": "annual", "owner": "ben", "unit": "ward-a",
             "supports": {"B1": 1}}  # fmt: skip
METRIC = {"name": "Ward days with a huddle", "baseline": 0, "baseline_period": "2025-12",
          "target": 100, "target_period": "2026-10"}  # fmt: skip
A1 = {"title": "Write the huddle checklist", "owner": "ben", "serves": ["A1"], "progress": 80}
A3 = {"title": "Buy alarms", "owner": "ana", "serves": ["B1"], "moves": ["falls"]}
CM1 = {"metric": "trained", "period": "2026-05", "owner": "ana", "status": "closed",
       "effect": "86% trained"}  # fmt: skip
VISION = {"statement": "No harm", "horizon": 2031}

# (method, path, body, If-Match) -> the answer of each role; ben owns A1, T1, a1, a2 and is of
# ward-a; ana owns B1, a3, cm1 and is of clinic. cm1 answers trained, a metric of ben's T1.
CHANGES: list[tuple[str, str, Any, str | None, dict[str, int]]] = [
    ("POST", "/units", {"id": "icu", "name": "ICU"}, None,
     {"viewer": 403, "ben": 403, "editor": 201, "admin": 201}),
    ("PUT", "/units/ward-a", UNIT, V1, {"viewer": 403, "ben": 403, "editor": 200, "admin": 200}),
    ("DELETE", "/units/ward-a", None, V1, {"viewer": 403, "ben": 403, "editor": 409}),
    ("POST", "/people", {"id": "cy", "name": "Cy"}, None,
     {"viewer": 403, "ana": 403, "editor": 201, "admin": 201}),
    ("PUT", "/people/ben", PERSON, V1, {"viewer": 403, "ben": 403, "editor": 200, "admin": 200}),
    ("DELETE", "/people/ben", None, V1, {"viewer": 403, "ben": 403, "admin": 409}),
    ("POST", "/objectives", {"id": "T2", "title": "x", "level": "team"}, None,
     {"viewer": 403, "ben": 403, "editor": 201, "admin": 201}),
    ("PUT", "/objectives/A1", OBJECTIVE, V1,
     {"viewer": 403, "ben": 403, "ana": 403, "editor": 200, "admin": 200}),
    ("DELETE", "/objectives/T1", None, V1, {"viewer": 403, "ben": 403, "editor": 409}),
    ("POST", "/objectives/A1/metrics", {"id": "m2", "name": "x", "direction": "maintain",
                                        "min": 1}, None,
     {"viewer": 403, "ben": 403, "editor": 201, "admin": 201}),
    ("PUT", "/metrics/huddles", METRIC, V1, {"viewer": 403, "ben": 403, "editor": 200}),
    ("DELETE", "/metrics/trained", None, V1, {"viewer": 403, "ben": 403, "editor": 409}),
    ("POST", "/actions", {"id": "a4", "title": "x", "owner": "ben"}, None,
     {"viewer": 403, "ben": 403, "editor": 201, "admin": 201}),
    ("PUT", "/actions/a1", A1, V1, {"viewer": 403, "ben": 200, "ana": 403, "editor": 200}),
    ("PUT", "/actions/a3", A3, V1, {"viewer": 403, "ben": 403, "ana": 200, "admin": 200}),
    ("DELETE", "/actions/a3", None, V1, {"viewer": 403, "ana": 403, "editor": 204}),
    ("POST", "/countermeasures", {"id": "cm2", "metric": "trained", "period": "2026-05"}, None,
     {"viewer": 403, "ben": 201, "ana": 403, "editor": 201}),
    ("POST", "/countermeasures", {"id": "cm2", "metric": "falls", "period": "2026-05"}, None,
     {"viewer": 403, "ben": 403, "ana": 201, "admin": 201}),
    ("PUT", "/countermeasures/cm1", CM1, V1,
     {"viewer": 403, "ben": 200, "ana": 200, "editor": 200}),
    ("DELETE", "/countermeasures/cm1", None, V1,
     {"viewer": 403, "ben": 403, "ana": 403, "editor": 204}),
    ("PUT", "/vision", VISION, V1, {"viewer": 403, "ana": 403, "editor": 200, "admin": 200}),
]  # fmt: skip
CASES = [
    pytest.param(who, method, path, body, version, status, id=f"{who}-{method}-{path}")
    for method, path, body, version, answers in CHANGES
    for who, status in answers.items()
]


@pytest.mark.parametrize(("who", "method", "path", "body", "version", "status"), CASES)
def test_role_matrix(
    api: Seeded, who: str, method: str, path: str, body: Any, version: str | None, status: int
) -> None:
    answer = send(api, who, method, path, body, version)
    assert answer.status_code == status, answer.text
    trail = send(api, "viewer", "GET", "/audit").json()["items"]
    actors = [event["actor"] for event in trail]
    assert actors == ([f"{who}@clinic.example"] if status in (200, 201, 204) else [])


def test_a_contributor_changes_their_units_actions_and_no_others(api: Seeded) -> None:
    for key, unit in (("a5", "ward-a"), ("a6", "clinic")):
        body = {"id": key, "title": "Rota", "unit": unit}  # owned by no one
        assert send(api, "editor", "POST", "/actions", body).status_code == 201
    change = {"title": "Rota v2", "unit": "ward-a"}
    assert send(api, "ben", "PUT", "/actions/a5", change, V1).status_code == 200  # his unit
    assert send(api, "ana", "PUT", "/actions/a5", change, '"2"').status_code == 403
    change = {"title": "Rota v2", "unit": "clinic"}
    assert send(api, "ben", "PUT", "/actions/a6", change, V1).status_code == 403
    assert send(api, "ana", "PUT", "/actions/a6", change, V1).status_code == 200  # her unit


def test_a_contributor_cannot_change_another_contributors_countermeasure(api: Seeded) -> None:
    body = {"id": "cm3", "metric": "falls", "period": "2026-05", "owner": "ana"}
    assert send(api, "ana", "POST", "/countermeasures", body).status_code == 201
    change = {"metric": "falls", "period": "2026-05", "owner": "ana", "status": "in_progress"}
    assert send(api, "ben", "PUT", "/countermeasures/cm3", change, V1).status_code == 403
    assert send(api, "ana", "PUT", "/countermeasures/cm3", change, V1).status_code == 200


NEW_ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "/units", None), ("GET", "/units/clinic", None),
    ("POST", "/units", {"id": "icu", "name": "ICU"}), ("PUT", "/units/clinic", {"name": "x"}),
    ("DELETE", "/units/clinic", None),
    ("GET", "/people", None), ("GET", "/people/ana", None),
    ("POST", "/people", {"id": "cy", "name": "Cy"}), ("PUT", "/people/ana", {"name": "x"}),
    ("DELETE", "/people/ana", None),
    ("POST", "/objectives", {"id": "T2", "title": "x", "level": "team"}),
    ("PUT", "/objectives/B1", {"title": "x", "level": "breakthrough"}),
    ("DELETE", "/objectives/B1", None),
    ("GET", "/metrics", None), ("GET", "/metrics/falls", None),
    ("POST", "/objectives/B1/metrics", {"id": "m", "name": "x", "direction": "maintain",
                                        "min": 1}),
    ("PUT", "/metrics/falls", {"name": "x", "direction": "maintain", "min": 1}),
    ("DELETE", "/metrics/falls", None),
    ("GET", "/actions", None), ("GET", "/actions/a1", None),
    ("POST", "/actions", {"id": "a9", "title": "x"}), ("PUT", "/actions/a1", {"title": "x"}),
    ("DELETE", "/actions/a1", None),
    ("GET", "/countermeasures", None), ("GET", "/countermeasures/cm1", None),
    ("POST", "/countermeasures", {"id": "c", "metric": "falls", "period": "2026-05"}),
    ("PUT", "/countermeasures/cm1", {"metric": "falls", "period": "2026-05"}),
    ("DELETE", "/countermeasures/cm1", None),
    ("GET", "/vision", None), ("PUT", "/vision", {"statement": "x"}),
    ("GET", "/audit", None),
    *(("GET", f"/{kind}/{key}/history", None) for kind, key in (
        ("units", "clinic"), ("people", "ana"), ("objectives", "B1"), ("metrics", "falls"),
        ("actions", "a1"), ("countermeasures", "cm1"))),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), NEW_ENDPOINTS)
def test_another_organisations_admin_gets_404(
    api: Seeded, method: str, path: str, body: Any
) -> None:
    # 'other' holds the same plan, so every id exists there: only the tenancy check stops it
    answer = send(api, "other", method, path, body, V1)
    assert answer.status_code == 404, answer.text
    assert answer.json() == {"error": "no organisation 'clinic'", "detail": None}


def test_an_id_made_in_one_organisation_is_unknown_in_another(api: Seeded) -> None:
    assert send(api, "editor", "POST", "/units", {"id": "icu", "name": "ICU"}).status_code == 201
    other = "/api/v1/orgs/other/units/icu"
    assert send(api, "other", "GET", other).json() == {"error": "no unit 'icu'", "detail": None}
    assert send(api, "other", "PUT", other, {"name": "x"}, V1).status_code == 404
    assert send(api, "other", "GET", f"{other}/history").status_code == 404
    assert send(api, "other", "GET", "/api/v1/orgs/other/audit").json()["total"] == 0
