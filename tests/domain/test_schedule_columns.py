"""The backward schedule on arrays equals the loops it replaced, and its array helpers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np
import pytest
from domain_factories import day, make_action, make_objective
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.domain import chains
from hoshin.domain.graph import topological_order
from hoshin.domain.model import Action, Objective
from hoshin.domain.months import Month
from hoshin.domain.schedule import (
    FEASIBLE,
    ActionDates,
    ObjectiveSchedule,
    ScheduledDates,
    backward_schedule,
    objective_schedules,
    remaining_days,
)

# --- the loops the arrays replaced (hoshin.domain.schedule before issue 18), the oracle --


def old_backward_schedule(
    actions: Sequence[Action], objectives: Sequence[Objective], as_of: date
) -> dict[str, ActionDates]:
    """Earliest dates forward, latest back, slack: one action at a time."""
    active = {a.id: a for a in actions if not a.done and remaining_days(a) is not None}
    left = {key: remaining_days(a) or 0 for key, a in active.items()}
    order = topological_order({key: a.requires for key, a in active.items()})
    if order is None:
        raise ValueError("the requires links hold a cycle")
    deadlines = {o.id: o.end.last_day() for o in objectives if o.end is not None}
    ready: dict[str, date] = {}  # the day after the earliest finish
    for key in order:
        own = active[key].start
        starts = [as_of, *([own] if own is not None else [])]
        starts += [ready[r] for r in active[key].requires if r in ready]
        ready[key] = max(starts) + timedelta(days=left[key])
    latest: dict[str, date] = {}
    for key in reversed(order):
        action = active[key]
        bounds = [*([latest[key]] if key in latest else []), *([action.due] if action.due else [])]
        bounds += [deadlines[o] for o in action.serves if o in deadlines]
        if not bounds:
            continue
        latest[key] = min(bounds)
        for required in action.requires:
            if required in active:
                before = latest[key] - timedelta(days=left[key])
                latest[required] = min(latest.get(required, before), before)
    dates = {}
    for action in actions:
        key = action.id
        if key not in active:
            dates[key] = ActionDates()
            continue
        early = ready[key] - timedelta(days=left[key])
        if key not in latest:
            dates[key] = ActionDates(early, ready[key] - timedelta(days=1))
            continue
        late = latest[key] - timedelta(days=left[key] - 1)
        slack = (late - early).days
        dates[key] = ActionDates(early, ready[key] - timedelta(days=1), late, latest[key], slack)
    return dates


def old_objective_schedules(
    objectives: Sequence[Objective], actions: Sequence[Action], dates: Mapping[str, ActionDates]
) -> dict[str, ObjectiveSchedule]:
    """The least slack over each objective's chain, and the actions with it."""
    requires = {a.id: a.requires for a in actions}
    result = {}
    for objective in objectives:
        seen: set[str] = set()
        stack = [a.id for a in actions if objective.id in a.serves]
        while stack:
            key = stack.pop()
            if key not in seen and key in requires:
                seen.add(key)
                stack += requires[key]
        slacks = {key: dates[key].slack_days for key in seen}
        known = [s for s in slacks.values() if s is not None]
        if not known:
            result[objective.id] = ObjectiveSchedule()
            continue
        least = min(known)
        critical = sorted(
            (key for key, s in slacks.items() if s == least),
            key=lambda key: (dates[key].earliest_start or date.min, key),
        )
        result[objective.id] = ObjectiveSchedule(least >= 0, max(0, -least), tuple(critical))
    return result


# --- plans of any shape -----------------------------------------------------------------

BASE = date(2026, 1, 1)
offsets = st.none() | st.integers(min_value=0, max_value=400)


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Action], list[Objective], date]:
    """Actions requiring earlier ones (or unknown ids, or twice), serving some of four
    objectives, with or without dates, duration, progress; done or not."""
    count = draw(st.integers(min_value=0, max_value=12))
    keys = [f"a{i}" for i in draw(st.permutations(range(count)))]  # ids not in plan order
    actions = []
    for i, key in enumerate(keys):
        requires = draw(st.lists(st.sampled_from([*keys[:i], "gone"]), max_size=3)) if i else []
        start, due = draw(offsets), draw(offsets)
        actions.append(
            make_action(
                id=key,
                duration_days=draw(st.none() | st.integers(min_value=1, max_value=90)),
                progress=draw(st.sampled_from([0.0, 10.0, 30.0, 33.3, 50.0, 99.9, 100.0])),
                start=None if start is None else BASE + timedelta(days=start),
                due=None if due is None else BASE + timedelta(days=due),
                requires=tuple(requires),
                serves=tuple(draw(st.lists(st.sampled_from(["o1", "o2", "o3", "o9"]), max_size=2))),
                done=draw(st.booleans()),
            )
        )
    ends = [draw(st.none() | st.integers(min_value=0, max_value=15)) for _ in range(3)]
    objectives = [
        make_objective(id=f"o{i + 1}", end=None if end is None else Month.of(2026, 1) + end)
        for i, end in enumerate(ends)
    ]
    as_of = BASE + timedelta(days=draw(st.integers(min_value=0, max_value=200)))
    return list(draw(st.permutations(actions))), objectives, as_of


