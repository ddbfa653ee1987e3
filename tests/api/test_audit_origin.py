"""Every change through the API is an audit event with the asker and the client's address
(request.client.host), on SQLite and PostgreSQL: tokens, members, the plan, check-ins."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import Any

import pytest
from api_support import NOW, Seeded
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.api import catchball as catchball_api
from hoshin.runtime.engine import session_factory
from hoshin.service import account
from hoshin.service.audit import events_of

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
HOME, CAFE = "192.0.2.10", "203.0.113.7"  # two client addresses (TEST-NET-1 and -3)
ACTUAL = f"{ORG}/metrics/huddles/actuals/2026-06"


def from_(api: Seeded, address: str) -> TestClient:
    """A client of the seeded API whose requests come from ``address``."""
    return TestClient(api.client.app, client=(address, 40000))


def trail(engine: Engine, slug: str | None) -> list[dict[str, Any]]:
    """The organisation's audit events (None: the account events), oldest first."""
    with session_factory(engine)() as session:
        return list(events_of(session, slug=slug, since=None))


def brief(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Who, from where, what, and the state before and after of each event."""
    return [
        (e["actor"], e["origin"], e["entity"], e["key"], e["change"], e["before"], e["after"])
        for e in events
    ]


def user_id(engine: Engine, email: str) -> int:
    """The user's id."""
    with session_factory(engine)() as session:
        return account.get_user(session, email=email).id


def test_a_token_made_and_revoked_through_the_api_is_a_system_event(
    api: Seeded, engine: Engine
) -> None:
    made = from_(api, HOME).post(
        "/api/v1/me/tokens", json={"name": "sheet"}, headers=api.headers("ben")
    )
    assert made.status_code == 201
    secret, token_id = made.json()["token"], made.json()["id"]
    revoked = from_(api, CAFE).delete(f"/api/v1/me/tokens/{token_id}", headers=api.headers("ben"))
    assert revoked.status_code == 204
    ben, sheet = "ben@clinic.example", {"name": "sheet", "user": "ben@clinic.example"}
    events = trail(engine, None)
    assert brief(events) == [
        (ben, HOME, "token", str(token_id), "create", None, sheet),
        (ben, CAFE, "token", str(token_id), "revoke", {**sheet, "revoked": False},
         {**sheet, "revoked": True}),
    ]  # fmt: skip
    assert {e["user_id"] for e in events} == {user_id(engine, ben)}
    text = json.dumps(events)
    assert secret not in text and hashlib.sha256(secret.encode()).hexdigest() not in text
    assert trail(engine, "clinic") == []  # an account event belongs to no organisation


def test_a_role_change_names_the_admin_and_their_address(api: Seeded, engine: Engine) -> None:
    changed = from_(api, CAFE).put(
        f"{ORG}/members/viewer@clinic.example", json={"role": "editor"},
        headers=api.headers("admin"),
    )  # fmt: skip
    assert changed.status_code == 200
    listed = api.client.get(f"{ORG}/audit?entity=member", headers=api.headers("admin")).json()
    [event] = listed["items"]
    assert (event["actor"], event["origin"], event["key"], event["change"]) == (
        "admin@clinic.example", CAFE, "viewer@clinic.example", "update"
    )  # fmt: skip
    assert (event["before"]["role"], event["after"]["role"]) == ("viewer", "editor")


def test_a_removed_member_is_an_event_with_the_address(api: Seeded, engine: Engine) -> None:
    removed = from_(api, CAFE).delete(
        f"{ORG}/members/viewer@clinic.example", headers=api.headers("admin")
    )
    assert removed.status_code == 204
    [event] = [e for e in trail(engine, "clinic") if e["entity"] == "member"]
    assert (event["actor"], event["origin"], event["change"], event["after"]) == (
        "admin@clinic.example", CAFE, "delete", None
    )  # fmt: skip


def test_a_plan_change_carries_the_address_to_the_trail_and_the_history(api: Seeded) -> None:
    unit = {"id": "icu", "name": "ICU", "parent": "clinic"}
    made = from_(api, CAFE).post(f"{ORG}/units", json=unit, headers=api.headers("editor"))
    assert made.status_code == 201
    [event] = api.client.get(f"{ORG}/audit", headers=api.headers("viewer")).json()["items"]
    assert (event["actor"], event["origin"], event["entity"], event["change"]) == (
        "editor@clinic.example", CAFE, "unit", "create"
    )  # fmt: skip
    [history] = api.client.get(f"{ORG}/units/icu/history", headers=api.headers("viewer")).json()
    assert history["origin"] == CAFE


def test_check_ins_carry_their_own_address(api: Seeded) -> None:
    # the first actual goes through the process's writer (group commit), the correction
    # through record_actual in the request's thread, the bulk one in one transaction
    editor = api.headers("editor")
    assert from_(api, HOME).put(ACTUAL, json={"value": 65}, headers=editor).status_code == 201
    fix = api.headers("editor", **{"If-Match": '"1"'})
    assert from_(api, CAFE).put(ACTUAL, json={"value": 70}, headers=fix).status_code == 200
    bulk = {"actuals": [{"metric": "trained", "period": "2026-06", "value": 12}]}
    assert from_(api, HOME).post(f"{ORG}/actuals", json=bulk, headers=editor).status_code == 200
    history = api.client.get(f"{ACTUAL}/history", headers=api.headers("viewer")).json()
    assert [(h["change"], h["origin"]) for h in history] == [("create", HOME), ("update", CAFE)]
    trained = api.client.get(
        f"{ORG}/metrics/trained/actuals/2026-06/history", headers=api.headers("viewer")
    ).json()
    assert [(h["actor"], h["origin"]) for h in trained] == [("editor@clinic.example", HOME)]


def test_check_ins_of_one_token_in_one_batch_keep_each_address(
    api: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writer finds who records once for check-ins with the same credentials in one
    # batch; the address is part of the credentials, so each keeps its own. A first
    # check-in holds the writer while two more (one token, two addresses) wait together.
    writer = api.client.app.state.new_actuals  # type: ignore[attr-defined]
    entered, gate = threading.Event(), threading.Event()
    transaction = writer._transaction

    def held(check_ins: Any) -> Any:
        if not entered.is_set():
            entered.set()
            assert gate.wait(10)
        return transaction(check_ins)

    monkeypatch.setattr(writer, "_transaction", held)
    editor = api.headers("editor")
    answers: dict[str, int] = {}

    def put(address: str, period: str) -> None:
        url = f"{ORG}/metrics/huddles/actuals/{period}"
        answers[period] = (
            from_(api, address).put(url, json={"value": 65}, headers=editor).status_code
        )

    first = threading.Thread(target=put, args=("198.51.100.1", "2026-06"))
    first.start()
    assert entered.wait(10)
    both = [threading.Thread(target=put, args=a) for a in ((HOME, "2026-07"), (CAFE, "2026-08"))]
    for thread in both:
        thread.start()
    deadline = time.monotonic() + 10
    while writer.waiting() < 3 and time.monotonic() < deadline:  # the first, and both waiting
        time.sleep(0.01)
    gate.set()
    for thread in (first, *both):
        thread.join(10)
    assert answers == {"2026-06": 201, "2026-07": 201, "2026-08": 201}
    origins = [
        api.client.get(f"{ORG}/metrics/huddles/actuals/{p}/history", headers=editor).json()
        for p in ("2026-07", "2026-08")
    ]
    assert [h[0]["origin"] for h in origins] == [HOME, CAFE]


def test_a_catchball_round_carries_the_address(
    api: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catchball_api, "now", lambda: NOW)  # the proposal's months are NOW's
    proposal = {
        "unit": "ward-a", "lead": "ben", "title": "Cut night falls on Ward A", "parent": "A1",
        "weight": 1, "deadline": "2027-06", "comment": "Nights are where the falls are",
        "metric": {"name": "Night falls", "unit": "falls", "direction": "decrease",
                   "baseline": 10, "target": 5},
    }  # fmt: skip
    made = from_(api, CAFE).post(f"{ORG}/catchball", json=proposal, headers=api.headers("admin"))
    assert made.status_code == 201, made.text
    listed = api.client.get(f"{ORG}/audit?entity=catchball", headers=api.headers("admin"))
    [event] = listed.json()["items"]
    assert (event["actor"], event["origin"], event["change"]) == (
        "admin@clinic.example", CAFE, "propose"
    )  # fmt: skip
