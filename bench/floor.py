"""The engine's arithmetic vectorised with NumPy: a floor of what the hardware allows.

``columns`` turns a plan into arrays once (not timed, as a columnar store would hold them);
``floor`` then does what ``analyze`` does with numbers, and only that: each metric's latest
actual at the as-of month, its planned value there from its trajectory (linear or compound),
progress and status by the tolerance rule; the objectives' weighted roll-up up the supports
tree with their statuses, the status counts and the alignment coverage; the actions' backward
schedule (earliest dates from the as-of day, latest from due dates and deadlines, slack) and
each objective's least slack over its action chain. No ids, no messages, no findings' texts:
that is the engine's overhead over the hardware, which bench/engine.py reports as a ratio.
Plan-file targets (per-month overrides) are left out: the synthetic plans have none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.domain.trajectory import end_value

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
GREEN, AMBER, RED, NO_DATA, UNMEASURED = range(5)
KEY_SPAN = 1 << 20  # above any month ordinal
NEVER = 10**9  # a day ordinal later than any in the calendar
Result = dict[str, Any]  # arrays by name


@dataclass(frozen=True)
class Columns:
    """A plan as arrays: metrics (with their actuals as CSR), objectives, actions, links."""

    metric_objective: Ints
    weight: Floats
    baseline: Floats
    target: Floats
    start: Ints
    end: Ints
    compound: Bools
    maintain: Bools
    low: Floats
    high: Floats
    metric_tolerance: Floats
    offsets: Ints  # actuals of metric m: months[offsets[m]:offsets[m + 1]], sorted
    months: Ints
    values: Floats
    keys: Ints  # metric * KEY_SPAN + month of each actual: sorted, one search per metric
    objective_tolerance: Floats
    breakthrough: Bools
    support_child: Ints
    support_parent: Ints
    support_weight: Floats
    deadline: Ints  # per objective, NEVER without an end
    done: Bools
    length: Ints  # -1 when not scheduled
    progress: Floats
    action_start: Ints  # day ordinal, 0 without a start
    due: Ints  # NEVER without a due date
    requires_action: Ints
    requires_required: Ints
    serves_action: Ints
    serves_objective: Ints


def columns(plan: Plan) -> Columns:
    """The arrays of ``plan`` (every metric must have a baseline and periods)."""
    objective_at = {o.id: at for at, o in enumerate(plan.objectives)}
    action_at = {a.id: at for at, a in enumerate(plan.actions)}
    metrics = [(at, m) for at, o in enumerate(plan.objectives) for m in o.metrics]
    offsets, months, values = [0], [], []
    for _, metric in metrics:
        for month, value in sorted(metric.actuals.items()):
            months.append(int(month))
            values.append(value)
        offsets.append(len(months))
    links = [(o.id, p, w) for o in plan.objectives for p, w in o.supports.items()]
    requires = [(a.id, r) for a in plan.actions for r in a.requires if r in action_at]
    serves = [(a.id, s) for a in plan.actions for s in a.serves if s in objective_at]

    def floats(values: Sequence[float | None], missing: float = np.nan) -> Floats:
        return np.array([missing if v is None else v for v in values], dtype=np.float64)

    def ints(values: list[int]) -> Ints:
        return np.array(values, dtype=np.int64)

    def length(start: date | None, due: date | None, days: int | None) -> int:
        if days is not None:
            return days
        return -1 if start is None or due is None else (due - start).days + 1

    return Columns(
        metric_objective=ints([at for at, _ in metrics]),
        weight=floats([m.weight for _, m in metrics]),
        baseline=floats([m.baseline for _, m in metrics]),
        target=floats([end_value(m) for _, m in metrics]),
        start=ints([int(m.baseline_period or 0) for _, m in metrics]),
        end=ints([int(m.target_period or 0) for _, m in metrics]),
        compound=np.array(
            [m.trajectory == "compound" or m.rate_per_year is not None for _, m in metrics]
        ),
        maintain=np.array([m.direction == "maintain" for _, m in metrics]),
        low=floats([m.minimum for _, m in metrics], -np.inf),
        high=floats([m.maximum for _, m in metrics], np.inf),
        metric_tolerance=floats([m.tolerance for _, m in metrics]),
        offsets=ints(offsets),
        months=ints(months),
        values=floats(values),
        keys=np.repeat(np.arange(len(metrics)) * KEY_SPAN, np.diff(offsets)) + ints(months),
        objective_tolerance=floats([o.tolerance for o in plan.objectives]),
        breakthrough=np.array([o.level == "breakthrough" for o in plan.objectives]),
        support_child=ints([objective_at[c] for c, p, _ in links if p in objective_at]),
        support_parent=ints([objective_at[p] for _, p, _ in links if p in objective_at]),
        support_weight=floats([w for _, p, w in links if p in objective_at]),
        deadline=ints(
            [NEVER if o.end is None else o.end.last_day().toordinal() for o in plan.objectives]
        ),
        done=np.array([a.done for a in plan.actions]),
        length=ints([length(a.start, a.due, a.duration_days) for a in plan.actions]),
        progress=floats([a.progress for a in plan.actions]),
        action_start=ints([0 if a.start is None else a.start.toordinal() for a in plan.actions]),
        due=ints([NEVER if a.due is None else a.due.toordinal() for a in plan.actions]),
        requires_action=ints([action_at[a] for a, _ in requires]),
        requires_required=ints([action_at[r] for _, r in requires]),
        serves_action=ints([action_at[a] for a, _ in serves]),
        serves_objective=ints([objective_at[s] for _, s in serves]),
    )


def floor(c: Columns, as_of: date) -> Result:
    """The engine's numbers for the plan ``c`` at ``as_of``, as arrays."""
    metric = _metrics(c, int(Month.of_date(as_of)))
    objective = _roll_up(c, metric)
    action = _schedule(c, as_of.toordinal())
    return {**metric, **objective, **action}


