"""The asker's notifications and notification settings through the API, on SQLite and
PostgreSQL: newest first with paging and the unread filter, marking read, nothing of
another person or organisation (404), settings saved with 201 then If-Match (428/412), an
unknown event or choice refused naming the field.

The seeded API (api_support.py): ben and ana are contributors linked to their persons,
admin is linked to none; 'other' is a second organisation with the same plan, where only
other@other.example is a member. Notifications are told the real way (service.notify.tell).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from api_support import NOW, Seeded
from sqlalchemy import Engine

from hoshin.domain.notices import EVENTS, Notice
from hoshin.runtime.engine import session_factory
from hoshin.service import notify
from hoshin.store.organization import get_organization

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ORG = "/api/v1/orgs/clinic"
LIST = f"{ORG}/notifications"
SETTINGS = f"{ORG}/notification-settings"


def call(
    api: Seeded, method: str, url: str, body: Any = None, *, who: str = "ben", **headers: str
) -> Any:
    return api.client.request(method, url, json=body, headers=api.headers(who, **headers))


def tell(engine: Engine, slug: str, person: str, items: list[str]) -> None:
    """One comment notice to ``person`` per item, an hour apart (the last is the newest)."""
    with session_factory(engine)() as session:
        org = get_organization(session, slug=slug)
        for hours, item in enumerate(items):
            notice = Notice("comment", person, "objective", item, "2026-06", f"On {item}",
                            link=f"/orgs/{slug}/objectives/{item}")  # fmt: skip
            notify.tell(session, org=org, notices=[notice], now=NOW + timedelta(hours=hours))
        session.commit()


def test_notifications_newest_first_a_page_at_a_time(api: Seeded, engine: Engine) -> None:
    tell(engine, "clinic", "ben", ["B1", "A1", "T1"])
    whole = call(api, "GET", LIST).json()
    assert [n["item"] for n in whole["items"]] == ["T1", "A1", "B1"]
    assert (whole["total"], whole["unread"], whole["limit"], whole["offset"]) == (3, 3, 50, 0)
    assert whole["items"][0]["link"] == "/orgs/clinic/objectives/T1"
    assert whole["items"][0]["created_at"] == (NOW + timedelta(hours=2)).isoformat()
    second = call(api, "GET", f"{LIST}?limit=1&offset=1").json()
    assert [n["item"] for n in second["items"]] == ["A1"] and second["total"] == 3


def test_marking_read_one_then_all(api: Seeded, engine: Engine) -> None:
    tell(engine, "clinic", "ben", ["B1", "A1", "T1"])
    newest = call(api, "GET", LIST).json()["items"][0]
    read = call(api, "POST", f"{LIST}/{newest['id']}/read")
    assert read.status_code == 200 and read.json()["read"] is True
    unread = call(api, "GET", f"{LIST}?unread=true").json()
    assert [n["item"] for n in unread["items"]] == ["A1", "B1"]  # 3 - T1
    assert unread["total"] == 2 and unread["unread"] == 2
    marked = call(api, "POST", f"{LIST}/read-all")
    assert marked.status_code == 200 and marked.json() == {"marked": 2}
    assert call(api, "GET", LIST).json()["unread"] == 0
    assert call(api, "POST", f"{LIST}/read-all").json() == {"marked": 0}


def test_nothing_of_another_person_or_organisation(api: Seeded, engine: Engine) -> None:
    tell(engine, "clinic", "ana", ["B1"])
    tell(engine, "other", "ben", ["A1"])
    anas = call(api, "GET", LIST, who="ana").json()["items"][0]["id"]
    refused = call(api, "POST", f"{LIST}/{anas}/read")  # ben marking ana's
    assert refused.status_code == 404 and refused.json()["error"] == f"no notification {anas}"
    assert call(api, "GET", LIST, who="ana").json()["unread"] == 1  # still unread
    assert call(api, "GET", LIST).json()["items"] == []  # ben's in 'other' are not here
    assert call(api, "GET", "/api/v1/orgs/other/notifications").status_code == 404
    for number in range(1, 3):  # ana's, and ben's in 'other': none is ben's in the clinic
        assert call(api, "POST", f"{LIST}/{number}/read").status_code == 404


def test_an_account_linked_to_no_person_is_told_so(api: Seeded) -> None:
    for url in (LIST, SETTINGS):
        answer = call(api, "GET", url, who="admin")
        assert answer.status_code == 404
        assert "not linked to a person of the plan" in answer.json()["error"]


def test_settings_are_created_then_changed_with_if_match(api: Seeded) -> None:
    first = call(api, "GET", SETTINGS)
    assert first.status_code == 200 and first.headers["etag"] == '"0"'
    assert first.json()["channels"] == dict.fromkeys(EVENTS, "both")
    body = {"channels": {"comment": "in_app", "deadline": "none"}, "daily_digest": True}
    made = call(api, "PUT", SETTINGS, body)
    assert made.status_code == 201 and made.headers["etag"] == '"1"'
    assert made.json()["channels"]["comment"] == "in_app"
    assert made.json()["channels"]["review"] == "both"  # left out: the default
    assert made.json()["daily_digest"] is True and made.json()["weekly_digest"] is True
    assert call(api, "PUT", SETTINGS, body).status_code == 428
    changed = call(api, "PUT", SETTINGS, {"weekly_digest": False}, **{"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    assert changed.json()["channels"]["comment"] == "both"  # a PUT replaces the whole
    stale = call(api, "PUT", SETTINGS, body, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["detail"]["version"] == 2
    audit = call(
        api, "GET", f"{ORG}/audit?entity=notification_settings&key=ben", who="admin"
    ).json()
    assert [(e["entity"], e["change"], e["actor"]) for e in audit["items"]] == [
        ("notification_settings", "update", "ben@clinic.example"),
        ("notification_settings", "create", "ben@clinic.example"),
    ]


def test_an_unknown_event_or_choice_is_named(api: Seeded) -> None:
    event = call(api, "PUT", SETTINGS, {"channels": {"coffee": "both"}})
    assert event.status_code == 422
    assert [d["field"] for d in event.json()["detail"]] == ["body.channels.coffee.[key]"]
    choice = call(api, "PUT", SETTINGS, {"channels": {"comment": "pigeon"}})
    assert choice.status_code == 422
    assert [d["field"] for d in choice.json()["detail"]] == ["body.channels.comment"]
    assert call(api, "GET", SETTINGS).json()["version"] == 0  # nothing saved
