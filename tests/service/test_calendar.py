"""A person's calendar feed, on SQLite and PostgreSQL: read back with icalendar, its events
are the ones worked out by hand below from examples/small.yaml as of 2026-06-15; the link's
secret is stored only as its SHA-256, a new link ends the old one, a revoked one is 404."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from factories import make_organization
from hoshin.errors import InvalidInput, NotFound
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service import calendar
from hoshin.service.asker import Who
from hoshin.store.audit import AuditEventRow
from hoshin.store.notification import NotificationSettingsRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.review import MonthlyReviewRow

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
BEN = Who("ben@clinic.example", None, "192.0.2.7")


def clinic(session: Session) -> OrganizationRow:
    """examples/small.yaml with Ana Lima leading the unit clinic, and three reviews that meet:
    Ward A's June review on 3 July with attendees 'Ben Ode' and 'ana'; clinic's April review
    on 20 May without attendees (Ana leads clinic); clinic's December review on 10 January,
    older than the 92 days a feed looks back."""
    plan = read_plan(SMALL)
    units = tuple(dataclasses.replace(u, lead="ana") if u.id == "clinic" else u for u in plan.units)
    org = make_organization(
        session, slug="clinic", name="Clinic", plan=dataclasses.replace(plan, units=units)
    )
    reviews: tuple[tuple[str, int, datetime, list[str]], ...] = (
        ("ward-a", 2026 * 12 + 5, datetime(2026, 7, 3, 9, tzinfo=UTC), ["Ben Ode", " ana "]),
        ("clinic", 2026 * 12 + 3, datetime(2026, 5, 20, 14, tzinfo=UTC), []),
        ("clinic", 2025 * 12 + 11, datetime(2026, 1, 10, 14, tzinfo=UTC), ["ana", "ben"]),
    )
    for unit, period, at, attendees in reviews:
        session.add(MonthlyReviewRow(org_id=org.id, unit=unit, period=period, attendees=attendees,
                                     meeting_at=at, updated_by="tests"))  # fmt: skip
    session.flush()
    return org


def events(body: bytes) -> dict[str, tuple[object, object, str]]:
    """The feed's events by uid: (start, end, summary)."""
    parsed = icalendar.Calendar.from_ical(body)
    return {
        str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]))
        for e in parsed.walk("VEVENT")
    }


def feed(session: Session, secret: str) -> bytes:
    return calendar.calendar_feed(
        session, secret=secret, now=NOW, base_url="https://h.example"
    ).body


def test_bens_calendar_holds_his_deadlines_check_ins_and_reviews(session: Session) -> None:
    org = clinic(session)
    secret = calendar.new_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
    session.commit()
    body = feed(session, secret)
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed["X-WR-CALNAME"]) == "hoshin — Riverside Clinic" == str(parsed["NAME"])
    d = date
    # Ben owns actions a1 (due 30 June) and a2 (due 31 July): all day, ending the day after.
    # He owns the metrics of A1 (huddles) and T1 (trained): as of 15 June, May's actual was
    # due on 1 June (past), so June, July and August, due on 1 July, 1 August, 1 September.
    # He attends Ward A's June review ('Ben Ode', any case), 09:00 to 10:00 UTC on 3 July;
    # not clinic's (he neither attends nor leads it). cm1 is Ana's, falls (B1) too.
    days = {
        "action/a1": (d(2026, 6, 30), "Due: action a1 Write the huddle checklist"),
        "action/a2": (d(2026, 7, 31), "Due: action a2 Roll out huddles to every ward"),
    }
    for metric, name in (("huddles", "Ward days with a huddle"), ("trained", "Nurses trained")):
        for month, word, due in (("06", "June", d(2026, 7, 1)), ("07", "July", d(2026, 8, 1)),
                                 ("08", "August", d(2026, 9, 1))):  # fmt: skip
            days[f"check-in/{metric}/2026-{month}"] = (due, f"Check-in: {name} for {word} 2026")
    all_day = {f"clinic/{k}@hoshin": (on, on + timedelta(days=1), t) for k, (on, t) in days.items()}
    meeting = (datetime(2026, 7, 3, 9, tzinfo=UTC), datetime(2026, 7, 3, 10, tzinfo=UTC))
    review = {
        "clinic/review/ward-a/2026-06@hoshin": (*meeting, "Monthly review: Ward A, June 2026")
    }
    assert events(body) == {**all_day, **review}
    first = next(iter(parsed.walk("VEVENT")))
    assert first.decoded("DTSTAMP") == NOW
    assert str(first["URL"]) == "https://h.example/orgs/clinic/objectives/A1"
    assert feed(session, secret) == body  # the same plan, the same feed: nothing duplicates


