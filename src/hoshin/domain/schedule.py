"""Backward schedule: latest dates from deadlines, earliest from today, slack, critical path."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import pairwise, repeat
from typing import NamedTuple

import numpy as np

from hoshin.domain import chains
from hoshin.domain.chains import Bools, Floats, Ints
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
FEASIBLE = ObjectiveSchedule()


@dataclass(frozen=True, slots=True)
class Chains:
    """What the schedules read of actions and objectives, as arrays by row: the actions'
    ``requires`` links, which objectives they serve and, once scheduled, their slacks and
    earliest starts."""

    actions: Sequence[Action]
    objectives: Sequence[Objective]
    links: chains.Links
    objective_ids: list[str]
    serving: Ints  # a link ``serves``: the action's row ...
    served: Ints  # ... and the objective's (-1 when not one of ``objectives``)
    slack: Floats  # NaN without one
    early: Ints  # day ordinal of the earliest start, 0 without one


def _chains(
    actions: Sequence[Action], objectives: Sequence[Objective], slack: Floats, early: Ints
) -> Chains:
    """The links of ``actions`` and the rows of the ``objectives`` they serve, with the
    slacks and earliest starts given (empty before the schedule)."""
    keys = [objective.id for objective in objectives]
    serving, names = chains.flattened([action.serves for action in actions])
    served = chains.values(names, dict(zip(keys, range(len(keys)), strict=True)), -1)
    known = served >= 0
    links = chains.links(actions)
    return Chains(actions, objectives, links, keys, serving[known], served[known], slack, early)


class ScheduledDates(dict[str, ActionDates]):
    """``backward_schedule``'s dates by action id, with the columns they were made from:
    ``objective_schedules`` reads them for the same actions instead of making them again.
    Read-only, like every map of an analysis."""

    __slots__ = ("chains",)

    def __init__(self, dates: Iterable[tuple[str, ActionDates]], made_from: Chains) -> None:
        super().__init__(dates)
        self.chains = made_from


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
) -> ScheduledDates:
    """Latest dates back from every deadline, earliest dates forward from ``as_of``, and slack.

    Done actions and actions without a length get no dates and constrain nothing. Days are
    date ordinals in arrays, one row per action (hoshin.domain.chains), until the end.
    """
    made = _chains(actions, objectives, np.empty(0), np.empty(0, dtype=np.int64))
    start = chains.ordinals([action.start for action in actions])
    due = chains.ordinals([action.due for action in actions])
    left = _remaining(actions, start, due)
    active = left >= 0
    edges = made.links
    live = active[edges.node] & active[edges.required]
    node, required = edges.node[live], edges.required[live]
    level = chains.levels(edges.count, node, required)
    if level is None:
        raise ValueError("the requires links hold a cycle")
    steps = chains.by_level(level, node, required)
    ready = _forward(steps, np.maximum(as_of.toordinal(), start), left)
    latest = _backward(steps, _own_bounds(made, due), left)
    bound = active & (latest < chains.NEVER)
    slack = np.where(bound, latest + 1 - ready, np.nan)
    early = np.where(active, ready - left, 0)
    dates = _dates(active, bound, left, ready, latest)
    return ScheduledDates(
        zip(edges.ids, dates, strict=True), replace(made, slack=slack, early=early)
    )


def _remaining(actions: Sequence[Action], start: Ints, due: Ints) -> Ints:
    """Each action's days of work left (as ``remaining_days``), -1 when it is done or has
    no length: the same float arithmetic as ``remaining_days``, on arrays."""
    duration = np.array([action.duration_days for action in actions], dtype=np.float64)
    between = np.where((start > 0) & (due > 0), due - start + 1, np.nan)
    length = np.where(np.isnan(duration), between, duration)
    progress = np.array([action.progress for action in actions], dtype=np.float64)
    done = np.fromiter([action.done for action in actions], np.bool_, len(actions))
    work = np.maximum(0, np.ceil(length * (100 - progress) / 100 - _EPSILON))
    return np.where(np.isnan(work) | done, -1, work).astype(np.int64)


def _forward(steps: list[tuple[Ints, Ints]], begin: Ints, left: Ints) -> Ints:
    """The day after the earliest finish (a date ordinal) of each action: it starts at the
    earliest on ``begin`` (today or its own start), and on the day after what it requires
    is finished."""
    ready = begin + left
    for node, required in steps:  # what a row requires is ready before the row
        np.maximum.at(begin, node, ready[required])
        ready[node] = begin[node] + left[node]
    return ready


def _own_bounds(made: Chains, due: Ints) -> Ints:
    """Each action's own latest finish: its due date and the deadlines it serves (NEVER)."""
    latest = np.where(due > 0, due, chains.NEVER)
    ends = [objective.end for objective in made.objectives]
    deadline = np.fromiter(map(_deadline, ends), np.int64, len(ends))
    np.minimum.at(latest, made.serving, deadline[made.served])
    return latest


