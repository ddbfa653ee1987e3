"""service.notify on SQLite and PostgreSQL: notices become notifications and queued e-mails
as each person chose, once per key, one reminder per person and item a day; events become
webhook calls for the webhooks that hear them.

The clinic is examples/small.yaml plus cy (no address anywhere): ana's address is in the
plan (ana@riverside.example); ben has none there, but his member account is linked to him
(ben@x.example); cy is told in-app only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import add_member, make_organization
from hoshin.domain.model import Person
from hoshin.domain.notices import Event, Notice
from hoshin.planfile import read_plan
from hoshin.service.notify import publish, tell
from hoshin.store.notification import (
    NotificationRow,
    NotificationSettingsRow,
    OutboxRow,
    WebhookRow,
)
from hoshin.store.organization import OrganizationRow

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
NOW = datetime(2026, 7, 8, 9, tzinfo=UTC)


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> OrganizationRow:
    people = (*SMALL.people, Person("cy", "Cy Fox", "ward-a"))
    org = make_organization(session, slug="clinic", name="Riverside Clinic",
                            plan=replace(SMALL, people=people))  # fmt: skip
    add_member(session, email="ben@x.example", role="contributor", password="pw-long-secret-1",
               person="ben")  # fmt: skip
    session.commit()
    return org


def due(
    person: str, item: str = "falls", event: Event = "actual_due", period: str = "2026-06"
) -> Notice:
    return Notice(event, person, "metric", item, period, f"{item} of {period}")


def notifications(session: Session) -> list[tuple[str, str, bool, bool]]:
    """(person, key, in-app, kept for the daily digest) of every notification."""
    rows = session.scalars(select(NotificationRow).order_by(NotificationRow.id))
    return [(row.person, row.key, row.in_app, row.digest) for row in rows]


def mails(session: Session) -> list[tuple[str, str]]:
    """(address, outbox key) of every queued e-mail."""
    query = select(OutboxRow).where(OutboxRow.channel == "email").order_by(OutboxRow.id)
    return [(row.recipient, row.key) for row in session.scalars(query)]


def choose(session: Session, org: OrganizationRow, person: str, **chosen: object) -> None:
    session.add(NotificationSettingsRow(org_id=org.id, person=person,
                                        unsubscribe_token=f"t-{person}", **chosen))  # fmt: skip
    session.commit()


def test_two_reminders_on_one_item_the_same_day_are_one(
    session: Session, clinic: OrganizationRow
) -> None:
    first = due("ana")
    red = due("ana", event="metric_red", period="2026-05")
    told = tell(session, org=clinic, notices=[first, red, due("ana", "huddles")], now=NOW)
    # falls: the actual due first, its red held back; huddles is another item
    assert [n.key for n in told] == [first.key, due("ana", "huddles").key]
    later = tell(session, org=clinic, notices=[red], now=NOW + timedelta(hours=8))
    assert later == []  # still 2026-07-08 (UTC): falls had its reminder today
    assert tell(session, org=clinic, notices=[red], now=NOW + timedelta(hours=15)) == [red]
    # a notice that is no reminder (catchball) is never held back
    step = Notice("catchball", "ana", "metric", "falls", "", "Proposed", variant="proposed")
    assert tell(session, org=clinic, notices=[step], now=NOW + timedelta(hours=15)) == [step]


def test_a_reminder_told_on_an_earlier_day_leaves_the_days_slot_to_a_new_one(
    session: Session, clinic: OrganizationRow
) -> None:
    # Day 1 (2026-07-08): the actual of falls is due. Day 6: the scheduler lists it again
    # (still due, same key) with its escalation: only the escalation is new, and it is told.
    first = due("ana")
    assert tell(session, org=clinic, notices=[first], now=NOW) == [first]
    escalation = Notice("escalation", "ana", "metric", "falls", "2026-06", "Still missing",
                        variant="1")  # fmt: skip
    later = NOW + timedelta(days=5)
    assert tell(session, org=clinic, notices=[first, escalation], now=later) == [escalation]


def test_a_reminder_its_person_hears_nothing_of_takes_no_slot(
    session: Session, clinic: OrganizationRow
) -> None:
    # Ana chose nothing for "actual due": the escalation on the same item is her one today.
    choose(session, clinic, "ana", channels={"actual_due": "none"})
    escalation = Notice("escalation", "ana", "metric", "falls", "2026-06", "Still missing",
                        variant="1")  # fmt: skip
    assert tell(session, org=clinic, notices=[due("ana"), escalation], now=NOW) == [escalation]


def test_a_key_is_told_once(session: Session, clinic: OrganizationRow) -> None:
    notice = due("ana")
    assert tell(session, org=clinic, notices=[notice, notice], now=NOW) == [notice]
    assert tell(session, org=clinic, notices=[notice], now=NOW + timedelta(days=3)) == []
    session.commit()
    assert notifications(session) == [("ana", notice.key, True, False)]
    assert mails(session) == [("ana@riverside.example", f"email|{notice.key}")]


@pytest.mark.parametrize(
    ("choice", "in_app", "mailed"),
    [("none", None, False), ("in_app", True, False), ("email", False, True), ("both", True, True)],
)
def test_each_person_is_told_as_they_chose(
    session: Session, clinic: OrganizationRow, choice: str, in_app: bool | None, mailed: bool
) -> None:
    choose(session, clinic, "ana", channels={"actual_due": choice})
    notice = due("ana")
    told = tell(session, org=clinic, notices=[notice], now=NOW)
    session.commit()
    assert told == ([] if in_app is None else [notice])
    expected = [] if in_app is None else [("ana", notice.key, in_app, False)]
    assert notifications(session) == expected
    assert mails(session) == ([("ana@riverside.example", f"email|{notice.key}")] if mailed else [])


def test_a_daily_digest_keeps_the_email_for_the_day(
    session: Session, clinic: OrganizationRow
) -> None:
    choose(session, clinic, "ana", channels={}, daily_digest=True)
    tell(session, org=clinic, notices=[due("ana"), due("ana", "huddles")], now=NOW)
    session.commit()
    assert [(p, digest) for p, _, _, digest in notifications(session)] == [
        ("ana", True), ("ana", True)
    ]  # fmt: skip
    assert mails(session) == []  # the day's digest e-mail gathers them (service.scheduler)


def test_the_address_is_the_plans_else_the_linked_accounts(
    session: Session, clinic: OrganizationRow
) -> None:
    tell(session, org=clinic, notices=[due("ana"), due("ben"), due("cy")], now=NOW)
    session.commit()
    assert mails(session) == [
        ("ana@riverside.example", "email|actual_due|ana|metric:falls|2026-06"),
        ("ben@x.example", "email|actual_due|ben|metric:falls|2026-06"),
    ]
    assert [person for person, *_ in notifications(session)] == ["ana", "ben", "cy"]


def test_webhooks_hear_the_events_they_chose(session: Session, clinic: OrganizationRow) -> None:
    every = WebhookRow(org_id=clinic.id, url="https://a.example/h", events=[], secret="s1",
                       created_by="tests")  # fmt: skip
    red_only = WebhookRow(org_id=clinic.id, url="https://b.example/h", events=["metric.red"],
                          secret="s2", created_by="tests")  # fmt: skip
    session.add_all([every, red_only])
    session.commit()
    events = [("actual.missing", "falls missing", {"item": "falls"}, "k1"),
              ("metric.red", "falls red", {"item": "falls"}, "k2")]  # fmt: skip
    # actual.missing: the first only; metric.red: both
    assert publish(session, org=clinic, events=events, now=NOW) == 3
    assert publish(session, org=clinic, events=events, now=NOW + timedelta(hours=1)) == 0
    session.commit()
    calls = session.scalars(select(OutboxRow).where(OutboxRow.channel == "webhook"))
    assert sorted((row.recipient, row.payload["event"]) for row in calls) == [
        ("https://a.example/h", "actual.missing"),
        ("https://a.example/h", "metric.red"),
        ("https://b.example/h", "metric.red"),
    ]