def test_anas_calendar_has_her_countermeasure_and_the_reviews_of_the_unit_she_leads(
    session: Session,
) -> None:
    org = clinic(session)
    secret = calendar.new_calendar_link(session, org=org, person="ana", who=BEN, now=NOW)
    found = events(feed(session, secret))
    d = date
    # a3 due 31 July; cm1 (trained, May) due 30 June; falls for June to August; Ward A's
    # review (attendee ' ana '), clinic's April review (she leads clinic), not January's.
    assert sorted(found) == [
        "clinic/action/a3@hoshin", "clinic/check-in/falls/2026-06@hoshin",
        "clinic/check-in/falls/2026-07@hoshin", "clinic/check-in/falls/2026-08@hoshin",
        "clinic/countermeasure/cm1@hoshin", "clinic/review/clinic/2026-04@hoshin",
        "clinic/review/ward-a/2026-06@hoshin",
    ]  # fmt: skip
    assert found["clinic/countermeasure/cm1@hoshin"] == (
        d(2026, 6, 30), d(2026, 7, 1), "Due: countermeasure cm1 for Nurses trained (2026-05)"
    )  # fmt: skip
    assert (
        found["clinic/review/clinic/2026-04@hoshin"][2]
        == "Monthly review: Riverside Clinic, April 2026"
    )


def test_a_link_is_stored_hashed_renewed_and_revoked(session: Session) -> None:
    org = clinic(session)
    with pytest.raises(InvalidInput, match="the plan has no person 'zed'"):
        calendar.new_calendar_link(session, org=org, person="zed", who=BEN, now=NOW)
    old = calendar.new_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
    row = session.scalars(select(NotificationSettingsRow)).one()  # made with the defaults
    assert row.calendar_token_hash == hashlib.sha256(old.encode()).hexdigest()
    assert row.weekly_digest and row.unsubscribe_token
    new = calendar.new_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
    assert calendar.calendar_path(new) == f"/ical/{new}.ics"
    with pytest.raises(NotFound):
        feed(session, old)  # the old link stopped working
    assert feed(session, new)
    assert calendar.revoke_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
    assert not calendar.revoke_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
    with pytest.raises(NotFound, match="no calendar at this link"):
        feed(session, new)
    session.commit()
    trail = session.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.entity == "notification_settings")
        .order_by(AuditEventRow.id)
    ).all()
    assert [(e.key, e.before, e.after) for e in trail] == [
        ("ben", {"calendar": False}, {"calendar": True}),
        ("ben", {"calendar": True}, {"calendar": True, "renewed": True}),
        ("ben", {"calendar": True}, {"calendar": False}),
    ]
    assert not any(
        secret in str(e.after)
        for e in trail
        for secret in (old, new, row.calendar_token_hash or "-")
    )


def test_the_feed_is_served_without_sign_in_and_404_once_revoked(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        org = clinic(session)
        secret = calendar.new_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
        session.commit()
    with TestClient(create_server(sessions)) as client:
        answer = client.get(f"/ical/{secret}.ics")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
        assert b"BEGIN:VCALENDAR" in answer.content and b"clinic/action/a1@hoshin" in answer.content
        assert client.get("/ical/not-a-link-at-all.ics").status_code == 404
        with sessions() as session:
            org = session.scalars(select(OrganizationRow)).one()
            calendar.revoke_calendar_link(session, org=org, person="ben", who=BEN, now=NOW)
            session.commit()
        assert client.get(f"/ical/{secret}.ics").status_code == 404
