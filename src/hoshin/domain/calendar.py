"""What a person's calendar holds, from the plan as of a day: the deadlines of the actions
and countermeasures they own, the check-ins they owe (the next few due months of each
metric they own) and the monthly reviews they attend or whose unit they lead. Pure: the
feed's format is service.calendar's; every entry's uid stays the same from one reading
to the next, so a calendar updates an entry instead of adding another."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import quote

from hoshin.domain.cadence import is_due
from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.domain.reminders import due_day, month_name, running
from hoshin.domain.responsible import metric_owner

CHECK_INS_AHEAD = 3  # due months of each metric shown
MONTHS_LOOKED_AHEAD = 24  # a quarterly metric's three due months lie within nine
MEETING = timedelta(hours=1)  # a review's length, which the plan does not say
UID_DOMAIN = "hoshin"


@dataclass(frozen=True, slots=True)
class Meeting:
    """A unit's monthly review that has a meeting time."""

    unit: str
    period: Month
    at: datetime  # UTC
    attendees: tuple[str, ...]  # lines as written: a person's id or name


@dataclass(frozen=True, slots=True)
class Entry:
    """One event of the calendar: all day (``start`` a date, ``end`` the day after) or
    timed (datetimes)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    description: str
    link: str  # a path under the organisation's pages


def uid(slug: str, kind: str, *parts: str) -> str:
    """An entry's stable uid: ``acme/check-in/falls/2026-06@hoshin``."""
    return "/".join((slug, kind, *parts)) + f"@{UID_DOMAIN}"


def _path(slug: str, *parts: str) -> str:
    return "/".join((f"/orgs/{slug}", *(quote(part, safe="") for part in parts)))


def _day(start: date) -> tuple[date, date]:
    return start, start + timedelta(days=1)


def entries(
    plan: Plan,
    *,
    person: str,
    slug: str,
    as_of: date,
    lead_days: int,
    meetings: Iterable[Meeting] = (),
) -> list[Entry]:
    """The person's calendar: deadlines, check-ins, then meetings, each in plan order."""
    return [
        *deadlines(plan, person=person, slug=slug),
        *check_ins(plan, person=person, slug=slug, as_of=as_of, lead_days=lead_days),
        *reviews(plan, person=person, slug=slug, meetings=meetings),
    ]


def deadlines(plan: Plan, *, person: str, slug: str) -> Iterator[Entry]:
    """The due days of the person's open actions and countermeasures."""
    for action in plan.actions:
        if action.owner != person or action.due is None or action.done:
            continue
        link = _path(slug, "objectives", action.serves[0]) if action.serves else _path(slug)
        start, end = _day(action.due)
        yield Entry(uid(slug, "action", action.id), f"Due: action {action.id} {action.title}",
                    start, end, "An action of yours is due.", link)  # fmt: skip
    names = {m.id: m.name for o in plan.objectives for m in o.metrics}
    for measure in plan.countermeasures:
        if measure.owner != person or measure.due is None or measure.status == "closed":
            continue
        name = names.get(measure.metric, measure.metric)
        start, end = _day(measure.due)
        summary = f"Due: countermeasure {measure.id} for {name} ({measure.period})"
        description = measure.action or measure.cause or "A countermeasure of yours is due."
        yield Entry(uid(slug, "countermeasure", measure.id), summary, start, end, description,
                    _path(slug, "countermeasures", measure.id))  # fmt: skip


def check_ins(
    plan: Plan, *, person: str, slug: str, as_of: date, lead_days: int
) -> Iterator[Entry]:
    """For each metric the person owns (its own owner, else its objective's), the next
    CHECK_INS_AHEAD months whose actual is due on or after ``as_of``, on their due day
    (the day after the month ends, ``lead_days`` earlier; a quarterly metric's at its
    fiscal quarter's end)."""
    fiscal = plan.organization.fiscal_year_start
    first = Month.of_date(as_of).minus(1)  # last month's actual may still be due
    for objective in plan.objectives:
        for metric in objective.metrics:
            if metric_owner(metric, objective) != person:
                continue
            found = 0
            for month in (first + step for step in range(MONTHS_LOOKED_AHEAD)):
                if found == CHECK_INS_AHEAD:
                    break
                due = due_day(month, lead_days)
                if due < as_of or not is_due(metric.frequency, month, fiscal):
                    continue
                if not running(objective, metric, month, fiscal):
                    continue
                found += 1
                start, end = _day(due)
                yield Entry(
                    uid(slug, "check-in", metric.id, str(month)),
                    f"Check-in: {metric.name} for {month_name(month)}", start, end,
                    f"Enter the actual of {metric.name} ({objective.id} {objective.title}).",
                    f"/orgs/{slug}/check-in?month={month}",
                )  # fmt: skip


def reviews(plan: Plan, *, person: str, slug: str, meetings: Iterable[Meeting]) -> Iterator[Entry]:
    """The review meetings the person attends (an attendee line that is their id or name,
    in any case) or whose unit they lead."""
    me = next((p for p in plan.people if p.id == person), None)
    names = {person.casefold()} | ({me.name.strip().casefold()} if me and me.name else set())
    led = {unit.id for unit in plan.units if unit.lead == person}
    units = {unit.id: unit.name for unit in plan.units}
    for meeting in meetings:
        attends = any(line.strip().casefold() in names for line in meeting.attendees)
        if not attends and meeting.unit not in led:
            continue
        unit_name = units.get(meeting.unit) or meeting.unit
        yield Entry(
            uid(slug, "review", meeting.unit, str(meeting.period)),
            f"Monthly review: {unit_name}, {month_name(meeting.period)}",
            meeting.at, meeting.at + MEETING,
            f"The monthly review of {unit_name} for {month_name(meeting.period)}.",
            _path(slug, "reviews", "monthly", meeting.unit, str(meeting.period)),
        )  # fmt: skip