def _metrics(c: Columns, month: int) -> Result:
    first = c.offsets[:-1]
    count = np.searchsorted(c.keys, np.arange(len(first)) * KEY_SPAN + month, "right") - first
    has = count > 0
    latest = np.where(has, first + count - 1, 0)
    value = c.values[latest] if len(c.values) else np.zeros(len(has))
    period = np.where(has, c.months[latest] if len(c.months) else 0, month)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip((period - c.start) / (c.end - c.start), 0.0, 1.0)
        share = np.where(period <= c.start, 0.0, np.where(period >= c.end, 1.0, share))
        span = c.target - c.baseline
        planned = np.where(
            c.compound,
            c.baseline * (c.target / c.baseline) ** share,
            c.baseline + span * share,
        )
        planned_progress = (planned - c.baseline) / span
        progress = np.clip((value - c.baseline) / span, 0.0, 1.0)
        deviation = (value - planned) / span
    status = np.where(deviation >= 0, GREEN, np.where(deviation >= -c.metric_tolerance, AMBER, RED))
    inside = (value >= c.low) & (value <= c.high)
    status = np.where(c.maintain, np.where(inside, GREEN, RED), status)
    progress = np.where(c.maintain, inside.astype(np.float64), progress)
    planned_progress = np.where(c.maintain, 1.0, planned_progress)
    status = np.where(has, status, NO_DATA)
    return {
        "current": value,
        "planned": planned,
        "progress": progress,
        "planned_progress": planned_progress,
        "status": status,
        "has": has,
    }


def _depths(count: int, node: Ints, points_to: Ints) -> Ints:
    """Each node's depth: 1 + the deepest it points to (0 when it points to nothing)."""
    depth = np.zeros(count, dtype=np.int64)
    while True:
        deeper = depth.copy()
        np.maximum.at(deeper, node, depth[points_to] + 1)
        if np.array_equal(deeper, depth):
            return depth
        depth = deeper


