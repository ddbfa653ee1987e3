"""A unit's lead and a metric's own owner through the API, on SQLite and PostgreSQL: read,
changed at the version read, an unknown person refused at the field (422), someone still
leading or owning one not deleted (409), every change in the history."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"


def send(
    api: Seeded,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    who: str = "editor",
    version: str | None = None,
    org: str = ORG,
) -> Any:
    """A request to an organisation's API as ``who``, with If-Match when ``version`` is given."""
    headers = api.headers(who) if version is None else api.headers(who, **{"If-Match": version})
    return api.client.request(method, f"{org}{path}", json=body, headers=headers)


def problems(answer: Any) -> list[tuple[str, str]]:
    """The (field, reason) pairs of a 422 answer."""
    assert answer.status_code == 422, answer.json()
    return [(item["field"], item["reason"]) for item in answer.json()["detail"]]


AUDITS = {"id": "audits", "name": "Bed audits", "baseline": 0, "baseline_period": "2026-01",
          "target": 12, "target_period": "2026-07"}  # fmt: skip


def test_a_units_lead_is_read_changed_and_kept_in_the_history(api: Seeded) -> None:
    # small.yaml's units have no lead: both read null
    units = send(api, "GET", "/units", who="viewer").json()["items"]
    assert [(u["id"], u["lead"]) for u in units] == [("clinic", None), ("ward-a", None)]
    made = send(api, "POST", "/units", {"id": "icu", "name": "ICU", "parent": "clinic",
                                        "lead": "ben"})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["lead"] == "ben"
    changed = send(api, "PUT", "/units/icu", {"name": "ICU", "parent": "clinic", "lead": "ana"},
                   version='"1"')  # fmt: skip
    assert changed.status_code == 200 and changed.json()["lead"] == "ana"
    assert send(api, "GET", "/units/icu", who="viewer").json()["lead"] == "ana"
    history = send(api, "GET", "/units/icu/history", who="viewer").json()
    assert [(h["before"] or {}).get("lead") for h in history] == [None, "ben"]
    assert [h["after"]["lead"] for h in history] == ["ben", "ana"]


def test_a_metrics_owner_is_read_changed_and_none_means_the_objectives(api: Seeded) -> None:
    # falls has no owner of its own (B1's owner ana enters its actuals): null
    assert send(api, "GET", "/metrics/falls", who="viewer").json()["owner"] is None
    made = send(api, "POST", "/objectives/T1/metrics", AUDITS | {"owner": "ana"})
    assert made.status_code == 201, made.json()
    assert made.json()["owner"] == "ana"
    changed = send(api, "PUT", "/metrics/audits", AUDITS | {"owner": None}, version='"1"')
    assert changed.status_code == 200 and changed.json()["owner"] is None
    history = send(api, "GET", "/metrics/audits/history", who="viewer").json()
    assert [h["after"]["owner"] for h in history] == ["ana", None]


def test_an_unknown_lead_or_metric_owner_is_refused_at_its_field(api: Seeded) -> None:
    assert problems(send(api, "POST", "/units", {"id": "icu", "name": "ICU", "lead": "zed"})) == [
        ("lead", "unknown person 'zed'")
    ]
    assert problems(
        send(api, "PUT", "/units/ward-a", {"name": "Ward A", "lead": "zed"}, version='"1"')
    ) == [("lead", "unknown person 'zed'")]
    assert problems(send(api, "POST", "/objectives/T1/metrics", AUDITS | {"owner": "zed"})) == [
        ("owner", "unknown person 'zed'")
    ]
    assert problems(
        send(api, "PUT", "/metrics/falls", AUDITS | {"id": "falls", "owner": "zed"},
             version='"1"')
    ) == [("owner", "unknown person 'zed'")]  # fmt: skip
    # nothing was saved
    assert send(api, "GET", "/units/ward-a", who="viewer").json()["lead"] is None
    assert send(api, "GET", "/metrics/falls", who="viewer").json()["version"] == 1


def test_a_person_of_another_organisation_is_nobody_here(api: Seeded) -> None:
    other = "/api/v1/orgs/other"
    olga = send(api, "POST", "/people", {"id": "olga", "name": "Olga"}, who="other", org=other)
    assert olga.status_code == 201, olga.json()
    assert problems(send(api, "POST", "/units", {"id": "icu", "name": "ICU", "lead": "olga"})) == [
        ("lead", "unknown person 'olga'")
    ]
    assert problems(send(api, "POST", "/objectives/T1/metrics", AUDITS | {"owner": "olga"})) == [
        ("owner", "unknown person 'olga'")
    ]


def test_a_lead_or_a_metric_owner_who_is_still_one_cannot_be_deleted(api: Seeded) -> None:
    # a new person, Cy, leads ward-a and owns the new metric audits, and nothing else
    assert send(api, "POST", "/people", {"id": "cy", "name": "Cy Ray"}).status_code == 201
    ward = send(api, "PUT", "/units/ward-a", {"name": "Ward A", "parent": "clinic", "lead": "cy"},
                version='"1"')  # fmt: skip
    assert ward.status_code == 200, ward.json()
    assert send(api, "POST", "/objectives/T1/metrics", AUDITS | {"owner": "cy"}).status_code == 201
    answer = send(api, "DELETE", "/people/cy", version='"1"')
    assert answer.status_code == 409
    assert answer.json()["error"] == (
        "person cy cannot be deleted: it still owns metrics audits; it still leads units ward-a"
    )
    assert send(api, "PUT", "/metrics/audits", AUDITS, version='"1"').status_code == 200
    ward = send(api, "PUT", "/units/ward-a", {"name": "Ward A", "parent": "clinic"},
                version='"2"')  # fmt: skip
    assert ward.status_code == 200 and ward.json()["lead"] is None
    assert send(api, "DELETE", "/people/cy", version='"1"').status_code == 204


def test_a_viewer_cannot_name_a_lead(api: Seeded) -> None:
    answer = send(api, "PUT", "/units/ward-a", {"name": "Ward A", "lead": "ana"}, who="viewer",
                  version='"1"')  # fmt: skip
    assert answer.status_code == 403
    assert send(api, "GET", "/units/ward-a", who="viewer").json()["lead"] is None
