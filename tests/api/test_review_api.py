"""Monthly reviews, reflections and comments through the API, on SQLite and PostgreSQL:
201 then If-Match (428/412), roles (ben reviews his unit ward-a; viewers read), 404s and
JSON errors like the rest of the API."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Seeded

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
REVIEW = f"{ORG}/reviews/monthly/ward-a/2026-05"
REFLECTION = f"{ORG}/objectives/A1/reflections/2026"
COMMENTS = f"{ORG}/objectives/A1/comments"
MINUTES = {"attendees": ["ben", "Ana Lima"], "decisions": ["Borrow a trainer"], "notes": ""}


def call(
    api: Seeded, method: str, url: str, body: Any = None, *, who: str = "ben", **headers: str
) -> Any:
    return api.client.request(method, url, json=body, headers=api.headers(who, **headers))


def test_a_monthly_review_is_recorded_then_changed_with_if_match(api: Seeded) -> None:
    assert call(api, "GET", REVIEW).status_code == 404
    made = call(api, "PUT", REVIEW, MINUTES)
    assert made.status_code == 201, made.json()
    assert made.headers["etag"] == '"1"' and made.json()["decisions"] == ["Borrow a trainer"]
    two = {**MINUTES, "decisions": ["Borrow a trainer", "Huddle at handover"]}
    assert call(api, "PUT", REVIEW, two).status_code == 428
    stale = call(api, "PUT", REVIEW, two, **{"If-Match": '"9"'})
    assert stale.status_code == 412 and stale.json()["detail"]["version"] == 1
    changed = call(api, "PUT", REVIEW, two, **{"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    read = call(api, "GET", REVIEW, who="viewer")
    assert read.status_code == 200 and read.json()["decisions"] == two["decisions"]
    listed = call(api, "GET", f"{ORG}/reviews/monthly?unit=ward-a", who="viewer").json()
    assert listed["total"] == 1 and listed["items"][0]["period"] == "2026-05"


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("viewer", REVIEW, 403),
        ("ben", f"{ORG}/reviews/monthly/clinic/2026-05", 403),  # above ben's unit
        ("ana", REVIEW, 201),  # ana's unit clinic is ward-a's parent
        ("editor", f"{ORG}/reviews/monthly/nope/2026-05", 404),
        ("editor", f"{ORG}/reviews/monthly/ward-a/2026-13", 422),
        ("other", REVIEW, 404),  # another organisation's admin sees no clinic
    ],
)
def test_who_may_record_which_review(api: Seeded, who: str, url: str, status: int) -> None:
    answer = call(api, "PUT", url, MINUTES, who=who)
    assert answer.status_code == status, answer.json()
    assert "error" in answer.json() or status == 201


def test_a_review_body_is_checked(api: Seeded) -> None:
    answer = call(api, "PUT", REVIEW, {"attendees": ["x"] * 201})
    assert answer.status_code == 422 and "error" in answer.json()
    assert call(api, "PUT", REVIEW, {"minutes": "x"}).status_code == 422  # unknown field


def test_a_reflection_is_written_by_the_owner_and_read_by_anyone(api: Seeded) -> None:
    assert call(api, "GET", REFLECTION).status_code == 404
    body = {"worked": "Daily huddles", "did_not": "Training slipped"}
    made = call(api, "PUT", REFLECTION, body)
    assert made.status_code == 201 and made.json()["fiscal_year"] == 2026
    assert call(api, "PUT", REFLECTION, body).status_code == 428
    changed = call(api, "PUT", REFLECTION, {**body, "worked": "Huddles"}, **{"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert call(api, "GET", REFLECTION, who="viewer").json()["worked"] == "Huddles"
    assert call(api, "PUT", REFLECTION, body, who="viewer").status_code == 403
    assert call(api, "PUT", f"{ORG}/objectives/B1/reflections/2026", body).status_code == 403
    assert call(api, "GET", f"{ORG}/objectives/nope/reflections/2026").status_code == 404


def test_comments_are_listed_newest_last(api: Seeded) -> None:
    assert call(api, "GET", COMMENTS).json() == []
    first = call(api, "POST", COMMENTS, {"body": "Huddles look good"})
    assert first.status_code == 201 and first.json()["author"] == "ben@clinic.example"
    call(api, "POST", COMMENTS, {"body": "Training is late"}, who="editor")
    listed = call(api, "GET", COMMENTS, who="viewer").json()
    assert [c["body"] for c in listed] == ["Huddles look good", "Training is late"]
    assert call(api, "POST", COMMENTS, {"body": "Hi"}, who="viewer").status_code == 403
    assert call(api, "POST", COMMENTS, {"body": "  "}).status_code == 422
    assert call(api, "GET", f"{ORG}/objectives/nope/comments").status_code == 404
