"""Backward schedule: latest dates from deadlines, earliest from today, slack, critical path."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import NamedTuple

from hoshin.domain.graph import topological_order
from hoshin.domain.model import Action, Objective
from hoshin.domain.months import Month

# Guards ceil() against float noise: 10 days at 30% done is 7 days, not 7.000000000000001 -> 8.
_EPSILON = 1e-9


class ActionDates(NamedTuple):
    """The window of an action; all dates inclusive, None where the action is not scheduled."""

    earliest_start: date | None = None
    earliest_finish: date | None = None
    latest_start: date | None = None
    latest_finish: date | None = None
    slack_days: int | None = None


class ObjectiveSchedule(NamedTuple):
    """Whether an objective's action chain fits before its deadlines."""

    feasible: bool = True
    days_late: int = 0
    critical: tuple[str, ...] = ()


UNSCHEDULED = ActionDates()


def action_length(action: Action) -> int | None:
    """``duration_days``, else due - start + 1 days, else None (the action is not scheduled)."""
    if action.duration_days is not None:
        return action.duration_days
    if action.start is not None and action.due is not None:
        return (action.due - action.start).days + 1
    return None


def remaining_days(action: Action) -> int | None:
    """Days of work left: ceil(length x (1 - progress/100)); None when not scheduled."""
    length = action_length(action)
    if length is None:
        return None
    return max(0, math.ceil(length * (100 - action.progress) / 100 - _EPSILON))


def backward_schedule(
    actions: Sequence[Action], objectives: Sequence[Objective], as_of: date
) -> dict[str, ActionDates]:
    """Latest dates back from every deadline, earliest dates forward from ``as_of``, and slack.

    Done actions and actions without a length get no dates and constrain nothing.
    """
    by_id = {a.id: a for a in actions}
    active: dict[str, int] = {}
    for action in actions:
        if not action.done:
            days = remaining_days(action)
            if days is not None:
                active[action.id] = days
    requires = {key: by_id[key].requires for key in active}
    order = topological_order(requires)
    if order is None:
        raise ValueError("the requires links hold a cycle")
    deadlines = {o.id: _deadline(o.end) for o in objectives if o.end is not None}
    earliest = _forward(order, by_id, active, requires, as_of.toordinal())
    latest = _backward(order, by_id, active, requires, deadlines)
    dates: dict[str, ActionDates] = {}
    for action in actions:
        key = action.id
        if key not in active:
            dates[key] = UNSCHEDULED
            continue
        early_start = earliest[key]
        early_finish = _day(early_start + active[key] - 1)
        late_finish = latest.get(key)
        if late_finish is None:
            dates[key] = ActionDates(_day(early_start), early_finish)
            continue
        late_start = late_finish - active[key] + 1
        dates[key] = ActionDates(
            _day(early_start),
            early_finish,
            _day(late_start),
            _day(late_finish),
            late_start - early_start,
        )
    return dates


# A plan has few distinct days and deadlines but many actions: convert each only once.
_day = cache(date.fromordinal)


@cache
def _deadline(end: Month) -> int:
    """The ordinal of the last day of an objective's end month."""
    return end.last_day().toordinal()


def _forward(
    order: list[str],
    by_id: Mapping[str, Action],
    active: Mapping[str, int],
    requires: Mapping[str, Sequence[str]],
    today: int,
) -> dict[str, int]:
    """Earliest start (a date ordinal): today, its own start, after what it requires."""
    earliest_start: dict[str, int] = {}
    for key in order:
        start = today
        own = by_id[key].start
        if own is not None:
            start = max(start, own.toordinal())
        for required in requires[key]:
            if required in active:
                start = max(start, earliest_start[required] + active[required])
        earliest_start[key] = start
    return earliest_start


def _backward(
    order: list[str],
    by_id: Mapping[str, Action],
    active: Mapping[str, int],
    requires: Mapping[str, Sequence[str]],
    deadlines: Mapping[str, int],
) -> dict[str, int]:
    """Latest finish (date ordinal): own due, served deadlines, the day before dependents start."""
    latest_finish: dict[str, int] = {}
    for key in reversed(order):
        action = by_id[key]
        finish = latest_finish.get(key)  # bound by the actions that require this one
        if action.due is not None:
            due = action.due.toordinal()
            finish = due if finish is None or due < finish else finish
        for served in action.serves:
            deadline = deadlines.get(served)
            if deadline is not None and (finish is None or deadline < finish):
                finish = deadline
        if finish is None:
            continue
        latest_finish[key] = finish
        before_start = finish - active[key]
        for required in requires[key]:
            if required in active and before_start < latest_finish.get(required, before_start + 1):
                latest_finish[required] = before_start
    return latest_finish


def objective_schedules(
    objectives: Sequence[Objective],
    actions: Sequence[Action],
    dates: Mapping[str, ActionDates],
) -> dict[str, ObjectiveSchedule]:
    """Feasibility, days late and critical actions of each objective's action chain."""
    requires = {a.id: a.requires for a in actions}
    serving: dict[str, list[str]] = {}
    for action in actions:
        for served in action.serves:
            serving.setdefault(served, []).append(action.id)
    schedules: dict[str, ObjectiveSchedule] = {}
    for objective in objectives:
        roots = serving.get(objective.id)
        schedules[objective.id] = (
            FEASIBLE if roots is None else _chain_schedule(roots, requires, dates)
        )
    return schedules


FEASIBLE = ObjectiveSchedule()


def _chain_schedule(
    roots: list[str], requires: Mapping[str, Sequence[str]], dates: Mapping[str, ActionDates]
) -> ObjectiveSchedule:
    """The least slack over the actions in ``roots`` and, recursively, what they require."""
    least: int | None = None
    critical: list[str] = []
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        key = stack.pop()
        if key in seen or key not in requires:
            continue
        seen.add(key)
        stack.extend(requires[key])
        slack = dates[key].slack_days
        if slack is None:
            continue
        if least is None or slack < least:
            least, critical = slack, [key]
        elif slack == least:
            critical.append(key)
    if least is None:
        return FEASIBLE
    if len(critical) > 1:
        critical.sort(key=lambda key: (dates[key].earliest_start or date.min, key))
    return ObjectiveSchedule(least >= 0, max(0, -least), tuple(critical))
