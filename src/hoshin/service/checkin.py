"""Check-ins: record a month's actual without losing anyone's update, one or many at once,
or from the grid against the value its row showed."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from hoshin.domain.figures import number
from hoshin.domain.months import Month
from hoshin.errors import (
    HoshinError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from hoshin.fields import period_of
from hoshin.service import policy
from hoshin.service.asker import Who
from hoshin.service.notify import publish
from hoshin.service.policy import Act
from hoshin.store.audit import AuditEventRow, list_events, record_event, record_events
from hoshin.store.changes import ACTUAL, actual_key
from hoshin.store.changes import Actual as Actual  # what the API answers
from hoshin.store.metric import (
    ActualRow,
    find_actual,
    find_metric,
    insert_actual,
    insert_actuals,
    metric_and_actual,
    update_actual,
)
from hoshin.store.objective import find_objective
from hoshin.store.organization import OrganizationRow, bump_plan_version
from hoshin.store.unit import find_person


def actual_of(row: ActualRow) -> Actual:
    """The domain view of a stored actual."""
    return Actual(row.metric, Month(row.period), row.value, row.version, row.updated_at)


def get_actual(session: Session, *, org: OrganizationRow, metric: str, period: Month) -> Actual:
    """The actual of a metric in a month; raises NotFound."""
    _get_metric(session, org=org, metric=metric)
    row = find_actual(session, org_id=org.id, metric=metric, period=int(period))
    if row is None:
        raise NotFound(f"metric {metric} has no actual for {period}")
    return actual_of(row)


def record_actual(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    person: str | None,
    metric: str,
    period: Month,
    value: float,
    if_match: int | None,
    who: Who,
    now: datetime,
    published: list[Recorded] | None = None,
    note: str | None = None,
) -> tuple[Actual, bool]:
    """Creates or corrects a month's actual, if ``role`` (and ``person``, a contributor's
    plan id) may record it (check_may_record); returns it and whether it was created. Its
    webhook event (actual.recorded) is published, or added to ``published`` for the caller
    to publish with others (one query for the webhooks, record_actuals). A ``note`` (a
    spreadsheet row's) is kept in the audit event's ``after`` only (audited_state).

    A correction must name the version it read: when someone saved first it raises
    PreconditionFailed with the current state, never overwriting it silently. Two people
    creating the same month at once: the database's unique constraint lets one win.
    """
    objective = check_may_record(session, org=org, role=role, person=person, metric=metric)
    if not math.isfinite(value):
        raise InvalidInput("value: must be a finite number")
    existing = find_actual(session, org_id=org.id, metric=metric, period=int(period))
    if existing is None:
        if if_match is not None:
            raise PreconditionFailed(f"metric {metric} has no actual for {period} yet", None)
        created = insert_actual(
            session, org_id=org.id, metric=metric, period=int(period), value=value, at=now
        )
        if not created:  # someone created this month's actual first: it is a correction now
            raise _taken(session, org_id=org.id, metric=metric, period=period)
        before: dict[str, Any] | None = None
        after = Actual(metric, period, value, 1, now)
    else:
        if if_match is None:
            raise _correction_needs_version(metric, period, existing.version)
        before = actual_of(existing).as_json()
        saved = if_match == existing.version and update_actual(
            session, row_id=existing.id, version=if_match, value=value, at=now
        )
        if not saved:
            raise _stale(session, org_id=org.id, metric=metric, period=period)
        session.expire(existing)
        after = Actual(metric, period, value, if_match + 1, now)
    version = bump_plan_version(session, org_id=org.id)
    record_event(
        session, org_id=org.id, actor=who.actor, user_id=who.user_id, entity=ACTUAL,
        key=after.key, change="create" if before is None else "update",
        before=before, after=audited_state(after, note), plan_version=version,
        origin=who.origin,
    )  # fmt: skip
    event = recorded_event(org, after, objective)
    if published is None:
        publish(session, org=org, events=[event], now=now)
    else:
        published.append(event)
    return after, before is None


Recorded = tuple[str, str, dict[str, Any], str]  # a webhook event, as notify.publish takes it


def audited_state(actual: Actual, note: str | None) -> dict[str, Any]:
    """The audit event's ``after`` of a recorded actual: its JSON, with ``"note"`` when the
    check-in has one (an actual has no note column: its history keeps it)."""
    state = actual.as_json()
    if note:
        state["note"] = note
    return state


def recorded_event(org: OrganizationRow, actual: Actual, objective: str) -> Recorded:
    """The webhook event actual.recorded of ``actual`` (each version once)."""
    data = {
        "metric": actual.metric, "period": str(actual.period), "value": actual.value,
        "objective": objective, "version": actual.version,
        "link": f"/orgs/{org.slug}/objectives/{quote(objective, safe='')}",
    }  # fmt: skip
    return "actual.recorded", actual.metric, data, f"actual.recorded|{actual.key}|{actual.version}"


@dataclass(frozen=True, slots=True)
class ActualIn:
    """One actual of many to record: the month as given, the value, and the version read
    (required to correct an existing one)."""

    metric: str
    period: str  # YYYY-MM
    value: float
    version: int | None = None


def record_actuals(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    person: str | None,
    actuals: Sequence[ActualIn],
    who: Who,
    now: datetime,
) -> list[Actual]:
    """Records each actual as record_actual does, in the session's transaction: all are
    saved or none; the first problem names the item (``actuals[i] (metric month): ...``)."""
    saved: list[Actual] = []
    published: list[Recorded] = []
    for index, item in enumerate(actuals):
        try:
            actual, _ = record_actual(
                session, org=org, role=role, person=person, metric=item.metric,
                period=period_of(item.period, "period"), value=item.value,
                if_match=item.version, who=who, now=now, published=published,
            )  # fmt: skip
        except HoshinError as error:
            error.message = f"actuals[{index}] ({item.metric} {item.period}): {error.message}"
            raise
        saved.append(actual)
    publish(session, org=org, events=published, now=now)
    return saved


@dataclass(frozen=True, slots=True)
class NewActual:
    """A month's first actual, checked and waiting to be written with others
    (record_new_actuals)."""

    org_id: int
    metric: str
    period: Month
    value: float
    who: Who
    now: datetime
    # for the webhooks' actual.recorded, not part of what is written
    objective: str = field(default="", compare=False)
    org: OrganizationRow | None = field(default=None, compare=False, repr=False)
    # kept in the audit event only (audited_state), not in the actual
    note: str | None = field(default=None, compare=False)


def new_actual(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    person: str | None,
    metric: str,
    period: Month,
    value: float,
    if_match: int | None,
    who: Who,
    now: datetime,
    known: Mapping[tuple[str, int], tuple[str, int | None]] | None = None,
) -> NewActual | None:
    """What record_actual would create, checked as it checks it but not written: a month's
    first actual, sent without If-Match. None when the month has an actual or a version is
    named (record_actual decides those). Raises as record_actual does for who may record it
    and for the value. ``known``: what a batch's one query found (metrics_and_actuals)."""
    asked = int(period)
    found = (
        metric_and_actual(session, org_id=org.id, metric=metric, period=asked)
        if known is None
        else known.get((metric, asked))
    )
    if found is None:
        raise NotFound(f"no metric '{metric}'")
    _check_role(session, org=org, role=role, person=person, metric=metric, objective=found[0])
    if not math.isfinite(value):
        raise InvalidInput("value: must be a finite number")
    if if_match is not None or found[1] is not None:
        return None
    return NewActual(org.id, metric, period, value, who, now, objective=found[0], org=org)


def record_new_actuals(
    session: Session, actuals: Sequence[NewActual]
) -> list[Actual | PreconditionRequired]:
    """Creates months' first actuals in the session's transaction, each as record_actual
    would: one INSERT for them all, one plan version and one statement of audit events per
    organisation. A month that someone created first (or that comes twice: the first one
    wins) is PreconditionRequired, as any correction without If-Match; the others are saved.

    Who may record them was checked before (new_actual). A metric deleted since fails the
    transaction's COMMIT (its foreign key is deferred), not this: the caller then records
    them one by one."""
    firsts: dict[int, dict[tuple[str, int], int]] = {}  # by organisation, month: where first
    for n, item in enumerate(actuals):
        firsts.setdefault(item.org_id, {}).setdefault((item.metric, int(item.period)), n)
    saved: dict[int, Actual] = {}
    for org_id, where in firsts.items():
        saved.update(_create(session, org_id, [(n, actuals[n]) for n in where.values()]))
    return [
        saved.get(n) or _taken(session, org_id=a.org_id, metric=a.metric, period=a.period)
        for n, a in enumerate(actuals)
    ]


def _create(
    session: Session, org_id: int, actuals: list[tuple[int, NewActual]]
) -> dict[int, Actual]:
    """record_new_actuals for one organisation's months (each once): the saved ones by n."""
    rows = [(a.metric, int(a.period), a.value, a.now) for _, a in actuals]
    created = insert_actuals(session, org_id=org_id, actuals=rows)
    saved = {
        n: Actual(a.metric, a.period, a.value, 1, a.now)
        for n, a in actuals
        if (a.metric, int(a.period)) in created
    }
    if not saved:
        return saved
    events = [
        {"actor": a.who.actor, "user_id": a.who.user_id, "origin": a.who.origin,
         "entity": ACTUAL, "key": saved[n].key, "change": "create",
         "before": None, "after": audited_state(saved[n], a.note)}
        for n, a in actuals if n in saved
    ]  # fmt: skip
    version = bump_plan_version(session, org_id=org_id)
    record_events(session, org_id=org_id, plan_version=version, events=events)
    org = actuals[0][1].org
    if org is not None:  # one query for the organisation's webhooks, whatever the batch
        # A generator: the events are made only when the organisation has a webhook (a
        # spreadsheet's 150,000 of them took 1.7 s for none; service.actuals_import).
        published = (recorded_event(org, saved[n], a.objective) for n, a in actuals if n in saved)
        publish(session, org=org, events=published, now=actuals[0][1].now)
    return saved


def actual_history(
    session: Session, *, org: OrganizationRow, metric: str, period: Month
) -> list[AuditEventRow]:
    """Every change of a month's actual, oldest first (the earlier values stay here)."""
    _get_metric(session, org=org, metric=metric)
    return list_events(session, org_id=org.id, entity=ACTUAL, key=actual_key(metric, period))


def check_may_record(
    session: Session, *, org: OrganizationRow, role: str, person: str | None, metric: str
) -> str:
    """Editors and admins record any actual; a contributor those of the objectives they own
    or of their unit; a viewer none. Raises Forbidden (or NotFound for an unknown metric);
    returns the metric's objective."""
    row = find_metric(session, org_id=org.id, key=metric)
    if row is None:
        raise NotFound(f"no metric '{metric}'")
    _check_role(session, org=org, role=role, person=person, metric=metric, objective=row.objective)
    return row.objective


def _check_role(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    person: str | None,
    metric: str,
    objective: str,
) -> None:
    """check_may_record for a metric that exists, of ``objective``."""

    def theirs() -> bool:  # they own the metric or its objective, or it is of their unit
        if person is None:
            return False
        measured = find_metric(session, org_id=org.id, key=metric)
        if measured is not None and measured.owner == person:
            return True
        row = find_objective(session, org_id=org.id, key=objective)
        me = find_person(session, org_id=org.id, key=person)
        mine = row is not None and row.owner == person
        my_unit = row is not None and me is not None and me.unit is not None and row.unit == me.unit
        return mine or my_unit

    policy.require(role, Act.WORK, f"record actuals of {metric}", theirs=theirs)


def _get_metric(session: Session, *, org: OrganizationRow, metric: str) -> None:
    if find_metric(session, org_id=org.id, key=metric) is None:
        raise NotFound(f"no metric '{metric}'")


def _correction_needs_version(metric: str, period: Month, version: int) -> PreconditionRequired:
    return PreconditionRequired(
        f"metric {metric} has an actual for {period} already: send If-Match with "
        f'its version ("{version}") to correct it'
    )


def _taken(session: Session, *, org_id: int, metric: str, period: Month) -> PreconditionRequired:
    """A first actual whose month was created meanwhile (by another request of the same
    batch, or elsewhere): without If-Match, it is a correction that names no version (428),
    whoever came first, as when the month's actual was there before the request."""
    current = find_actual(session, org_id=org_id, metric=metric, period=int(period))
    if current is not None:
        session.refresh(current)
    return _correction_needs_version(metric, period, 1 if current is None else current.version)


def _stale(session: Session, *, org_id: int, metric: str, period: Month) -> PreconditionFailed:
    current = find_actual(session, org_id=org_id, metric=metric, period=int(period))
    if current is not None:
        session.refresh(current)
    state = None if current is None else actual_of(current).as_json()
    return PreconditionFailed(
        f"the actual of {metric} for {period} was changed by someone else: "
        "here is its current state",
        state,
    )


def record_as_read(
    session: Session,
    *,
    org: OrganizationRow,
    role: str,
    person: str | None,
    metric: str,
    period: Month,
    value: float,
    read: str | None,
    version: int | None,
    who: Who,
    now: datetime,
) -> Actual:
    """Records ``value`` as the actual of ``metric`` for ``period`` (record_actual). A
    correction is made at ``version`` when the client read one; else at the version of the
    stored actual while it still holds ``read``, the value the row showed (as it showed
    it; None: none). So the grid needs no query per row for versions, and a
    change made meanwhile is never overwritten: PreconditionFailed."""
    if version is None and read is not None:
        version = version_holding(session, org=org, metric=metric, period=period, read=read)
    saved, _ = record_actual(
        session, org=org, role=role, person=person, metric=metric, period=period,
        value=value, if_match=version, who=who, now=now,
    )  # fmt: skip
    return saved


def version_holding(
    session: Session, *, org: OrganizationRow, metric: str, period: Month, read: str
) -> int:
    """The version of the stored actual if it still holds the value ``read``;
    PreconditionFailed when someone changed or removed it meanwhile."""
    try:
        actual = get_actual(session, org=org, metric=metric, period=period)
    except NotFound:
        raise PreconditionFailed(f"the value {read} of {metric} for {period} is gone") from None
    try:
        shown = float(read)
    except ValueError:
        raise InvalidInput(f"read: '{read}' is not a number") from None
    if actual.value != shown:
        raise PreconditionFailed(
            f"{metric} for {period} is {number(actual.value)} now, not {read}: someone changed it"
        )
    return actual.version
