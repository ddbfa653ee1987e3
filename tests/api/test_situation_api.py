"""The current position through the API, on SQLite and PostgreSQL: the situation's items (put
creates or replaces with If-Match, delete refused while addressed), objectives' addresses,
risks' level and trigger, who may do what, and the findings they make.

The clinic is examples/small.yaml: items s-nurses (strength), w-falls (weakness), o-alarms
(opportunity) and t-inspection (threat); T1 addresses w-falls and t-inspection."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
V1 = '"1"'
ITEM = {"kind": "threat", "text": "A new clinic opens in the next town"}


def send(
    api: Seeded, method: str, path: str, body: Any = None, *, who: str = "editor",
    version: str | None = None,
) -> Any:  # fmt: skip
    """A request as ``who`` to the clinic's API (or an absolute /api path)."""
    headers = api.headers(who) if version is None else api.headers(who, **{"If-Match": version})
    url = path if path.startswith("/api") else f"{ORG}{path}"
    return api.client.request(method, url, json=body, headers=headers)


def test_the_situation_lists_each_item_with_the_objectives_that_address_it(api: Seeded) -> None:
    items = send(api, "GET", "/situation", who="viewer").json()["items"]
    assert [(i["id"], i["kind"], i["addressed_by"]) for i in items] == [
        ("s-nurses", "strength", []),
        ("w-falls", "weakness", ["T1"]),
        ("o-alarms", "opportunity", []),
        ("t-inspection", "threat", ["T1"]),
    ]
    assert items[1]["text"] == "40 patient falls a month, twice the regional rate"
    assert items[1]["version"] == 1


def test_put_creates_then_replaces_at_the_version_read_and_delete_needs_it(api: Seeded) -> None:
    made = send(api, "PUT", "/situation/t-rival", ITEM)
    assert made.status_code == 201, made.text
    assert made.headers["etag"] == V1 and made.headers["location"] == f"{ORG}/situation/t-rival"
    assert made.json() == {"id": "t-rival", **ITEM, "addressed_by": [], "version": 1}
    assert send(api, "GET", "/situation/t-rival", who="viewer").headers["etag"] == V1
    change = {"kind": "threat", "text": "Two new clinics open nearby"}
    assert send(api, "PUT", "/situation/t-rival", change).status_code == 428
    changed = send(api, "PUT", "/situation/t-rival", change, version=V1)
    assert changed.status_code == 200 and changed.json()["text"] == change["text"]
    assert changed.headers["etag"] == '"2"'
    stale = send(api, "PUT", "/situation/t-rival", ITEM, version=V1)
    assert stale.status_code == 412 and stale.json()["detail"]["version"] == 2
    assert send(api, "DELETE", "/situation/t-rival").status_code == 428
    assert send(api, "DELETE", "/situation/t-rival", version='"2"').status_code == 204
    assert send(api, "GET", "/situation/t-rival", who="viewer").status_code == 404
    # put at a version of what was deleted meanwhile: not created again
    assert send(api, "PUT", "/situation/t-rival", ITEM, version='"2"').status_code == 412
    history = send(api, "GET", "/situation/t-rival/history", who="viewer").json()
    assert [(h["change"], h["actor"]) for h in history] == [
        ("create", "editor@clinic.example"),
        ("update", "editor@clinic.example"),
        ("delete", "editor@clinic.example"),
    ]
    trail = send(api, "GET", "/audit?entity=situation&key=t-rival", who="viewer").json()
    assert trail["total"] == 3
    # an item that never was has no history: 404, like an objective's (the fuzzer found a 500)
    assert send(api, "GET", "/situation/h/history", who="viewer").status_code == 404
    assert send(api, "GET", "/situation/w-falls/history", who="viewer").json() == []


def test_an_item_may_share_an_id_with_an_objective(api: Seeded) -> None:
    # T1 is an objective of the clinic; a situation item's id is its own
    assert send(api, "PUT", "/situation/T1", ITEM).status_code == 201


