"""A countermeasure's lifecycle through the API, on SQLite and PostgreSQL: open, in progress,
closed with its effect (closing without one is refused at the field), each step a version
and an audit event; the analysis flags the one past its due date until it is closed.

examples/small.yaml, as of 2026-06-15: cm1 answers trained in 2026-05, owned by ana, due
2026-06-30 and open, so it is not overdue (30 June is after 15 June)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
CM1 = {"metric": "trained", "period": "2026-05", "owner": "ana", "due": "2026-06-30",
       "cause": "Two trainers were on leave in April and May",
       "action": "Borrow a trainer from the north site for June"}  # fmt: skip


def send(
    api: Seeded, who: str, method: str, path: str, body: Any = None, version: int | None = None
) -> Any:
    """A request to the clinic's API as ``who``, with If-Match when ``version`` is given."""
    extra = {} if version is None else {"If-Match": f'"{version}"'}
    return api.client.request(method, f"{ORG}{path}", json=body, headers=api.headers(who, **extra))


def overdue(api: Seeded, as_of: str) -> list[str]:
    """The subjects of the analysis's overdue_countermeasure findings at ``as_of``."""
    found = send(api, "viewer", "GET", f"/analysis?as_of={as_of}").json()["findings"]
    return [f["subject"] for f in found if f["code"] == "overdue_countermeasure"]


def test_open_in_progress_then_closed_with_its_effect(api: Seeded) -> None:
    # Ana owns cm1: a contributor moves her own countermeasure on.
    assert send(api, "ana", "GET", "/countermeasures/cm1").json()["status"] == "open"
    # Due 2026-06-30: not overdue on 2026-06-30 itself, overdue on 2026-07-01.
    assert overdue(api, "2026-06-30") == [] and overdue(api, "2026-07-01") == ["cm1"]

    started = send(api, "ana", "PUT", "/countermeasures/cm1", CM1 | {"status": "in_progress"}, 1)
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "in_progress" and started.json()["version"] == 2
    assert overdue(api, "2026-07-01") == ["cm1"]  # started is not done

    unsaid = send(api, "ana", "PUT", "/countermeasures/cm1", CM1 | {"status": "closed"}, 2)
    assert unsaid.status_code == 422
    assert unsaid.json()["detail"] == [
        {"field": "effect", "reason": "say what it changed: a countermeasure is closed with its "
         "effect"}
    ]  # fmt: skip

    effect = "June's 12 sessions trained 9 more: 86% trained"
    closed = send(api, "ana", "PUT", "/countermeasures/cm1",
                  CM1 | {"status": "closed", "effect": effect}, 2)  # fmt: skip
    assert closed.status_code == 200, closed.json()
    assert (closed.json()["status"], closed.json()["effect"]) == ("closed", effect)
    assert overdue(api, "2026-07-01") == []

    history = send(api, "viewer", "GET", "/countermeasures/cm1/history").json()
    assert [(h["change"], h["after"]["status"]) for h in history] == [
        ("update", "in_progress"), ("update", "closed")
    ]  # fmt: skip
    assert history[1]["before"]["effect"] is None and history[1]["after"]["effect"] == effect


def test_a_countermeasure_created_closed_needs_its_effect(api: Seeded) -> None:
    new = {"id": "cm2", "metric": "huddles", "period": "2026-05", "status": "closed"}
    refused = send(api, "editor", "POST", "/countermeasures", new)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "effect"
    made = send(api, "editor", "POST", "/countermeasures", new | {"effect": "Back on plan"})
    assert made.status_code == 201 and made.json()["effect"] == "Back on plan"
    # Closed already: changing its owner does not ask for the effect again ...
    kept = send(api, "editor", "PUT", "/countermeasures/cm2", new | {"owner": "ben",
                "effect": "Back on plan"}, 1)  # fmt: skip
    assert kept.status_code == 200
    # ... and reopened, its fields are replaced whole: the effect not sent again is gone.
    reopened = send(api, "editor", "PUT", "/countermeasures/cm2", new | {"status": "open"}, 2)
    assert reopened.status_code == 200 and reopened.json()["effect"] is None


def test_an_unknown_status_is_refused(api: Seeded) -> None:
    answer = send(api, "ana", "PUT", "/countermeasures/cm1", CM1 | {"status": "done"}, 1)
    assert answer.status_code == 422


def test_a_countermeasure_created_without_an_id_is_named_for_its_metric_and_month(
    api: Seeded,
) -> None:
    new = {"metric": "huddles", "period": "2026-05", "cause": "Night shifts"}
    first = send(api, "editor", "POST", "/countermeasures", new)
    second = send(api, "editor", "POST", "/countermeasures", new)
    assert (first.status_code, first.json()["id"]) == (201, "cm-huddles-2026-05")
    assert second.json()["id"] == "cm-huddles-2026-05-2"  # the first one took the id
    assert second.headers["location"] == f"{ORG}/countermeasures/cm-huddles-2026-05-2"