def _roll_up(c: Columns, m: Result) -> Result:
    count = len(c.objective_tolerance)
    has = m["has"].astype(np.float64)
    total = np.bincount(c.metric_objective, c.weight, count)
    planned = np.bincount(c.metric_objective, c.weight * m["planned_progress"], count)
    done = np.bincount(c.metric_objective, c.weight * m["progress"] * has, count)
    data = np.bincount(c.metric_objective, has, count)
    depth = _depths(count, c.support_child, c.support_parent)
    edge_depth = depth[c.support_child]
    for level in range(int(depth.max(initial=0)), 0, -1):  # supporters before what they support
        at = edge_depth == level
        child, parent, weight = c.support_child[at], c.support_parent[at], c.support_weight[at]
        measured = total[child] > 0
        child, parent, weight = child[measured], parent[measured], weight[measured]
        share = weight / total[child]
        total += np.bincount(parent, weight, count)
        planned += np.bincount(parent, share * planned[child], count)
        with_data = data[child] > 0
        done += np.bincount(parent, share * done[child] * with_data, count)
        data += np.bincount(parent, with_data, count)
    with np.errstate(divide="ignore", invalid="ignore"):
        progress, planned_progress = done / total, planned / total
    deviation = progress - planned_progress
    status = np.where(
        deviation >= 0, GREEN, np.where(deviation >= -c.objective_tolerance, AMBER, RED)
    )
    status = np.where(total == 0, UNMEASURED, np.where(data > 0, status, NO_DATA))
    reaches = c.breakthrough.copy()
    for level in range(1, int(depth.max(initial=0)) + 1):  # what an objective supports first
        at = edge_depth == level
        reaches[c.support_child[at]] |= reaches[c.support_parent[at]]
    below = ~c.breakthrough
    coverage = reaches[below].mean() if below.any() else 1.0
    return {
        "objective_progress": progress,
        "objective_planned": planned_progress,
        "objective_status": status,
        "counts": np.bincount(status, minlength=5),
        "coverage": np.array(coverage),
    }


def _schedule(c: Columns, today: int) -> Result:
    active = ~c.done & (c.length >= 0)
    left = np.maximum(0, np.ceil(c.length * (100 - c.progress) / 100 - 1e-9)).astype(np.int64)
    live = active[c.requires_action] & active[c.requires_required]
    node, required = c.requires_action[live], c.requires_required[live]
    depth = _depths(len(active), node, required)
    edge_depth = depth[node]
    top = int(depth.max(initial=0))
    ready = np.maximum(today, c.action_start) + left  # the day after the earliest finish
    for level in range(1, top + 1):
        at = edge_depth == level
        start = np.maximum(today, c.action_start)
        np.maximum.at(start, node[at], ready[required[at]])
        placed = depth == level
        ready[placed] = start[placed] + left[placed]
    latest = c.due.copy()
    np.minimum.at(latest, c.serves_action, c.deadline[c.serves_objective])
    for level in range(top, 0, -1):
        at = edge_depth == level
        np.minimum.at(latest, required[at], latest[node[at]] - left[node[at]])
    bound = latest < NEVER // 2
    slack = np.where(active & bound, latest + 1 - ready, NEVER)
    chain = slack.copy()  # the least slack of an action and all it requires
    for level in range(1, top + 1):
        at = edge_depth == level
        np.minimum.at(chain, node[at], chain[required[at]])
    least = np.full(len(c.deadline), NEVER, dtype=np.int64)
    np.minimum.at(least, c.serves_objective, chain[c.serves_action])
    return {
        "earliest_start": ready - left,
        "latest_finish": latest,
        "slack": slack,
        "feasible": least >= 0,
        "days_late": np.maximum(0, -np.where(least == NEVER, 0, least)),
    }