def test_an_addressed_item_cannot_be_deleted_and_the_answer_names_who_addresses_it(
    api: Seeded,
) -> None:
    answer = send(api, "DELETE", "/situation/w-falls", version=V1)
    assert answer.status_code == 409
    assert answer.json() == {
        "error": "situation w-falls cannot be deleted: it is still addressed by objectives T1",
        "detail": [{"field": "is still addressed by objectives", "reason": "T1"}],
    }
    assert send(api, "DELETE", "/situation/o-alarms", version=V1).status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "risk", "text": "x"}, "kind"),
        ({"kind": "threat", "text": ""}, "text"),
        ({"kind": "threat", "text": "x" * 301}, "text"),
        ({"kind": "threat"}, "text"),
        ({"kind": "threat", "text": "x", "note": "y"}, "note"),
    ],
)
def test_a_bad_item_is_refused_with_422_naming_the_field(
    api: Seeded, body: dict[str, Any], field: str
) -> None:
    answer = send(api, "PUT", "/situation/t-new", body)
    assert answer.status_code == 422, answer.text
    assert field in answer.text
    assert send(api, "GET", "/situation/t-new", who="viewer").status_code == 404


def test_the_body_cannot_rename_an_item(api: Seeded) -> None:
    answer = send(api, "PUT", "/situation/t-new", {"id": "t-other", **ITEM})
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"field": "id", "reason": "must be t-new, the id in the path"}
    ]


@pytest.mark.parametrize(
    ("who", "method", "path", "version", "status"),
    [
        ("viewer", "PUT", "/situation/t-new", None, 403),
        ("ben", "PUT", "/situation/t-new", None, 403),  # a contributor
        ("admin", "PUT", "/situation/t-new", None, 201),
        ("viewer", "DELETE", "/situation/o-alarms", V1, 403),
        ("ana", "DELETE", "/situation/o-alarms", V1, 403),
        ("admin", "DELETE", "/situation/o-alarms", V1, 204),
        ("ben", "GET", "/situation", None, 200),
        ("viewer", "GET", "/situation/o-alarms", None, 200),
    ],
)
def test_members_read_and_editors_and_admins_change(
    api: Seeded, who: str, method: str, path: str, version: str | None, status: int
) -> None:
    answer = send(api, method, path, None if method != "PUT" else ITEM, who=who, version=version)
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/situation"), ("GET", "/situation/w-falls"), ("PUT", "/situation/w-falls"),
     ("DELETE", "/situation/o-alarms"), ("GET", "/situation/w-falls/history")],
)  # fmt: skip
def test_another_organisation_finds_nothing_and_a_stranger_is_asked_to_sign_in(
    api: Seeded, method: str, path: str
) -> None:
    # 'other' holds the same plan, so every id exists there: only the tenancy check stops it
    answer = send(api, method, path, ITEM if method == "PUT" else None, who="other", version=V1)
    assert answer.status_code == 404
    assert answer.json() == {"error": "no organisation 'clinic'", "detail": None}
    assert api.client.request(method, f"{ORG}{path}", json=ITEM).status_code == 401


# --- objectives' addresses ---------------------------------------------------------------------

A1 = {"title": "Run a daily fall-risk huddle", "level": "annual", "owner": "ben",
      "unit": "ward-a", "supports": {"B1": 1}}  # fmt: skip


def test_an_objective_addresses_known_items_and_the_situation_shows_it(api: Seeded) -> None:
    changed = send(api, "PUT", "/objectives/A1", A1 | {"addresses": ["w-falls", "o-alarms"]},
                   version=V1)  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["addresses"] == ["w-falls", "o-alarms"]
    assert send(api, "GET", "/objectives/A1", who="viewer").json()["addresses"] == [
        "w-falls",
        "o-alarms",
    ]
    items = {i["id"]: i for i in send(api, "GET", "/situation", who="viewer").json()["items"]}
    assert items["w-falls"]["addressed_by"] == ["A1", "T1"]
    assert items["o-alarms"]["addressed_by"] == ["A1"]
    history = send(api, "GET", "/objectives/A1/history", who="viewer").json()
    assert (history[-1]["before"]["addresses"], history[-1]["after"]["addresses"]) == (
        [],
        ["w-falls", "o-alarms"],
    )


