"""The strength of supports, serves and moves links through the API, on SQLite and
PostgreSQL: reads give every link's strength, writes take some or none (strong), a wrong
one is a 422 naming its place."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"


def send(
    api: Seeded, method: str, path: str, body: dict[str, Any] | None = None, **headers: str
) -> Any:
    """A request to the clinic's API as its editor."""
    return api.client.request(
        method, f"{ORG}{path}", json=body, headers=api.headers("editor", **headers)
    )


def test_reads_give_the_strength_of_every_link(api: Seeded) -> None:
    """examples/small.yaml: T1 supports A1 medium; a1 serves A1 weak; a2 serves A1 and
    moves huddles, both strong (written as lists)."""
    t1 = send(api, "GET", "/objectives/T1").json()
    assert (t1["supports"], t1["supports_strength"]) == ({"A1": 1.0}, {"A1": "medium"})
    a1 = send(api, "GET", "/actions/a1").json()
    assert (a1["serves"], a1["serves_strength"]) == (["A1"], {"A1": "weak"})
    a2 = send(api, "GET", "/actions/a2").json()
    assert a2["serves_strength"] == {"A1": "strong"}
    assert a2["moves_strength"] == {"huddles": "strong"}


def test_a_change_of_strength_is_saved_and_a_link_left_out_is_strong(api: Seeded) -> None:
    """a2 moves huddles weak and serves A1 as before (left out: strong); T1's link to A1
    is sent without a strength: strong again."""
    a2 = send(api, "GET", "/actions/a2").json()
    body = {key: a2[key] for key in ("title", "owner", "serves", "moves", "requires", "due")}
    saved = send(api, "PUT", "/actions/a2", body | {"moves_strength": {"huddles": "weak"}},
                 **{"If-Match": '"1"'})  # fmt: skip
    assert saved.status_code == 200, saved.json()
    assert saved.json()["moves_strength"] == {"huddles": "weak"}
    assert saved.json()["serves_strength"] == {"A1": "strong"}
    again = send(api, "GET", "/actions/a2").json()
    assert again["moves_strength"] == {"huddles": "weak"}

    t1 = send(api, "GET", "/objectives/T1").json()
    body = {key: t1[key] for key in ("title", "level", "owner", "unit", "supports")}
    saved = send(api, "PUT", "/objectives/T1", body, **{"If-Match": '"1"'})
    assert saved.status_code == 200, saved.json()
    assert saved.json()["supports_strength"] == {"A1": "strong"}


def test_a_wrong_strength_is_refused_naming_its_place(api: Seeded) -> None:
    """'mild' is no strength; a strength for B1, which a9 does not serve, is no link."""
    body = {"id": "a9", "title": "x", "serves": ["A1"], "serves_strength": {"A1": "mild"}}
    answer = send(api, "POST", "/actions", body)
    assert answer.status_code == 422
    (item,) = answer.json()["detail"]
    assert item["field"] == "body.serves_strength.A1"
    answer = send(api, "POST", "/actions", body | {"serves_strength": {"B1": "weak"}})
    assert answer.status_code == 422
    assert [(d["field"], d["reason"]) for d in answer.json()["detail"]] == [
        ("serves.B1", "a strength for 'B1', which is not in serves")
    ]
