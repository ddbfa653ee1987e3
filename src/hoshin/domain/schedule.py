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

    Done actions and actions without a length get no dates and constrain nothing. Days are
    date ordinals (ints) until the end: the passes visit every action of the plan.
    """
    active: dict[str, Action] = {}
    remaining: dict[str, int] = {}
    for action in actions:
        if action.done:
            continue
        work = remaining_days(action)
        if work is None:
            continue
        active[action.id] = action
        remaining[action.id] = work
    order = topological_order({key: action.requires for key, action in active.items()})
    if order is None:
        raise ValueError("the requires links hold a cycle")
    deadlines = {o.id: _deadline(o.end) for o in objectives if o.end is not None}
    ready = _forward(order, active, remaining, as_of.toordinal())
    latest = _backward(order, active, remaining, deadlines)
    day = _day
    dates: dict[str, ActionDates] = {}
    for action in actions:
        key = action.id
        days = remaining.get(key)
        if days is None:
            dates[key] = UNSCHEDULED
            continue
        after = ready[key]  # the day after the earliest finish
        early_start = after - days
        late_finish = latest.get(key)
        if late_finish is None:
            dates[key] = ActionDates(day(early_start), day(after - 1))
            continue
        late_start = late_finish - days + 1
        dates[key] = _new(
            ActionDates,
            (
                day(early_start),
                day(after - 1),
                day(late_start),
                day(late_finish),
                late_start - early_start,
            ),
        )
    return dates


# A NamedTuple's own constructor is Python code; tuple.__new__ builds the same value in C.
_new = tuple.__new__
# A plan has few distinct days and deadlines but many actions: convert each only once.
_day = cache(date.fromordinal)


@cache
def _deadline(end: Month) -> int:
    """The ordinal of the last day of an objective's end month."""
    return end.last_day().toordinal()


def _forward(
    order: list[str], active: Mapping[str, Action], remaining: Mapping[str, int], today: int
) -> dict[str, int]:
    """The day after the earliest finish (a date ordinal) of each action: it starts at the
    earliest today, on its own start, and on the day after what it requires is finished."""
    ready: dict[str, int] = {}
    for key in order:
        action = active[key]
        start = today
        own = action.start
        if own is not None:
            own_day = own.toordinal()
            if own_day > start:
                start = own_day
        for required in action.requires:
            after = ready.get(required)  # None when not scheduled: it constrains nothing
            if after is not None and after > start:
                start = after
        ready[key] = start + remaining[key]
    return ready


def _backward(
    order: list[str],
    active: Mapping[str, Action],
    remaining: Mapping[str, int],
    deadlines: Mapping[str, int],
) -> dict[str, int]:
    """Latest finish (date ordinal): own due, served deadlines, the day before dependents start."""
    latest_finish: dict[str, int] = {}
    for key in reversed(order):
        action = active[key]
        finish = latest_finish.get(key)  # bound by the actions that require this one
        if action.due is not None:
            due = action.due.toordinal()
            if finish is None or due < finish:
                finish = due
        for served in action.serves:
            deadline = deadlines.get(served)
            if deadline is not None and (finish is None or deadline < finish):
                finish = deadline
        if finish is None:
            continue
        latest_finish[key] = finish
        before_start = finish - remaining[key]
        for required in action.requires:
            if required in remaining:
                bound = latest_finish.get(required)
                if bound is None or before_start < bound:
                    latest_finish[required] = before_start
    return latest_finish


def objective_schedules(
    objectives: Sequence[Objective],
    actions: Sequence[Action],
    dates: Mapping[str, ActionDates],
) -> dict[str, ObjectiveSchedule]:
    """Feasibility, days late and critical actions of each objective's action chain."""
    requires: dict[str, tuple[str, ...]] = {}
    serving: dict[str, list[str]] = {}
    for action in actions:
        key = action.id
        requires[key] = action.requires
        for served in action.serves:
            roots = serving.get(served)
            if roots is None:
                serving[served] = [key]
            else:
                roots.append(key)
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
    """The least slack over the actions in ``roots`` and, recursively, what they require.

    The order of the visit does not matter: ties are sorted at the end.
    """
    least: int | None = None
    critical: list[str] = []
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        needs = requires.get(key)
        if needs is None:  # not an action of the plan
            continue
        seen.add(key)
        if needs:
            stack += needs
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
    return _new(ObjectiveSchedule, (least >= 0, max(0, -least), tuple(critical)))