def test_an_objective_addressing_an_unknown_or_repeated_item_is_refused(api: Seeded) -> None:
    unknown = send(api, "PUT", "/objectives/A1", A1 | {"addresses": ["w-falls", "w-9"]},
                   version=V1)  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == [
        {"field": "addresses.1", "reason": "unknown situation item 'w-9'"}
    ]
    twice = send(api, "PUT", "/objectives/A1", A1 | {"addresses": ["w-falls", "w-falls"]},
                 version=V1)  # fmt: skip
    assert twice.status_code == 422 and "more than once" in twice.text
    made = send(
        api,
        "POST",
        "/objectives",
        {
            "id": "T2",
            "title": "Alarms",
            "level": "team",
            "supports": {"A1": 1},
            "addresses": ["o-alarms"],
        },
    )
    assert made.status_code == 201 and made.json()["addresses"] == ["o-alarms"]


def test_deleting_an_objective_frees_the_items_it_addressed(api: Seeded) -> None:
    made = send(
        api,
        "POST",
        "/objectives",
        {
            "id": "T2",
            "title": "Alarms",
            "level": "team",
            "supports": {"A1": 1},
            "addresses": ["o-alarms"],
        },
    )
    assert made.status_code == 201
    assert send(api, "DELETE", "/situation/o-alarms", version=V1).status_code == 409
    assert send(api, "DELETE", "/objectives/T2", version=V1).status_code == 204
    assert send(api, "DELETE", "/situation/o-alarms", version=V1).status_code == 204


# --- risks and findings -------------------------------------------------------------------------

A2 = {"title": "Roll out huddles to every ward", "owner": "ben", "serves": ["A1"],
      "moves": ["huddles"], "requires": ["a1"], "due": "2026-07-31",
      "duration_days": 30}  # fmt: skip


def findings(api: Seeded, code: str) -> list[str]:
    analysis = send(api, "GET", "/analysis?as_of=2026-06-15", who="viewer").json()
    return [f["subject"] for f in analysis["findings"] if f["code"] == code]


def test_a_risks_level_and_trigger_are_kept_and_a_high_one_needs_a_contingency(
    api: Seeded,
) -> None:
    a2 = send(api, "GET", "/actions/a2", who="viewer").json()
    assert a2["risks"] == [{"risk": "Night shifts skip the huddle", "level": "medium",
                            "trigger": "Two night shifts in a week without a huddle",
                            "contingency": "Move it to the shift handover"}]  # fmt: skip
    assert findings(api, "uncovered_risk") == []
    risk = {"risk": "The ward closes for works", "level": "high", "trigger": "Works dated"}
    changed = send(api, "PUT", "/actions/a2", A2 | {"risks": [risk]}, version=V1)
    assert changed.status_code == 200, changed.text
    assert changed.json()["risks"] == [risk | {"contingency": None}]
    assert findings(api, "uncovered_risk") == ["a2"]
    bad = send(api, "PUT", "/actions/a2", A2 | {"risks": [risk | {"level": "severe"}]},
               version='"2"')  # fmt: skip
    assert bad.status_code == 422


def test_a_new_weakness_no_objective_addresses_is_a_finding_until_one_does(api: Seeded) -> None:
    assert findings(api, "unaddressed_position") == []
    weakness = {"kind": "weakness", "text": "Two nurses short on nights"}
    assert send(api, "PUT", "/situation/w-nights", weakness).status_code == 201
    assert findings(api, "unaddressed_position") == ["w-nights"]
    body = A1 | {"addresses": ["w-nights"]}
    assert send(api, "PUT", "/objectives/A1", body, version=V1).status_code == 200
    assert findings(api, "unaddressed_position") == []
