"""Execution findings: late actions, infeasible chains, people above capacity, unscheduled work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import compress, count
from operator import attrgetter, not_

import numpy as np

from hoshin.domain.findings.base import Context, Finding, finding
from hoshin.domain.model import Action

# Loads are summed in floating point: 0.1 + 0.2 + 0.7 must not read as above 1.0.
_FTE_EPSILON = 1e-9

_Load = tuple[date, date, float, str]  # start, due, fte, action id


def late_actions(ctx: Context) -> Iterator[Finding]:
    """Actions past their due date and not done."""
    for action in ctx.plan.actions:
        if not action.done and action.due is not None and action.due < ctx.as_of:
            days = (ctx.as_of - action.due).days
            yield finding(
                "late_action",
                action.id,
                f"action {action.id} '{action.title}' was due {action.due.isoformat()} "
                f"({days} days ago) and is not done",
            )


def infeasible_schedules(ctx: Context) -> Iterator[Finding]:
    """Objectives whose action chain cannot finish before the deadlines."""
    objectives = ctx.plan.objectives
    schedules = list(map(ctx.schedules.__getitem__, ctx.objective_ids()))
    late = list(map(not_, map(_feasible, schedules)))
    for objective, schedule in compress(zip(objectives, schedules, strict=True), late):
        path = " -> ".join(schedule.critical)
        yield finding(
            "infeasible_schedule",
            objective.id,
            f"objective {objective.id} '{objective.title}' is {schedule.days_late} days "
            f"late on its action plan; critical: {path}",
        )


def unscheduled_actions(ctx: Context) -> Iterator[Finding]:
    """Open actions that the backward schedule cannot place."""
    for action in ctx.plan.actions:
        if (
            not action.done
            and action.duration_days is None
            and (action.start is None or action.due is None)
        ):
            yield finding(
                "unscheduled_action",
                action.id,
                f"action {action.id} '{action.title}' has no duration_days and not both start "
                "and due, so it is left out of the backward schedule",
            )


def over_allocations(ctx: Context) -> Iterator[Finding]:
    """People whose open actions need more than 1.0 FTE on some day (start..due)."""
    # what puts a load on its owner's days: open, owned, with an FTE, a start and a due date
    open_loads = [
        a
        for a in ctx.plan.actions
        if not a.done
        and a.owner is not None
        and a.fte
        and a.start is not None
        and a.due is not None
    ]
    loads: dict[str, list[_Load]] = {person: [] for person in _maybe_over(open_loads)}
    if loads:
        for action in open_loads:
            if action.owner in loads:
                loads[action.owner].append((action.start, action.due, action.fte, action.id))  # type: ignore[arg-type]
    names: dict[str, str] | None = None  # built for the first finding only
    for person, actions in loads.items():
        if sum([load[2] for load in actions]) <= 1.0 + _FTE_EPSILON:
            continue  # all of them at once would still fit
        peak = _first_overload(actions)
        if peak is not None:
            if names is None:
                names = {p.id: p.name for p in ctx.plan.people}
            day, load, running = peak
            yield finding(
                "over_allocated",
                person,
                f"{names.get(person, person)} ({person}) is planned at {load:.2f} FTE on "
                f"{day.isoformat()}: {', '.join(running)}",
            )


def _maybe_over(loads: Sequence[Action]) -> list[str]:
    """The owners of ``loads`` whose loads might sum above 1.0 FTE, in the order of their
    first load.

    The sums are taken by NumPy over every person at once (the largest plan has 50,000) and
    a margin far above any rounding keeps every person ``over_allocations`` would report;
    it sums the few kept exactly as before."""
    owners = list(map(_owner, loads))
    people = dict(zip(dict.fromkeys(owners), count()))
    if not people:
        return []
    totals = np.bincount(
        np.array(list(map(people.__getitem__, owners)), np.int64),
        weights=np.array(list(map(_fte, loads)), np.float64),
        minlength=len(people),
    )
    maybe = set(np.flatnonzero(totals > 1.0 + _FTE_EPSILON - _MARGIN).tolist())
    return [person for person, at in people.items() if at in maybe]


_owner, _fte = attrgetter("owner"), attrgetter("fte")
_feasible = attrgetter("feasible")
_MARGIN = 1e-6  # far above the rounding of any sum of a person's loads


def _first_overload(loads: list[_Load]) -> tuple[date, float, list[str]] | None:
    """The first day the summed FTE passes 1.0, with that load and the actions then running."""
    events: list[tuple[date, float, str]] = []
    for start, due, fte, key in loads:
        events.append((start, fte, key))
        events.append((due + timedelta(days=1), -fte, key))
    events.sort(key=lambda event: (event[0], event[1]))  # releases before loads on a day
    load = 0.0
    running: dict[str, None] = {}
    for index, (day, change, key) in enumerate(events):
        load += change
        if change > 0:
            running[key] = None
        else:
            running.pop(key, None)
        last_of_day = index + 1 == len(events) or events[index + 1][0] != day
        if last_of_day and load > 1.0 + _FTE_EPSILON:
            return day, load, list(running)
    return None
