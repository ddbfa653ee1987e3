"""Catchball through the API, on SQLite and PostgreSQL: a round to agreement that puts the
objective in the plan, whose turn it is, versions (428/412), the plan's rules (422).

The clinic's plan is examples/small.yaml: unit ward-a's only person is ben (Ben Ode), who
owns A1; ana (Ana Lima, unit clinic) owns B1. The clock is 2026-06-15, so an objective
agreed now starts in 2026-06 and its metric's baseline is for 2026-05.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from api_support import NOW, Seeded

from hoshin.api import catchball as catchball_api

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
PROPOSAL: dict[str, Any] = {
    "unit": "ward-a", "lead": "ben", "title": "Cut night falls on Ward A", "parent": "A1",
    "weight": 1, "deadline": "2027-06", "comment": "Nights are where the falls are",
    "metric": {"name": "Night falls", "unit": "falls", "direction": "decrease", "baseline": 10,
               "target": 5},
}  # fmt: skip


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's clock stands at NOW (2026-06-15 12:00 UTC)."""
    monkeypatch.setattr(catchball_api, "now", lambda: NOW)


def send(
    api: Seeded, method: str, path: str, body: Any = None, *, who: str, version: str | None = None
) -> Any:
    """A request to the clinic's API as ``who``, with If-Match when ``version`` is given."""
    headers = api.headers(who) if version is None else api.headers(who, **{"If-Match": version})
    return api.client.request(method, f"{ORG}{path}", json=body, headers=headers)


def counter(target: float) -> dict[str, Any]:
    """The proposal with another target, as a counter-proposal with its comment."""
    fields = {k: v for k, v in PROPOSAL.items() if k not in ("unit", "lead", "comment")}
    metric = {**fields["metric"], "target": target}
    return {**fields, "metric": metric, "comment": "5 is too far for one year; 7 we can do"}


def proposed(api: Seeded, who: str = "admin") -> dict[str, Any]:
    """A new thread proposed by ``who``."""
    answer = send(api, "POST", "/catchball", PROPOSAL, who=who)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_round_to_agreement_puts_the_agreed_objective_in_the_plan(api: Seeded) -> None:
    """admin proposes target 5, ben counters with 7, admin accepts: objective CB1 (owner ben,
    unit ward-a, team, 2026-06..2027-06, supports A1 with weight 1) with metric CB1-m
    (decrease from 10 in 2026-05 to 7 in 2027-06); the thread keeps three rounds."""
    first = send(api, "POST", "/catchball", PROPOSAL, who="admin")
    assert first.status_code == 201
    assert first.headers["ETag"] == '"1"'
    assert first.headers["Location"].endswith(f"/catchball/{first.json()['id']}")
    thread = first.json()
    assert (thread["status"], thread["turn"], thread["round_count"]) == ("open", "unit", 1)
    assert thread["lead_name"] == "Ben Ode"
    key = thread["id"]

    second = send(api, "POST", f"/catchball/{key}/counter", counter(7), who="ben", version='"1"')
    assert second.status_code == 200, second.text
    assert second.headers["ETag"] == '"2"'
    assert second.json()["turn"] == "proposer"
    assert second.json()["rounds"][1]["changed"] == ["metric.target"]

    third = send(api, "POST", f"/catchball/{key}/accept", {}, who="admin", version='"2"')
    assert third.status_code == 200, third.text
    done = third.json()
    assert (done["status"], done["objective"], done["round_count"]) == ("agreed", "CB1", 3)
    assert done["agreed_by"] == "admin@clinic.example"
    assert done["agreed_at"].startswith("2026-06-15T12:00")
    assert [r["kind"] for r in done["rounds"]] == ["propose", "counter", "accept"]
    assert [r["side"] for r in done["rounds"]] == ["proposer", "unit", "proposer"]
    assert done["rounds"][1]["comment"] == "5 is too far for one year; 7 we can do"

    objective = send(api, "GET", "/objectives/CB1", who="viewer").json()
    assert objective["title"] == "Cut night falls on Ward A"
    assert (objective["owner"], objective["unit"], objective["level"]) == ("ben", "ward-a", "team")
    assert (objective["start"], objective["end"]) == ("2026-06", "2027-06")
    assert objective["supports"] == {"A1": 1.0}
    metric = send(api, "GET", "/metrics/CB1-m", who="viewer").json()
    assert (metric["name"], metric["direction"], metric["unit"]) == ("Night falls", "decrease",
                                                                     "falls")  # fmt: skip
    assert (metric["baseline"], metric["baseline_period"]) == (10, "2026-05")
    assert (metric["target"], metric["target_period"]) == (7, "2027-06")

    trail = send(api, "GET", f"/audit?entity=catchball&key={key}", who="admin").json()
    assert sorted(event["change"] for event in trail["items"]) == ["accept", "counter", "propose"]


