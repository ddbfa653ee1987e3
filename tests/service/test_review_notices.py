"""A monthly review tells its attendees and its unit's lead when its meeting is set or
moved and when its minutes are first recorded, on SQLite and PostgreSQL.

The clinic (notice_support): ward-a (Ward A) is led by ben; its people are ben (Ben Ode),
cara (Cara Diaz) and two named Dan Roe (dan, dan-2); ana (Ana Lima, an editor) is of the
unit above. An attendee line names a person by id or exact name; "Dan Roe" names two
people, so nobody; a guest names nobody.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from notice_support import called, make_clinic, notification, told
from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.errors import InvalidInput
from hoshin.service import review
from hoshin.service.asker import Asker
from hoshin.service.versioned import Change
from hoshin.store.organization import OrganizationRow

NOW = datetime(2026, 6, 20, 12, tzinfo=UTC)
JUNE = Month.parse("2026-06")
ITEM = "review:ward-a:2026-06|2026-06"
Clinic = tuple[OrganizationRow, dict[str, Asker]]


@pytest.fixture
def clinic(session: Session, cheap_hashing: None) -> Clinic:
    return make_clinic(session)


def save(
    session: Session, org: OrganizationRow, who: Asker, version: int | None, **record: Any
) -> dict[str, Any]:
    state = review.save_monthly_review(
        session, change=Change(org, who.who, version), asker=(who.role, who.person),
        unit="ward-a", period=JUNE, record=record, now=NOW,
    )  # fmt: skip
    session.commit()
    return state


def test_scheduling_moving_and_recording_tell_the_attendees_and_the_lead(
    session: Session, clinic: Clinic
) -> None:
    """ana schedules June's review for 2026-07-02 09:00 (no offset: UTC). Attendees: ben
    (id), "Cara Diaz" (cara), "Ana Lima" (ana: she is saving, so not told), "Dan Roe" (two
    people: nobody), a guest (nobody); the lead ben is an attendee already. Told: ben and
    cara. She moves it to 10:30 at +02:00, 08:30 UTC on 07-03: ben and cara again. ben
    records the minutes (one decision): told are cara and ana, not ben who saved them. A
    change of the notes afterwards tells nobody: the minutes were recorded before."""
    org, people = clinic
    ana, ben = people["ana"], people["ben"]
    attendees = ["ben", "Cara Diaz", "Ana Lima", "Dan Roe", "a guest from pharmacy"]
    state = save(session, org, ana, None, attendees=attendees, meeting_at="2026-07-02T09:00")
    assert state["meeting_at"] == "2026-07-02T09:00:00+00:00"
    save(session, org, ana, 1, attendees=attendees, meeting_at="2026-07-03T10:30:00+02:00")
    save(session, org, ben, 2, attendees=attendees, meeting_at="2026-07-03T08:30:00Z",
         decisions=["Borrow a trainer"])  # fmt: skip
    save(session, org, ben, 3, attendees=attendees, meeting_at="2026-07-03T08:30:00Z",
         decisions=["Borrow a trainer"], notes="Trainer from Ward B")  # fmt: skip
    first, moved = "scheduled-2026-07-02T09:00:00+00:00", "scheduled-2026-07-03T08:30:00+00:00"
    meets = "The monthly review of Ward A for 2026-06 meets 2026-07-02 09:00 UTC"
    moves = "The monthly review of Ward A for 2026-06 moved to 2026-07-03 08:30 UTC"
    recorded = "The minutes of Ward A's monthly review for 2026-06 are recorded"
    assert told(session, org) == [
        ("ben", f"review:{first}|ben|{ITEM}", meets),
        ("cara", f"review:{first}|cara|{ITEM}", meets),
        ("ben", f"review:{moved}|ben|{ITEM}", moves),
        ("cara", f"review:{moved}|cara|{ITEM}", moves),
        ("cara", f"review:minutes|cara|{ITEM}", recorded),
        ("ana", f"review:minutes|ana|{ITEM}", recorded),
    ]
    minutes = notification(session, org, f"review:minutes|ana|{ITEM}")
    assert minutes.body == "Recorded by Ben Ode. Borrow a trainer"
    assert minutes.link == "/orgs/clinic/reviews/monthly/ward-a/2026-06"
    calls = called(session, org)
    assert [(event, subject) for event, subject, _ in calls] == [
        ("review.scheduled", "Ward A 2026-06"), ("review.scheduled", "Ward A 2026-06"),
        ("review.recorded", "Ward A 2026-06"),
    ]  # fmt: skip
    assert calls[1][2]["meeting_at"] == "2026-07-03T08:30:00+00:00"
    assert calls[2][2]["decisions"] == ["Borrow a trainer"]


def test_an_attendee_added_to_a_scheduled_meeting_is_told_and_no_one_twice(
    session: Session, clinic: Clinic
) -> None:
    """ana schedules June's review with ben alone: ben is told. She adds cara: cara is
    told of the same meeting, ben not again (the same key), and no webhook call (the
    meeting did not move). Clearing the meeting tells nobody."""
    org, people = clinic
    ana = people["ana"]
    save(session, org, ana, None, attendees=["ben"], meeting_at="2026-07-02T09:00")
    save(session, org, ana, 1, attendees=["ben", "cara"], meeting_at="2026-07-02T09:00")
    save(session, org, ana, 2, attendees=["ben", "cara"], meeting_at=None)
    assert [(person, title) for person, _, title in told(session, org)] == [
        ("ben", "The monthly review of Ward A for 2026-06 meets 2026-07-02 09:00 UTC"),
        ("cara", "The monthly review of Ward A for 2026-06 meets 2026-07-02 09:00 UTC"),
    ]
    assert [event for event, _, _ in called(session, org)] == ["review.scheduled"]


def test_a_meeting_time_is_read_as_utc_unless_it_has_an_offset(
    session: Session, clinic: Clinic
) -> None:
    """09:00 without an offset is 09:00 UTC; 09:00 at +02:00 is 07:00 UTC, as text or as a
    datetime; text that is no time is refused at the field meeting_at."""
    utc = datetime(2026, 7, 2, 9, tzinfo=UTC)
    assert review.meeting_time("2026-07-02T09:00") == utc
    assert review.meeting_time(" 2026-07-02T09:00:00+02:00 ") == utc - timedelta(hours=2)
    plus_two = timezone(timedelta(hours=2))
    assert review.meeting_time(datetime(2026, 7, 2, 9, tzinfo=plus_two)) == utc - timedelta(hours=2)
    assert review.meeting_time(datetime(2026, 7, 2, 9)) == utc  # noqa: DTZ001 - naive is UTC
    org, people = clinic
    with pytest.raises(InvalidInput) as refused:
        save(session, org, people["ana"], None, meeting_at="next Tuesday")
    assert refused.value.detail == [{"field": "meeting_at", "reason": review.MEETING_FORMAT}]
    assert told(session, org) == []