@settings(deadline=None, max_examples=400)
@given(plans())
def test_the_arrays_schedule_every_plan_as_the_loops_did(
    plan: tuple[list[Action], list[Objective], date],
) -> None:
    actions, objectives, as_of = plan
    expected = old_backward_schedule(actions, objectives, as_of)
    dates = backward_schedule(actions, objectives, as_of)
    assert dates == expected
    assert list(dates) == list(expected)
    schedules = old_objective_schedules(objectives, actions, expected)
    assert objective_schedules(objectives, actions, dates) == schedules
    # read from another map (an interim analysis's overlay), without the columns
    assert objective_schedules(objectives, actions, dict(dates)) == schedules
    part = actions[: len(actions) // 2]  # a part of the plan, as an edit reschedules it
    assert objective_schedules(objectives, part, dates) == old_objective_schedules(
        objectives, part, dates
    )


def test_a_cycle_among_open_actions_is_refused_and_one_through_a_done_action_is_not() -> None:
    a = make_action(id="a", duration_days=5, requires=("b",))
    b = make_action(id="b", duration_days=5, requires=("a",))
    with pytest.raises(ValueError, match="cycle"):
        backward_schedule([a, b], [], day("2026-06-01"))
    done = make_action(id="b", duration_days=5, requires=("a",), done=True)
    assert backward_schedule([a, done], [], day("2026-06-01"))["a"].earliest_start == day(
        "2026-06-01"
    )


def test_the_columns_are_read_only_for_the_same_actions() -> None:
    # a1 (10 days) then a2 (5 days), serving o1 which ends 2026-06-30; as of 2026-06-01:
    # a2 finishes 2026-06-15 at the earliest, latest 06-30: slack 15 on both
    a1 = make_action(id="a1", duration_days=10, serves=("o1",))
    a2 = make_action(id="a2", duration_days=5, requires=("a1",), serves=("o1",))
    objectives = [make_objective(id="o1", end=Month.of(2026, 6))]
    dates = backward_schedule([a1, a2], objectives, day("2026-06-01"))
    assert isinstance(dates, ScheduledDates)
    assert dates["a2"] == ActionDates(
        day("2026-06-11"), day("2026-06-15"), day("2026-06-26"), day("2026-06-30"), 15
    )
    both = objective_schedules(objectives, [a1, a2], dates)["o1"]
    assert both == ObjectiveSchedule(True, 0, ("a1", "a2"))
    assert objective_schedules(objectives, [a2], dates)["o1"] == both._replace(critical=("a2",))
    assert objective_schedules(objectives, [], dates)["o1"] == FEASIBLE


# --- the array helpers --------------------------------------------------------------------


def ints(*values: int) -> chains.Ints:
    return np.array(values, dtype=np.int64)


def test_levels_count_the_longest_chain_below_each_row() -> None:
    # 0 <- 1 <- 2, and 3 requires both 0 and 2: levels 0, 1, 2, 3; row 4 is alone
    level = chains.levels(5, ints(1, 2, 3, 3), ints(0, 1, 0, 2))
    assert level is not None
    assert level.tolist() == [0, 1, 2, 3, 0]


def test_levels_find_a_cycle() -> None:
    assert chains.levels(3, ints(0, 1, 2), ints(1, 2, 1)) is None


def test_closure_pairs_each_owner_with_all_its_rows_require_once() -> None:
    # rows: 1 requires 0, 2 requires 1 and 0; owner 7 holds 2, owner 3 holds 0 and 1
    edges = chains.Links(["a", "b", "c"], ints(1, 2, 2), ints(0, 1, 0))
    owners, rows = chains.closure(ints(7, 3, 3), ints(2, 0, 1), edges)
    assert list(zip(owners.tolist(), rows.tolist(), strict=True)) == [
        (3, 0),
        (3, 1),
        (7, 0),
        (7, 1),
        (7, 2),
    ]


@pytest.mark.parametrize("spread", [3, 10**6])  # close days (a table) and far apart
def test_days_are_the_dates_of_the_ordinals_where_present(spread: int) -> None:
    values = [BASE.toordinal() + spread, BASE.toordinal(), BASE.toordinal() + spread, -5]
    found = chains.days(ints(*values), np.array([True, True, True, False]))
    assert found == [*[date.fromordinal(value) for value in values[:3]], None]
    assert found[0] is found[2]  # one date for each distinct day
    assert chains.days(ints(3), np.array([False])) == [None]


def test_remaining_days_round_up_as_the_rule_says() -> None:
    # 10 days at 30% done: 7 days left, not 8 (float noise); 7 days at 50%: 3.5 -> 4
    actions = [
        make_action(id="a", duration_days=10, progress=30.0),
        make_action(id="b", duration_days=7, progress=50.0),
    ]
    dates = backward_schedule(actions, [], day("2026-06-01"))
    windows = [(dates[key].earliest_start, dates[key].earliest_finish) for key in "ab"]
    assert windows == [
        (day("2026-06-01"), day("2026-06-07")),
        (day("2026-06-01"), day("2026-06-04")),
    ]
    assert math.ceil(7 * 50 / 100) == 4