def test_only_the_side_whose_turn_it_is_may_answer(api: Seeded) -> None:
    """After admin's proposal it is the unit's turn: not admin's (their own round), not
    ana's (not ward-a's lead), not a viewer's; an editor may answer for the unit."""
    key = proposed(api)["id"]
    own = send(api, "POST", f"/catchball/{key}/accept", {}, who="admin", version='"1"')
    assert own.status_code == 403
    assert "you made the last round" in own.json()["error"]
    other = send(api, "POST", f"/catchball/{key}/accept", {}, who="ana", version='"1"')
    assert other.status_code == 403
    assert "Ben Ode (lead of Ward A)" in other.json()["error"]
    viewer = send(api, "POST", f"/catchball/{key}/accept", {}, who="viewer", version='"1"')
    assert viewer.status_code == 403
    read = send(api, "GET", f"/catchball/{key}", who="ben").json()
    assert (read["can_answer"], read["can_withdraw"]) == (True, False)
    editor = send(api, "POST", f"/catchball/{key}/counter", counter(8), who="editor",
                  version='"1"')  # fmt: skip
    assert editor.status_code == 200
    late = send(api, "POST", f"/catchball/{key}/counter", counter(6), who="ben", version='"2"')
    assert late.status_code == 403  # the proposer's turn now
    assert "(the proposer)" in late.json()["error"]


def test_answers_need_the_version_read(api: Seeded) -> None:
    """No If-Match: 428; a stale one (ben answered first): 412 with the thread as it is."""
    key = proposed(api)["id"]
    missing = send(api, "POST", f"/catchball/{key}/counter", counter(7), who="ben")
    assert missing.status_code == 428
    send(api, "POST", f"/catchball/{key}/counter", counter(7), who="ben", version='"1"')
    stale = send(api, "POST", f"/catchball/{key}/accept", {}, who="admin", version='"1"')
    assert stale.status_code == 412
    assert stale.json()["detail"]["version"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lead": "ana"}, "lead"),  # ana is of unit clinic, not ward-a
        ({"unit": "icu"}, "unit"),
        ({"parent": "Z9"}, "parent"),
        ({"deadline": "2026-05"}, "deadline"),  # before this month, 2026-06
        ({"weight": 0}, "weight"),
        ({"metric": {**PROPOSAL["metric"], "target": 12}}, "metric.target"),  # decrease
        ({"metric": {**PROPOSAL["metric"], "target": 10}}, "metric.target"),  # = baseline
        ({"title": "  "}, "title"),
    ],
)
def test_a_proposal_that_breaks_the_plans_rules_is_refused(
    api: Seeded, change: dict[str, Any], field: str
) -> None:
    """422 naming the field; no thread is made."""
    answer = send(api, "POST", "/catchball", {**PROPOSAL, **change}, who="admin")
    assert answer.status_code == 422, answer.text
    assert field in [item["field"].removeprefix("body.") for item in answer.json()["detail"]]
    assert send(api, "GET", "/catchball", who="admin").json()["total"] == 0


def test_an_acceptance_the_plan_refuses_saves_nothing(
    api: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accepted in 2027-08, after the deadline 2027-06: 422, the thread stays open at
    version 1 and there is no objective CB1."""
    key = proposed(api)["id"]
    monkeypatch.setattr(catchball_api, "now", lambda: datetime(2027, 8, 2, tzinfo=UTC))
    answer = send(api, "POST", f"/catchball/{key}/accept", {}, who="ben", version='"1"')
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "deadline"
    thread = send(api, "GET", f"/catchball/{key}", who="ben").json()
    assert (thread["status"], thread["version"], thread["round_count"]) == ("open", 1, 1)
    assert send(api, "GET", "/objectives/CB1", who="ben").status_code == 404


def test_who_may_propose(api: Seeded) -> None:
    """A contributor may propose what supports an objective they own (ana owns B1, not A1);
    a viewer may not propose."""
    assert (
        send(api, "POST", "/catchball", {**PROPOSAL, "parent": "B1"}, who="ana").status_code == 201
    )
    assert send(api, "POST", "/catchball", PROPOSAL, who="ana").status_code == 403
    assert send(api, "POST", "/catchball", PROPOSAL, who="viewer").status_code == 403


def test_withdrawn_threads_take_no_more_answers_and_lists_filter(api: Seeded) -> None:
    """Two proposals to ben; admin withdraws one. Waiting for ben: the open one; for admin:
    none; status withdrawn: the other; ben's answer to the withdrawn one: 409."""
    first, second = proposed(api)["id"], proposed(api)["id"]
    gone = send(api, "POST", f"/catchball/{first}/withdraw", {"comment": "merged"}, who="admin",
                version='"1"')  # fmt: skip
    assert gone.json()["status"] == "withdrawn"
    waiting = send(api, "GET", "/catchball?waiting=true", who="ben").json()
    assert [item["id"] for item in waiting["items"]] == [second]
    assert send(api, "GET", "/catchball?waiting=true", who="admin").json()["total"] == 0
    withdrawn = send(api, "GET", "/catchball?status=withdrawn", who="viewer").json()
    assert [item["id"] for item in withdrawn["items"]] == [first]
    assert send(api, "GET", "/catchball?unit=clinic", who="viewer").json()["total"] == 0
    late = send(api, "POST", f"/catchball/{first}/accept", {}, who="ben", version='"2"')
    assert late.status_code == 409


def test_threads_are_of_one_organisation(api: Seeded) -> None:
    """Another organisation's admin cannot read the clinic's thread: 404."""
    key = proposed(api)["id"]
    assert send(api, "GET", f"/catchball/{key}", who="ben").status_code == 200
    answer = api.client.get(f"/api/v1/orgs/other/catchball/{key}", headers=api.headers("other"))
    assert answer.status_code == 404
