"""The worker's passes on SQLite and PostgreSQL with a real SMTP server and a real HTTP
receiver: retries with backoff, a failing endpoint delaying only its own messages, giving
up after 24 hours, e-mail off, and scheduling again when the plan changes.

The clinic is examples/small.yaml (unit clinic led by ana). As of QUIET (2026-06-02) it owes
nothing: May's actuals are recorded, June's are not due, May's red metric (trained) has its
countermeasure and nothing is due before 2026-06-09. So a pass as of QUIET only delivers
what a test queues. As of 2026-07-08 it owes 10 notices, 7 told (tests/service/test_scheduler).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from factories import make_organization
from hoshin.config import Settings
from hoshin.domain.notices import Notice
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.runtime.notifier import Notifier
from hoshin.service.notify import publish, tell
from hoshin.store.notification import WebhookRow
from hoshin.store.organization import OrganizationRow, bump_plan_version
from hoshin.store.outbox import deliveries
from notify_support import running_receiver, running_smtp

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
QUIET = date(2026, 6, 2)
T0 = datetime(2026, 6, 2, 8, tzinfo=UTC)
RED = [("metric.red", "Patient falls per month is red", {"item": "falls"}, "red|falls")]


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def clinic(session: Session) -> OrganizationRow:
    units = tuple(replace(u, lead="ana") if u.id == "clinic" else u for u in SMALL.units)
    org = make_organization(session, slug="clinic", name="Riverside Clinic",
                            plan=replace(SMALL, units=units))  # fmt: skip
    session.commit()
    return org


def hook(session: Session, org: OrganizationRow, url: str) -> None:
    session.add(WebhookRow(org_id=org.id, url=url, events=[], secret="s3cret",
                           created_by="tests"))  # fmt: skip
    session.commit()


def log(session: Session, org: OrganizationRow) -> list[tuple[str, str, int, int | None]]:
    """(channel, status, attempts, last code) of the delivery log, oldest first."""
    session.rollback()  # a new snapshot: SQLite's reader sees what the worker wrote since
    rows = reversed(deliveries(session, org_id=org.id))
    return [(row.channel, row.status, row.attempts, row.last_code) for row in rows]


def test_a_webhook_answering_500_twice_is_tried_three_times(
    session: Session, sessions: sessionmaker[Session], clinic: OrganizationRow
) -> None:
    with running_receiver([500, 500, 200]) as receiver:
        hook(session, clinic, receiver.url)
        publish(session, org=clinic, events=RED, now=T0)
        session.commit()
        notifier = Notifier(sessions, config=Settings(smtp_url=""))
        first = notifier.run_pass(as_of=QUIET, now=T0)
        assert (first.webhooks, first.retries, first.failed) == (0, 1, 0)
        assert log(session, clinic) == [("webhook", "pending", 1, 500)]
        # the first retry waits 30 s: a pass 10 s later tries nothing
        assert notifier.run_pass(as_of=QUIET, now=T0 + timedelta(seconds=10)).retries == 0
        assert len(receiver.requests) == 1
        second = notifier.run_pass(as_of=QUIET, now=T0 + timedelta(seconds=30))
        assert (second.webhooks, second.retries) == (0, 1)
        # the second waits 1 min after the second try: T0 + 30 s + 60 s
        third = notifier.run_pass(as_of=QUIET, now=T0 + timedelta(seconds=90))
        assert (third.webhooks, third.retries, third.failed) == (1, 0, 0)
        assert log(session, clinic) == [("webhook", "sent", 3, 200)]
        deliveries_ids = {request.headers["X-Hoshin-Delivery"] for request in receiver.requests}
        signatures = {request.headers["X-Hoshin-Signature"] for request in receiver.requests}
        assert (len(receiver.requests), len(deliveries_ids), len(signatures)) == (3, 1, 1)
        assert notifier.run_pass(as_of=QUIET, now=T0 + timedelta(hours=1)).webhooks == 0


def test_a_failing_endpoint_delays_only_its_own_messages(
    session: Session, sessions: sessionmaker[Session], clinic: OrganizationRow
) -> None:
    with (
        running_smtp() as smtp,
        running_receiver([500] * 10) as failing,
        running_receiver() as working,
    ):
        hook(session, clinic, failing.url)
        hook(session, clinic, working.url)
        tell(session, org=clinic, notices=[Notice("comment", "ana", "objective", "B1", "c1",
                                                  "A comment on B1")], now=T0)  # fmt: skip
        publish(session, org=clinic, events=RED, now=T0)
        session.commit()
        summary = Notifier(sessions, config=Settings(smtp_url=smtp.url)).run_pass(
            as_of=QUIET, now=T0
        )
        assert (summary.emails, summary.webhooks, summary.retries) == (1, 1, 1)
        assert [m["Subject"] for m in smtp.messages] == ["A comment on B1"]
        assert (len(failing.requests), len(working.requests)) == (1, 1)


def test_a_message_failing_for_24_hours_is_given_up(
    session: Session, sessions: sessionmaker[Session], clinic: OrganizationRow
) -> None:
    with running_receiver([500] * 10) as receiver:
        hook(session, clinic, receiver.url)
        publish(session, org=clinic, events=RED, now=T0)
        session.commit()
        notifier = Notifier(sessions, config=Settings(smtp_url=""))
        assert notifier.run_pass(as_of=QUIET, now=T0).retries == 1
        # 23 h 59 min later: the next try is due (at most an hour apart) and fails again
        assert notifier.run_pass(as_of=QUIET, now=T0 + timedelta(hours=23, minutes=59)).retries == 1
        # retry due at the 24 h mark at the latest: the last try, then given up
        last = notifier.run_pass(as_of=QUIET, now=T0 + timedelta(hours=24))
        assert (last.retries, last.failed) == (0, 1)
        assert log(session, clinic) == [("webhook", "failed", 3, 500)]
        row = deliveries(session, org_id=clinic.id)[0]
        assert (
            row.last_error == "answered 500 Internal Server Error; given up after 24 hours of tries"
        )


def test_email_off_keeps_emails_for_a_day_then_gives_them_up(
    session: Session, sessions: sessionmaker[Session], clinic: OrganizationRow
) -> None:
    tell(session, org=clinic, notices=[Notice("comment", "ana", "objective", "B1", "c1",
                                              "A comment")], now=T0)  # fmt: skip
    session.commit()
    notifier = Notifier(sessions, config=Settings(smtp_url=""))
    waiting = notifier.run_pass(as_of=QUIET, now=T0 + timedelta(hours=23))
    assert (waiting.emails, waiting.failed, waiting.emails_waiting) == (0, 0, 1)
    assert waiting.line().endswith("e-mail is off (HOSHIN_SMTP_URL is not set): 1 e-mail(s) wait")
    given_up = notifier.run_pass(as_of=QUIET, now=T0 + timedelta(hours=24, seconds=1))
    assert (given_up.failed, given_up.emails_waiting) == (1, 0)
    assert log(session, clinic) == [("email", "failed", 0, None)]


def test_a_plan_changed_since_is_scheduled_again(
    session: Session, sessions: sessionmaker[Session], clinic: OrganizationRow
) -> None:
    notifier = Notifier(sessions, config=Settings(smtp_url=""))
    as_of, now = date(2026, 7, 8), datetime(2026, 7, 8, 6, tzinfo=UTC)
    first = notifier.run_pass(as_of=as_of, now=now)
    assert (first.organizations, first.notices) == (1, 7)
    assert notifier.run_pass(as_of=as_of, now=now).organizations == 0  # the day is done
    bump_plan_version(session, org_id=clinic.id)
    session.commit()
    again = notifier.run_pass(as_of=as_of, now=now + timedelta(minutes=1))
    assert (again.organizations, again.notices) == (1, 0)  # every key was told
    # the next day is scheduled anew: the 3 escalations held back yesterday
    next_day = notifier.run_pass(as_of=as_of + timedelta(days=1), now=now + timedelta(days=1))
    assert (next_day.organizations, next_day.notices) == (1, 3)
