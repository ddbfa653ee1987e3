"""A monthly review's meeting time through the API, on SQLite and PostgreSQL: ISO 8601 with
an offset or without (UTC), answered in UTC, refused when it is no time, and telling the
attendees (tests/service/test_review_notices.py has the cases by hand)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded
from sqlalchemy import Engine, select

from hoshin.runtime.engine import session_factory
from hoshin.store.notification import NotificationRow

pytestmark = pytest.mark.usefixtures("cheap_hashing")

REVIEW = "/api/v1/orgs/clinic/reviews/monthly/ward-a/2026-06"


def call(api: Seeded, method: str, body: Any = None, *, who: str = "editor", **headers: str) -> Any:
    return api.client.request(method, REVIEW, json=body, headers=api.headers(who, **headers))


def test_a_meeting_time_is_taken_with_or_without_an_offset_and_answered_in_utc(
    api: Seeded, engine: Engine
) -> None:
    """The editor (no person) sets 09:00 at +02:00: 07:00 UTC. Then 09:00 without an
    offset: 09:00 UTC. Attendees ben (id) and "Ana Lima" (ana's exact name) are told of
    both times: four notices, by key."""
    made = call(api, "PUT", {"attendees": ["ben", "Ana Lima"],
                             "meeting_at": "2026-07-02T09:00:00+02:00"})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["meeting_at"] == "2026-07-02T07:00:00Z"
    moved = call(api, "PUT", {"attendees": ["ben", "Ana Lima"], "meeting_at": "2026-07-03T09:00"},
                 **{"If-Match": '"1"'})  # fmt: skip
    assert moved.status_code == 200, moved.json()
    assert call(api, "GET", who="viewer").json()["meeting_at"] == "2026-07-03T09:00:00Z"
    with session_factory(engine)() as session:
        keys = session.scalars(select(NotificationRow.key).order_by(NotificationRow.id)).all()
    item = "review:ward-a:2026-06|2026-06"
    assert keys == [
        f"review:scheduled-2026-07-02T07:00:00+00:00|ben|{item}",
        f"review:scheduled-2026-07-02T07:00:00+00:00|ana|{item}",
        f"review:scheduled-2026-07-03T09:00:00+00:00|ben|{item}",
        f"review:scheduled-2026-07-03T09:00:00+00:00|ana|{item}",
    ]


def test_a_review_without_a_meeting_answers_null_and_a_bad_time_is_422(api: Seeded) -> None:
    made = call(api, "PUT", {"decisions": ["Borrow a trainer"]})
    assert made.status_code == 201 and made.json()["meeting_at"] is None
    for bad in ("next Tuesday", "2026-13-02T09:00", ""):
        refused = call(api, "PUT", {"meeting_at": bad}, **{"If-Match": '"1"'})
        assert refused.status_code == 422, (bad, refused.json())
        assert "meeting_at" in str(refused.json()["detail"])
