"""Monthly reviews of units (attendees, decisions, notes) and comments on objectives.

Neither is part of the plan: saving one records an audit event but leaves the plan version
alone, so the cached analyses stay current.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from hoshin.domain.analysis import Analysis
from hoshin.domain.findings import Finding
from hoshin.domain.model import Action, Countermeasure, Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.status import Status, month_status
from hoshin.domain.trajectory import course
from hoshin.errors import InvalidInput, NotFound
from hoshin.service import announce, policy
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.service.versioned import Change, detail, save_record
from hoshin.store.audit import actor_names, record_event
from hoshin.store.objective import find_objective
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import find_row
from hoshin.store.review import (
    CommentRow,
    MonthlyReviewRow,
    comments_on,
    find_review,
    page_reviews,
)
from hoshin.store.unit import UnitRow, find_person

COMMENTS_SHOWN = 100  # the latest ones; older comments stay in the audit trail
LIMITS = {"attendees": (200, 200), "decisions": (100, 2000)}  # items, characters each
NOTES_LENGTH = 20_000
COMMENT_LENGTH = 5_000
MEETING_FORMAT = "a date and time, YYYY-MM-DDTHH:MM, in UTC unless an offset is given"


@dataclass(frozen=True, slots=True)
class RecordedReview:
    """The record of a unit's monthly review: who came, what was decided, the notes, who
    recorded it when, its version, and when it meets (UTC; None: not scheduled)."""

    unit: str
    period: Month
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    notes: str
    updated_by: str
    updated_at: datetime
    version: int
    recorded_by: str = ""  # who recorded it, as the organisation knows them (the pages')
    meeting_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        """The review as JSON values."""
        return {
            "unit": self.unit, "period": str(self.period), "attendees": list(self.attendees),
            "decisions": list(self.decisions), "notes": self.notes, "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat(), "version": self.version,
            "meeting_at": None if self.meeting_at is None else self.meeting_at.isoformat(),
        }  # fmt: skip


def recorded_review(row: MonthlyReviewRow) -> RecordedReview:
    """The review that ``row`` records."""
    return RecordedReview(
        row.unit, Month(row.period), tuple(row.attendees), tuple(row.decisions), row.notes,
        row.updated_by, row.updated_at, row.version, meeting_at=row.meeting_at,
    )  # fmt: skip


def review_state(row: MonthlyReviewRow) -> dict[str, Any]:
    """A monthly review as JSON values, with its version."""
    return recorded_review(row).as_json()


def find_recorded_review(
    session: Session, *, org: OrganizationRow, unit: str, period: Month
) -> RecordedReview | None:
    """The recorded review of a unit's month, or None."""
    row = find_review(session, org_id=org.id, unit=unit, period=int(period))
    if row is None:
        return None
    said = actor_names(session, org_id=org.id, emails={row.updated_by})
    return replace(recorded_review(row), recorded_by=said.get(row.updated_by, row.updated_by))


def find_monthly_review(
    session: Session, *, org: OrganizationRow, unit: str, period: Month
) -> dict[str, Any] | None:
    """``find_recorded_review`` as JSON values."""
    found = find_recorded_review(session, org=org, unit=unit, period=period)
    return None if found is None else found.as_json()