def _backward(steps: list[tuple[Ints, Ints]], latest: Ints, left: Ints) -> Ints:
    """Latest finish (date ordinal, NEVER when unbound): its own bound, and the day before
    its dependents start at the latest."""
    for node, required in reversed(steps):  # a row's dependents are settled before it
        finish = latest[node]
        bound = finish < chains.NEVER
        np.minimum.at(latest, required[bound], (finish - left[node])[bound])
    return latest


def _dates(active: Bools, bound: Bools, left: Ints, ready: Ints, latest: Ints) -> list[ActionDates]:
    """The ActionDates of each row, built in C from columns of dates and slacks."""
    columns = (
        chains.days(ready - left, active),
        chains.days(ready - 1, active),
        chains.days(latest - left + 1, bound),
        chains.days(latest, bound),
        np.where(bound, latest + 1 - ready, _NONE).tolist(),  # object: Python ints
    )
    return list(map(_new, repeat(ActionDates), zip(*columns, strict=True)))


_NONE = np.array(None, dtype=object)
# A NamedTuple's own constructor is Python code; tuple.__new__ builds the same value in C.
_new = tuple.__new__


@cache
def _deadline(end: Month | None) -> int:
    """The ordinal of the last day of an objective's end month (NEVER without one)."""
    return chains.NEVER if end is None else end.last_day().toordinal()


def objective_schedules(
    objectives: Sequence[Objective],
    actions: Sequence[Action],
    dates: Mapping[str, ActionDates],
) -> dict[str, ObjectiveSchedule]:
    """Feasibility, days late and critical actions of each objective's action chain: the
    least slack over the actions that serve it and, recursively, what they require."""
    made = dates.chains if isinstance(dates, ScheduledDates) else None
    if made is None or made.actions is not actions or made.objectives is not objectives:
        made = None
    known = made or _chains(actions, objectives, np.empty(0), np.empty(0, dtype=np.int64))
    owners, rows = chains.closure(known.served, known.serving, known.links)
    if made is not None:
        slack, early = made.slack[rows], made.early[rows]
    else:
        slack, early = _windows(dates, known.links.ids, rows)
    schedules = [FEASIBLE] * len(objectives)
    for at, schedule in zip(*_least(owners, rows, slack, early, known.links.ids), strict=True):
        schedules[at] = schedule
    return dict(zip(known.objective_ids, schedules, strict=True))


def _windows(dates: Mapping[str, ActionDates], ids: list[str], rows: Ints) -> tuple[Floats, Ints]:
    """The slack (NaN without one) and earliest start (0 without one) of the action in each
    of ``rows``, read from ``dates`` once per action."""
    present = np.zeros(len(ids), dtype=np.bool_)
    present[rows] = True
    where = np.cumsum(present)[rows] - 1  # the index of each row among the present ones
    windows = [dates[ids[row]] for row in np.flatnonzero(present).tolist()]
    slack = np.array([window.slack_days for window in windows], dtype=np.float64)
    early = chains.ordinals([window.earliest_start for window in windows])
    return slack[where], early[where]


def _least(
    owners: Ints, rows: Ints, slack: Floats, early: Ints, ids: list[str]
) -> tuple[list[int], list[ObjectiveSchedule]]:
    """The owners with a slack in their chains (pairs owner, row, sorted by owner) and their
    schedules: the least slack, and the actions with it by earliest start, then id."""
    slacked = ~np.isnan(slack)
    owners, rows, slack, early = owners[slacked], rows[slacked], slack[slacked], early[slacked]
    heads = np.flatnonzero(np.diff(owners, prepend=-1))
    least = np.minimum.reduceat(slack, heads) if len(heads) else slack
    critical = slack == np.repeat(least, np.diff(np.append(heads, len(owners))))
    owners, rows = owners[critical], rows[critical]
    early = np.maximum(1, early[critical])  # none sorts as date.min
    order = np.lexsort((early, owners))
    owners, rows, early = owners[order], rows[order], early[order]
    names = [ids[row] for row in rows.tolist()]
    _sort_ties(names, (np.diff(owners) == 0) & (np.diff(early) == 0))
    bounds = [*np.flatnonzero(np.diff(owners, prepend=-1)).tolist(), len(names)]
    paths = [tuple(names[a:b]) for a, b in pairwise(bounds)]
    days_late = np.maximum(0, -least).astype(np.int64).tolist()
    found = zip((least >= 0).tolist(), days_late, paths, strict=True)
    return owners[bounds[:-1]].tolist(), list(map(_new, repeat(ObjectiveSchedule), found))


def _sort_ties(names: list[str], tied: Bools) -> None:
    """Sorts each run of names that ``tied`` marks (name i ties with name i + 1)."""
    if not tied.any():
        return
    edges = np.diff(tied.astype(np.int8), prepend=0, append=0)
    for first, last in zip(
        np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True
    ):
        names[first : last + 1] = sorted(names[first : last + 1])
