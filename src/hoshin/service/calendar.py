"""A person's private calendar feed (iCalendar, RFC 5545): its link, made, renewed and
revoked by the person (audited), and the feed the link opens without signing in, built with
the ``icalendar`` package from domain.calendar's entries. Only the SHA-256 of a link's
secret is stored: the database never holds a working link."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
from sqlalchemy.orm import Session

from hoshin.domain.calendar import Entry, Meeting, entries
from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.errors import InvalidInput, NotFound
from hoshin.service.asker import Who
from hoshin.service.notify import unsubscribe_tokens
from hoshin.store.audit import record_event
from hoshin.store.calendar import find_settings_by_calendar, meetings_since
from hoshin.store.notification import settings_of
from hoshin.store.organization import OrganizationRow
from hoshin.store.plan_load import load_plan
from hoshin.store.unit import find_person

ENTITY = "notification_settings"  # the audit trail's entity of a person's settings
PAST_MEETINGS = timedelta(days=92)  # meetings of the last three months stay in the calendar
PRODID = "-//hoshin//calendar//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"
# The plan of an organisation: the analysis cache's at the door, else read from the store.
PlanOf = Callable[[Session, OrganizationRow], Plan]


@dataclass(frozen=True, slots=True)
class Feed:
    """A calendar feed: its organisation and its text."""

    org: OrganizationRow
    person: str
    body: bytes


def calendar_path(secret: str) -> str:
    """The path of the feed a link's secret opens: ``/ical/<secret>.ics``."""
    return f"/ical/{secret}.ics"


def secret_hash(secret: str) -> str:
    """What the database keeps of a link's secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_calendar_link(
    session: Session, *, org: OrganizationRow, person: str, who: Who, now: datetime
) -> str:
    """A new secret for the person's calendar link (the feed is at calendar_path of it);
    a link they had stops working. Their settings are made with the defaults if they have
    none. InvalidInput for a person the plan lacks."""
    if find_person(session, org_id=org.id, key=person) is None:
        reason = f"the plan has no person '{person[:64]}'"
        raise InvalidInput(reason, [{"field": "person", "reason": reason}])
    unsubscribe_tokens(session, org=org, people={person}, now=now)  # makes the row if none
    row = settings_of(session, org_id=org.id, people={person})[person]
    had = row.calendar_token_hash is not None
    secret = secrets.token_urlsafe(32)
    row.calendar_token_hash = secret_hash(secret)
    row.updated_at, row.version = now, row.version + 1
    session.flush()
    _audit(session, org, who, person, had=had, has=True, renewed=had)
    return secret


def revoke_calendar_link(
    session: Session, *, org: OrganizationRow, person: str, who: Who, now: datetime
) -> bool:
    """Ends the person's calendar link (its feed answers 404 from now on); whether there
    was one."""
    row = settings_of(session, org_id=org.id, people={person}).get(person)
    if row is None or row.calendar_token_hash is None:
        return False
    row.calendar_token_hash = None
    row.updated_at, row.version = now, row.version + 1
    session.flush()
    _audit(session, org, who, person, had=True, has=False)
    return True


def calendar_feed(
    session: Session,
    *,
    secret: str,
    now: datetime,
    base_url: str = "",
    plan_of: PlanOf | None = None,
) -> Feed:
    """The feed a link's secret opens, its events linked under ``base_url``; NotFound for a
    secret no link has (or has no more)."""
    row = find_settings_by_calendar(session, token_hash=secret_hash(secret))
    org = None if row is None else session.get(OrganizationRow, row.org_id)
    if row is None or org is None:
        raise NotFound("no calendar at this link: it was revoked or never made")
    plan = (plan_of or _stored_plan)(session, org)
    meetings = [
        Meeting(r.unit, Month(r.period), _utc(r.meeting_at), tuple(map(str, r.attendees)))
        for r in meetings_since(session, org_id=org.id, since=now - PAST_MEETINGS)
        if r.meeting_at is not None
    ]
    found = entries(
        plan, person=row.person, slug=org.slug, as_of=now.astimezone(UTC).date(),
        lead_days=org.reminder_lead_days, meetings=meetings,
    )  # fmt: skip
    return Feed(org, row.person, ical(found, name=f"hoshin — {org.name}", now=now, base=base_url))


def ical(found: list[Entry], *, name: str, now: datetime, base: str) -> bytes:
    """The iCalendar text of the entries: all-day events for days, timed ones in UTC, each
    with its uid, DTSTAMP ``now`` and its link under ``base``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what most calendar apps read
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = now.astimezone(UTC)
    for entry in found:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _when(entry.start))
        event.add("dtend", _when(entry.end))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        if base and entry.link:
            event.add("url", base.rstrip("/") + entry.link)
        event.add("transp", "TRANSPARENT" if not isinstance(entry.start, datetime) else "OPAQUE")
        calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text


def _when(moment: date | datetime) -> date | datetime:
    return _utc(moment) if isinstance(moment, datetime) else moment


def _utc(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stored_plan(session: Session, org: OrganizationRow) -> Plan:
    return load_plan(session, org=org)


def _audit(
    session: Session,
    org: OrganizationRow,
    who: Who,
    person: str,
    *,
    had: bool,
    has: bool,
    renewed: bool = False,
) -> None:
    """The link's change, never its secret: whether the person had a calendar and has one
    (a new link for an old one: ``renewed``)."""
    after: dict[str, object] = {"calendar": has, **({"renewed": True} if renewed else {})}
    record_event(
        session, org_id=org.id, actor=who.actor, entity=ENTITY, key=person,
        change="update", before={"calendar": had}, after=after, user_id=who.user_id,
        origin=who.origin,
    )  # fmt: skip
