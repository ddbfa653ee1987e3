"""Webhooks, their test calls and delivery log, the reminder settings and the caller's
calendar link through the API, on SQLite and PostgreSQL: admins only (403 for the other
roles, like the members' routes), another organisation's webhook is not found (404)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from api_support import Seeded

from notify_support import running_receiver

pytestmark = pytest.mark.usefixtures("cheap_hashing")

HOOKS = "/api/v1/orgs/clinic/webhooks"
SETTINGS = "/api/v1/orgs/clinic/reminder-settings"
CALENDAR = "/api/v1/orgs/clinic/calendar-link"


def add(
    api: Seeded, url: str, who: str = "admin", org: str = "clinic", **body: object
) -> dict[str, object]:
    answer = api.client.post(
        f"/api/v1/orgs/{org}/webhooks", json={"url": url, **body}, headers=api.headers(who)
    )
    assert answer.status_code == 201, answer.text
    made: dict[str, object] = answer.json()
    return made


def test_an_admin_adds_tests_reads_the_log_of_and_removes_a_webhook(api: Seeded) -> None:
    with running_receiver([503]) as receiver:
        made = add(api, receiver.url, events=["metric.red"], secret="a-secret-of-the-receiver")
        assert made["secret"] == "a-secret-of-the-receiver"  # shown this once
        assert (made["events"], made["format"], made["last_delivery"]) == (
            ["metric.red"],
            "json",
            None,
        )
        listed = api.client.get(HOOKS, headers=api.headers("admin")).json()["items"]
        assert [item["id"] for item in listed] == [made["id"]]
        assert "secret" not in listed[0] and "a-secret" not in json.dumps(listed)
        # The first test gets the receiver's 503, the second its 200: both answers are told.
        tests = [
            api.client.post(f"{HOOKS}/{made['id']}/test", headers=api.headers("admin"))
            for _ in range(2)
        ]
    assert [t.status_code for t in tests] == [200, 200]
    assert [(t.json()["status"], t.json()["code"]) for t in tests] == [
        ("failed", 503),
        ("sent", 200),
    ]
    assert tests[0].json()["error"] == "answered 503 Service Unavailable"
    first = receiver.requests[0]
    # The receiver checks the signature of the raw body with the secret it was given.
    expected = hmac.new(b"a-secret-of-the-receiver", first.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(first.headers["X-Hoshin-Signature"], f"sha256={expected}")
    body = json.loads(first.body)
    assert (body["event"], body["organization"]) == ("webhook.test", "clinic")
    assert first.headers["X-Hoshin-Event"] == "webhook.test"
    assert first.headers["X-Hoshin-Delivery"] == body["id"]
    assert tests[0].json()["recipient"] == receiver.url
    log = api.client.get(f"{HOOKS}/{made['id']}/deliveries", headers=api.headers("admin"))
    assert [(d["status"], d["code"], d["attempts"]) for d in log.json()["items"]] == [
        ("sent", 200, 1),
        ("failed", 503, 1),
    ]  # fmt: skip  (newest first)
    listed = api.client.get(HOOKS, headers=api.headers("admin")).json()["items"]
    assert listed[0]["last_delivery"]["status"] == "sent"
    gone = api.client.delete(f"{HOOKS}/{made['id']}", headers=api.headers("admin"))
    assert gone.status_code == 204
    assert api.client.get(HOOKS, headers=api.headers("admin")).json()["items"] == []
    again = api.client.delete(f"{HOOKS}/{made['id']}", headers=api.headers("admin"))
    assert again.status_code == 404


def test_other_roles_are_refused_and_other_organisations_not_found(api: Seeded) -> None:
    made = add(api, "https://hooks.example.com/clinic")
    theirs = add(api, "https://hooks.example.com/other", who="other", org="other")
    routes = [
        ("GET", HOOKS, None), ("POST", HOOKS, {"url": "https://hooks.example.com/x"}),
        ("DELETE", f"{HOOKS}/{made['id']}", None), ("POST", f"{HOOKS}/{made['id']}/test", None),
        ("GET", f"{HOOKS}/{made['id']}/deliveries", None), ("GET", SETTINGS, None),
        ("PUT", SETTINGS, {"reminder_lead_days": 1, "escalation_days": 5}),
    ]  # fmt: skip
    for who in ("editor", "ben", "viewer"):
        for method, path, body in routes:
            answer = api.client.request(method, path, json=body, headers=api.headers(who))
            assert answer.status_code == 403, (who, method, path, answer.text)
    # The other organisation's admin is no member of clinic: 404, as for any of its routes.
    assert api.client.get(HOOKS, headers=api.headers("other")).status_code == 404
    # Clinic's admin cannot reach other's webhook through clinic: not found.
    elsewhere = f"{HOOKS}/{theirs['id']}"
    for method, path in (
        ("DELETE", elsewhere), ("POST", f"{elsewhere}/test"), ("GET", f"{elsewhere}/deliveries"),
    ):  # fmt: skip
        answer = api.client.request(method, path, headers=api.headers("admin"))
        assert answer.status_code == 404, (method, path)
    assert api.client.get(HOOKS).status_code == 401  # no token, no session


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"url": "ftp://hooks.example.com/x"}, "url", "must start with https://"),
        ({"url": "https://hooks.example.com/x", "events": ["metric.blue"]}, "events",
         "'metric.blue' is no event"),
        ({"url": "https://hooks.example.com/x", "format": "discord"}, "format", "is no format"),
    ],
)  # fmt: skip
def test_a_refused_webhook_names_its_field(
    api: Seeded, body: dict[str, object], field: str, words: str
) -> None:
    answer = api.client.post(HOOKS, json=body, headers=api.headers("admin"))
    assert answer.status_code == 422
    assert words in answer.json()["error"]
    assert answer.json()["detail"][0]["field"] == field


def test_the_admin_reads_and_changes_the_reminder_settings(api: Seeded) -> None:
    read = api.client.get(SETTINGS, headers=api.headers("admin")).json()
    assert (read["reminder_lead_days"], read["escalation_days"]) == (0, 5)
    assert read["email"].startswith("E-mail is ")
    changed = api.client.put(
        SETTINGS, json={"reminder_lead_days": 2, "escalation_days": 7}, headers=api.headers("admin")
    )
    assert changed.json() == {"reminder_lead_days": 2, "escalation_days": 7}
    too_many = api.client.put(
        SETTINGS,
        json={"reminder_lead_days": 28, "escalation_days": 7},
        headers=api.headers("admin"),
    )
    assert too_many.status_code == 422
    read = api.client.get(SETTINGS, headers=api.headers("admin")).json()
    assert (read["reminder_lead_days"], read["escalation_days"]) == (2, 7)


def test_a_member_makes_renews_and_revokes_their_calendar_link(api: Seeded) -> None:
    first = api.client.post(CALENDAR, headers=api.headers("viewer"))
    # The viewer's account is linked to no person of the plan: nothing to put in a calendar.
    assert first.status_code == 422 and "linked to no person" in first.json()["error"]
    made = api.client.post(CALENDAR, headers=api.headers("ben"))
    assert made.status_code == 201
    path = made.json()["path"]
    assert path.startswith("/ical/") and path.endswith(".ics") and made.json()["url"].endswith(path)
    renewed = api.client.post(CALENDAR, headers=api.headers("ben")).json()["path"]
    assert renewed != path
    assert api.client.delete(CALENDAR, headers=api.headers("ben")).status_code == 204
