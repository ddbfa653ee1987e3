"""The scheduler's pieces on SQLite and PostgreSQL: what the clinic owes as of a day, told in
chunks, its webhook events, and the daily digest.

The clinic is examples/small.yaml with its unit ``clinic`` led by ana (ward-a has no lead,
so ana is the lead above ward-a too). As of 2026-07-08 (a Wednesday: no weekly digest),
lead days 0, escalation after 5 days:
- June's actuals were due on 2026-07-01 and none is recorded: falls (ana, B1 has no unit:
  ana's unit clinic), huddles and trained (ben, ward-a): 3 actual_due;
- 7 days late, at least 5 and under 10: level 1 escalations to the owner and the first lead
  above them: falls to ana (she leads clinic herself: no one above), huddles and trained to
  ben and ana: 5 escalations;
- red in May: trained (10 vs 20 planned: 40 over the 8 months from January), answered by
  cm1 (trained, 2026-05): no metric_red;
- overdue on 2026-07-08: action a1 (ben, due 2026-06-30, 50 %) and countermeasure cm1 (ana,
  due 2026-06-30, open); a2 and a3 are due 2026-07-31, past 2026-07-15: 2 deadlines.
10 notices; the quiet rule keeps one reminder per person and item a day: ana/falls,
ben/huddles and ben/trained each have an actual_due and an escalation (the actual_due comes
first by key), so 7 are told. The webhook events are one per item: actual.missing for
falls, huddles and trained, deadline.overdue for a1 and cm1: 5.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.domain.notices import Notice
from hoshin.planfile import read_plan
from hoshin.service.scheduler import chunks, daily_digests, owed, tell_chunk, webhook_events
from hoshin.store.notification import (
    NotificationRow,
    NotificationSettingsRow,
    OutboxRow,
    WebhookRow,
)
from hoshin.store.organization import OrganizationRow

SMALL = read_plan(Path(__file__).parents[2] / "examples" / "small.yaml")
AS_OF = date(2026, 7, 8)
NOW = datetime(2026, 7, 8, 6, tzinfo=UTC)


@pytest.fixture
def clinic(session: Session) -> OrganizationRow:
    units = tuple(replace(u, lead="ana") if u.id == "clinic" else u for u in SMALL.units)
    org = make_organization(session, slug="clinic", name="Riverside Clinic",
                            plan=replace(SMALL, units=units))  # fmt: skip
    session.add(WebhookRow(org_id=org.id, url="https://hooks.example/h", events=[],
                           secret="s", created_by="tests"))  # fmt: skip
    session.commit()
    return org


def keys(session: Session, org: OrganizationRow) -> list[str]:
    query = select(NotificationRow.key).where(NotificationRow.org_id == org.id)
    return sorted(session.scalars(query))


def events(session: Session) -> list[str]:
    query = select(OutboxRow.payload).where(OutboxRow.channel == "webhook")
    return sorted(f"{p['event']} {p['data']['item']}" for p in session.scalars(query))


def test_the_clinic_as_of_a_day_is_told_once(session: Session, clinic: OrganizationRow) -> None:
    found = owed(session, org=clinic, as_of=AS_OF)
    assert sorted(n.key for n in found.notices) == [
        "actual_due|ana|metric:falls|2026-06",
        "actual_due|ben|metric:huddles|2026-06",
        "actual_due|ben|metric:trained|2026-06",
        "deadline:overdue|ana|countermeasure:cm1|2026-W28",
        "deadline:overdue|ben|action:a1|2026-W28",
        "escalation:1|ana|metric:falls|2026-06",
        "escalation:1|ana|metric:huddles|2026-06",
        "escalation:1|ana|metric:trained|2026-06",
        "escalation:1|ben|metric:huddles|2026-06",
        "escalation:1|ben|metric:trained|2026-06",
    ]
    told = tell_chunk(session, org=clinic, notices=found.notices, now=NOW)
    session.commit()
    assert (told.notices, told.webhook_calls) == (7, 5)
    assert keys(session, clinic) == [
        "actual_due|ana|metric:falls|2026-06",
        "actual_due|ben|metric:huddles|2026-06",
        "actual_due|ben|metric:trained|2026-06",
        "deadline:overdue|ana|countermeasure:cm1|2026-W28",
        "deadline:overdue|ben|action:a1|2026-W28",
        "escalation:1|ana|metric:huddles|2026-06",
        "escalation:1|ana|metric:trained|2026-06",
    ]
    assert events(session) == [
        "actual.missing falls", "actual.missing huddles", "actual.missing trained",
        "deadline.overdue a1", "deadline.overdue cm1",
    ]  # fmt: skip
    # The same pass again the same day tells nothing and calls nothing.
    again = tell_chunk(session, org=clinic, notices=found.notices, now=NOW + timedelta(hours=1))
    assert (again.notices, again.webhook_calls) == (0, 0)


def test_the_next_day_tells_the_escalations_held_back(
    session: Session, clinic: OrganizationRow
) -> None:
    """On 2026-07-09 the actuals due and the overdue items (same ISO week) were told: the
    3 escalations held back yesterday by the quiet rule go now, not behind them again."""
    tell_chunk(session, org=clinic, notices=owed(session, org=clinic, as_of=AS_OF).notices,
               now=NOW)  # fmt: skip
    session.commit()
    found = owed(session, org=clinic, as_of=AS_OF + timedelta(days=1))
    told = tell_chunk(session, org=clinic, notices=found.notices, now=NOW + timedelta(days=1))
    session.commit()
    assert (told.notices, told.webhook_calls) == (3, 0)
    assert {k for k in keys(session, clinic) if k.startswith("escalation:1|ben")} == {
        "escalation:1|ben|metric:huddles|2026-06",
        "escalation:1|ben|metric:trained|2026-06",
    }
    assert "escalation:1|ana|metric:falls|2026-06" in keys(session, clinic)


def notice(person: str, item: str, event: str = "actual_due", variant: str = "") -> Notice:
    return Notice(event, person, "metric", item, "2026-06", f"{item} is due", variant=variant)  # type: ignore[arg-type]


def test_chunks_keep_each_persons_notices_together() -> None:
    notices = [notice("cy", "m1"), notice("ana", "m1"), notice("ana", "m2"), notice("ben", "m1"),
               notice("ana", "m3"), notice("ben", "m2")]  # fmt: skip
    # size 2: ana's three stay in one chunk (over the size), then ben's two, then cy's one
    assert [[(n.person, n.item) for n in chunk] for chunk in chunks(notices, 2)] == [
        [("ana", "m1"), ("ana", "m2"), ("ana", "m3")],
        [("ben", "m1"), ("ben", "m2")],
        [("cy", "m1")],
    ]
    assert chunks([], 2) == []


def test_webhook_events_are_one_per_item_period_and_level() -> None:
    notices = [
        notice("ana", "falls", "escalation", "1"), notice("ben", "falls", "escalation", "1"),
        notice("ana", "falls", "escalation", "2"), notice("ana", "falls", "metric_red"),
        notice("ana", "falls"),  # an actual due is told to its owner only
        Notice("deadline", "ben", "action", "a1", "2026-07-06", "a1 due", variant="soon"),
        Notice("deadline", "ben", "action", "a2", "2026-W28", "a2 late", variant="overdue"),
    ]  # fmt: skip
    assert [(event, key) for event, _, _, key in webhook_events(notices)] == [
        ("actual.missing", "actual.missing:1|metric:falls|2026-06"),
        ("actual.missing", "actual.missing:2|metric:falls|2026-06"),
        ("metric.red", "metric.red:|metric:falls|2026-06"),
        ("deadline.due", "deadline.due:soon|action:a1|2026-07-06"),
        ("deadline.overdue", "deadline.overdue:overdue|action:a2|2026-W28"),
    ]


def test_a_daily_digest_gathers_the_day_in_one_email(
    session: Session, clinic: OrganizationRow
) -> None:
    """ana chose a daily digest: her 4 notices of 2026-07-08 (falls due, cm1 overdue, the
    escalations of huddles and trained) are one e-mail on the next day."""
    session.add(NotificationSettingsRow(org_id=clinic.id, person="ana", channels={},
                                        daily_digest=True, unsubscribe_token="t-ana"))  # fmt: skip
    session.commit()
    tell_chunk(session, org=clinic, notices=owed(session, org=clinic, as_of=AS_OF).notices,
               now=NOW)  # fmt: skip
    session.commit()
    mails = select(OutboxRow.recipient).where(OutboxRow.channel == "email")
    assert sorted(session.scalars(mails)) == []  # ben has no address: no account either
    assert daily_digests(session, org=clinic, day=AS_OF - timedelta(days=1), now=NOW) == 0
    assert daily_digests(session, org=clinic, day=AS_OF, now=NOW + timedelta(days=1)) == 1
    assert daily_digests(session, org=clinic, day=AS_OF, now=NOW + timedelta(days=1)) == 0
    digest = session.scalars(select(OutboxRow).where(OutboxRow.channel == "email")).one()
    assert digest.key == "email|daily|ana|2026-07-08"
    assert digest.recipient == "ana@riverside.example"
    assert digest.payload["digest"] is True
    assert digest.payload["unsubscribe"] == "t-ana"
    assert digest.payload["subject"] == "Your day in Riverside Clinic: 4 notices of 2026-07-08"
    assert sorted(item["title"] for item in digest.payload["items"]) == [
        "Countermeasure cm1 for Nurses trained (2026-05) is overdue since 2026-06-30",
        "June 2026's actual of Patient falls per month (B1 Cut patient falls from 40 to 10 a "
        "month by the end of 2027) is due",
        "Still missing: June 2026's actual of Nurses trained (T1 Train 40 nurses in fall "
        "prevention by September 2026), due 2026-07-01",
        "Still missing: June 2026's actual of Ward days with a huddle (A1 Run a daily "
        "fall-risk huddle on 100% of ward days in 2026), due 2026-07-01",
    ]