def list_monthly_reviews(
    session: Session, *, org: OrganizationRow, unit: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of recorded reviews, newest month first, and how many there are."""
    rows, total = page_reviews(session, org_id=org.id, unit=unit, limit=limit, offset=offset)
    return [review_state(row) for row in rows], total


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box, stripped (one attendee or decision a line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def save_monthly_review(
    session: Session,
    *,
    change: Change,
    asker: tuple[str, str | None],
    unit: str,
    period: Month,
    record: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """Records (or, at the version read, changes) the review of a unit's month.

    ``asker`` is (role, plan person); ``record`` holds attendees and decisions (lists of
    text), notes and meeting_at (meeting_time). Editors and admins review any unit; a
    contributor their own unit and the units below it. The attendees and the unit's lead
    are told when the meeting is set or moved and when the minutes are first recorded
    (service.announce).
    """
    org = change.org
    if find_row(session, UnitRow, org_id=org.id, key=unit) is None:
        raise NotFound(f"no unit '{unit}'")
    _may_review(session, org, asker, unit)
    values = _checked(record) | {"updated_by": change.who.actor, "updated_at": now}
    row = find_review(session, org_id=org.id, unit=unit, period=int(period))
    before = None if row is None else review_state(row)
    after = save_record(
        session, change, kind="monthly review", entity="monthly_review", key=f"{unit}/{period}",
        table=MonthlyReviewRow, row=row, identity={"unit": unit, "period": int(period)},
        values=values, state=review_state,
    )  # fmt: skip
    announce.review_saved(session, org=org, before=before, after=after,
                          actor=(change.who.actor, asker[1]), now=now)  # fmt: skip
    return after


def meeting_time(value: object) -> datetime:
    """When a review meets, in UTC: a datetime, or its ISO 8601 text ("2026-07-02T09:00",
    with seconds or an offset); without an offset it is UTC (the form's datetime-local field
    says so). ValueError for anything else."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    if not isinstance(value, datetime):
        raise ValueError("not a date and time")
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # 0001-01-01 at +14:00 is before the first instant Python has
        raise ValueError("out of range") from None


def _checked(record: dict[str, Any]) -> dict[str, Any]:
    """The review's values, or InvalidInput naming every field that is too long or, for
    meeting_at, no time."""
    problems = []
    values: dict[str, Any] = {}
    for name, (items, length) in LIMITS.items():
        given = [str(item).strip() for item in record.get(name, []) if str(item).strip()]
        if len(given) > items:
            problems.append(detail(name, f"at most {items} lines"))
        if any(len(item) > length for item in given):
            problems.append(detail(name, f"each line at most {length} characters"))
        values[name] = given
    notes = str(record.get("notes") or "").strip()
    if len(notes) > NOTES_LENGTH:
        problems.append(detail("notes", f"at most {NOTES_LENGTH} characters"))
    when, meeting = record.get("meeting_at"), None
    if when is not None and when != "":
        try:
            meeting = meeting_time(when)
        except ValueError:
            problems.append(detail("meeting_at", MEETING_FORMAT))
    if problems:
        raise InvalidInput("the review cannot be saved as it is", problems)
    return {**values, "notes": notes, "meeting_at": meeting}


def _may_review(
    session: Session, org: OrganizationRow, asker: tuple[str, str | None], unit: str
) -> None:
    role, person = asker

    def theirs() -> bool:  # a unit at or below theirs
        me = None if person is None else find_person(session, org_id=org.id, key=person)
        return (
            me is not None
            and me.unit is not None
            and me.unit in _unit_and_above(session, org, unit)
        )

    policy.require(role, Act.WORK, f"record the review of unit {unit}", theirs=theirs)


def _unit_and_above(session: Session, org: OrganizationRow, unit: str) -> list[str]:
    """The unit and its parents up to the top (a leader reviews the units below them)."""
    chain: list[str] = []
    key: str | None = unit
    while key is not None and key not in chain:  # a parent cycle would never end
        chain.append(key)
        row = find_row(session, UnitRow, org_id=org.id, key=key)
        key = None if row is None else row.parent
    return chain


def comment_state(row: CommentRow) -> dict[str, Any]:
    """A comment as JSON values."""
    return {
        "id": row.id, "objective": row.objective, "body": row.body, "author": row.author,
        "at": row.at.isoformat(), "version": row.version,
    }  # fmt: skip


def comments_of(session: Session, *, org: OrganizationRow, objective: str) -> list[dict[str, Any]]:
    """The latest comments on an objective, newest last (at most COMMENTS_SHOWN); raises
    NotFound for an unknown objective."""
    if find_objective(session, org_id=org.id, key=objective) is None:
        raise NotFound(f"no objective '{objective}'")
    rows, _ = comments_on(session, org_id=org.id, objective=objective, limit=COMMENTS_SHOWN)
    return [comment_state(row) for row in rows]


def add_comment(
    session: Session,
    *,
    change: Change,
    role: str,
    objective: str,
    body: str,
    now: datetime,
    person: str | None = None,
) -> dict[str, Any]:
    """A new comment on an objective (contributors, editors and admins; viewers read); the
    people it mentions (``@id``) and the objective's owner are told (service.announce),
    unless they are the writer (``person``, their plan person)."""
    org = change.org
    target = find_objective(session, org_id=org.id, key=objective)
    if target is None:
        raise NotFound(f"no objective '{objective}'")
    policy.require(role, Act.CONTRIBUTE, "comment")
    text = body.strip()
    if not text or len(text) > COMMENT_LENGTH:
        reason = "write a comment" if not text else f"at most {COMMENT_LENGTH} characters"
        raise InvalidInput(f"comment: {reason}", [detail("body", reason)])
    row = CommentRow(org_id=org.id, objective=objective, body=text, author=change.who.actor,
                     user_id=change.who.user_id, at=now)  # fmt: skip
    session.add(row)
    session.flush()
    state = comment_state(row)
    record_event(
        session, org_id=org.id, actor=change.who.actor, user_id=change.who.user_id,
        entity="comment", key=f"{objective}/{row.id}", change="create", after=state,
        origin=change.who.origin,
    )  # fmt: skip
    announce.comment_made(session, org=org, objective=target, comment=row, author=person,
                          now=now)  # fmt: skip
    return state


# The monthly review's agenda: what the meeting goes through, computed once per analysis.
AGENDA_SHOWN = 100  # rows of each list; the rest are counted


@dataclass(frozen=True, slots=True)
class Behind:
    """A metric red or amber in the month: its plan, actual and the month's countermeasures."""

    objective: Objective
    metric: Metric
    status: Status
    plan: float | None
    actual: float
    countermeasures: list[Countermeasure]


class Late(NamedTuple):
    """A late_action finding of the engine and its action."""

    finding: Finding
    action: Action


@dataclass(frozen=True, slots=True)
class Agenda:
    """The first AGENDA_SHOWN rows of each list, how many there are, and what it covers."""

    behind: list[Behind]
    behind_count: int
    missing: list[Finding]  # the engine's missing_countermeasure findings
    missing_count: int
    late: list[Late]
    late_count: int
    objectives: int  # of the unit and the units below it
    units: int


def monthly_agenda(found: Analysed, *, unit: str, period: Month) -> Agenda:
    """The agenda of the review of ``unit`` and the units below it for ``period``: their
    red and amber metrics of the month (the bowling chart's status), the countermeasures
    missing and the late actions."""
    return found.derived(f"review.agenda.{unit}.{period}", lambda _: _agenda(found, unit, period))


def _agenda(found: Analysed, unit: str, period: Month) -> Agenda:
    units = _below(found, unit)
    objectives = [o for u in units for o in _by_unit(found).get(u, [])]
    positions = _positions(found)
    objectives.sort(key=lambda o: positions[o.id])
    measures = _measures(found)
    behind = []
    for objective in objectives:
        for metric in objective.metrics:
            actual = metric.actuals.get(period)
            if actual is None:
                continue
            path = course(metric)
            status = month_status(metric, path, period, actual)
            if status in ("red", "amber"):
                planned = None if path is None else path.planned(period)
                answers = measures.get((metric.id, period), [])
                behind.append(Behind(objective, metric, status, planned, actual, answers))
    missing_by_metric, late_actions = _findings(found)
    missing = [missing_by_metric[m.id] for o in objectives for m in o.metrics
               if m.id in missing_by_metric]  # fmt: skip
    objective_ids = {o.id for o in objectives}
    late = [
        late
        for late in late_actions
        if late.action.unit in units or any(s in objective_ids for s in late.action.serves)
    ]
    shown = AGENDA_SHOWN
    return Agenda(
        behind[:shown], len(behind), missing[:shown], len(missing), late[:shown], len(late),
        objectives=len(objectives), units=len(units),
    )  # fmt: skip


def _findings(found: Analysed) -> tuple[dict[str, Finding], list[Late]]:
    """The engine's missing_countermeasure findings by metric, and its late_action findings
    with their actions: one pass over the findings per analysis."""

    def index(analysis: Analysis) -> tuple[dict[str, Finding], list[Late]]:
        actions = {a.id: a for a in found.plan.actions}
        missing = {f.subject: f for f in analysis.findings if f.code == "missing_countermeasure"}
        late = [Late(f, actions[f.subject]) for f in analysis.findings
                if f.code == "late_action" and f.subject in actions]  # fmt: skip
        return missing, late

    return found.derived("review.findings", index)


def _below(found: Analysed, unit: str) -> set[str]:
    """The unit and every unit below it."""
    children = found.derived("review.children", lambda _: _children(found.plan))
    seen, todo = {unit}, [unit]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _children(plan: Plan) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for unit in plan.units:
        if unit.parent is not None:
            children[unit.parent].append(unit.id)
    return dict(children)


def _by_unit(found: Analysed) -> dict[str, list[Objective]]:
    def index(_: Analysis) -> dict[str, list[Objective]]:
        grouped: dict[str, list[Objective]] = defaultdict(list)
        for objective in found.plan.objectives:
            if objective.unit is not None:
                grouped[objective.unit].append(objective)
        return dict(grouped)

    return found.derived("review.by_unit", index)


def _positions(found: Analysed) -> dict[str, int]:
    return found.derived(
        "review.positions", lambda _: {o.id: k for k, o in enumerate(found.plan.objectives)}
    )


def _measures(found: Analysed) -> dict[tuple[str, Month], list[Countermeasure]]:
    def index(_: Analysis) -> dict[tuple[str, Month], list[Countermeasure]]:
        grouped: dict[tuple[str, Month], list[Countermeasure]] = defaultdict(list)
        for measure in found.plan.countermeasures:
            grouped[(measure.metric, measure.period)].append(measure)
        return dict(grouped)

    return found.derived("review.measures", index)
