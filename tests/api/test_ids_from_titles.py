"""A new entity created through the API without an id gets one made from its title (a
person's, a unit's or a metric's name), unique in the clinic's plan (examples/small.yaml:
ids clinic, ward-a, ana, ben, B1, A1, T1, a1-a3, falls, huddles, trained, cm1), on SQLite
and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"


def create(api: Seeded, path: str, body: dict[str, Any]) -> Any:
    """POSTs ``body`` as the clinic's editor; the answer must be 201."""
    made = api.client.post(f"{ORG}{path}", json=body, headers=api.headers("editor"))
    assert made.status_code == 201, made.json()
    return made


def test_ids_are_made_from_titles_and_names(api: Seeded) -> None:
    """ "Réduire les défauts" twice: reduire-les-defauts, then reduire-les-defauts-2; an
    action "A1" (an objective's id, A1 ≠ a1 but a1 is an action's) gets a1-2."""
    made = create(api, "/objectives", {"title": "Réduire les défauts", "level": "team"})
    assert made.json()["id"] == "reduire-les-defauts"
    assert made.headers["location"] == f"{ORG}/objectives/reduire-les-defauts"
    again = create(api, "/objectives", {"title": "Réduire les défauts", "level": "team"})
    assert again.json()["id"] == "reduire-les-defauts-2"
    assert create(api, "/actions", {"title": "A1"}).json()["id"] == "a1-2"
    assert create(api, "/units", {"name": "Ward B"}).json()["id"] == "ward-b"
    assert create(api, "/people", {"name": "Margaret Okafor"}).json()["id"] == "margaret-okafor"
    metric = {"name": "Bed audits", "baseline": 0, "baseline_period": "2026-01", "target": 12,
              "target_period": "2026-07"}  # fmt: skip
    assert create(api, "/objectives/T1/metrics", metric).json()["id"] == "bed-audits"
    # an id given is kept as given
    assert create(api, "/units", {"id": "ICU", "name": "Intensive care"}).json()["id"] == "ICU"


def test_the_openapi_schema_says_the_id_is_optional_on_create_only(api: Seeded) -> None:
    schemas = api.client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("ObjectiveCreate", "ActionCreate", "MetricCreate", "UnitCreate", "PersonCreate"):
        assert "id" not in schemas[name].get("required", []), name
    for name in ("ObjectiveRead", "ActionRead", "MetricRead", "UnitRead", "PersonRead"):
        assert "id" in schemas[name]["required"], name
