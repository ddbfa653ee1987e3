"""The findings worked out as columns give the findings of the old loops, one metric or
action at a time (kept here as the oracle), in the same order, to the character."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from hypothesis import given, reject, settings
from hypothesis import strategies as st
from test_status_columns import _metrics  # one table, or one metric's own dict

from hoshin.domain.actuals import ActualsBuilder
from hoshin.domain.cadence import latest_due, months_covered
from hoshin.domain.findings import Context, Finding
from hoshin.domain.findings.base import finding
from hoshin.domain.findings.execution import _first_overload, _maybe_over, over_allocations
from hoshin.domain.findings.measures import (
    BEHIND,
    HISTORY_MONTHS,
    MIN_HISTORY,
    RATE_FACTOR,
    missing_countermeasures,
    stale_metrics,
    unachievable_rates,
)
from hoshin.domain.model import Action, Countermeasure, Metric, Organization, Person, Plan
from hoshin.domain.months import Month
from hoshin.domain.status import each_metric
from hoshin.domain.trajectory import end_value

JAN_2025 = Month.of(2025, 1)
NUMBERS = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: round(x, 2)),
    st.floats(0.001, 1e6),  # unrounded: log-ratios and percentages to the last bit
    st.just(0.0),
)
MONTHS = st.integers(-3, 40).map(lambda k: JAN_2025 + k)


@st.composite
def metric_specs(draw: st.DrawFn) -> dict[str, object]:
    """A metric's fields, of every kind the checks tell apart."""
    start = draw(MONTHS)
    direction = draw(st.sampled_from(["increase", "decrease", "maintain"]))
    return {  # a maintain metric needs no target: the others must have one to be evaluated
        "direction": direction,
        "baseline": draw(st.one_of(NUMBERS, st.just(100.0))),
        "baseline_period": start,
        "target": draw(st.one_of(NUMBERS, st.just(100.0), st.just(None)))
        if direction == "maintain"
        else draw(st.one_of(NUMBERS, st.just(100.0))),
        "target_period": start + draw(st.integers(0, 36)),
        "trajectory": draw(st.sampled_from(["linear", "compound"])),
        "rate_per_year": draw(st.one_of(st.none(), st.none(), st.just(-0.5))),
        "tolerance": draw(st.sampled_from([0.0, 0.1, 0.25])),
        "frequency": draw(st.sampled_from(["monthly", "quarterly"])),
        "unit": draw(st.sampled_from([None, "", "pts"])),
        "minimum": 10.0,
        "actuals": draw(st.dictionaries(MONTHS, NUMBERS, max_size=14)),
    }


def _old_stale(ctx: Context) -> Iterator[Finding]:
    last = ctx.as_of_month.minus(1)
    quarter_due = latest_due("quarterly", last, ctx.plan.organization.fiscal_year_start)
    for metric in ctx.all_metrics:
        quarterly = metric.frequency == "quarterly"
        due = quarter_due if quarterly else last
        start, end, actuals = metric.baseline_period, metric.target_period, metric.actuals
        if (start is not None and due <= start) or (end is not None and due > end):
            continue
        if last in actuals:
            continue
        first = due.minus(months_covered("quarterly") - 1) if quarterly else due
        if quarterly and any(Month(m) in actuals for m in range(first, last)):
            continue
        span = f"{first}..{due}" if quarterly else str(due)
        message = f"metric {metric.id} '{metric.name}' has no actual for {span}"
        yield finding("stale_metric", metric.id, message)


def _old_missing(ctx: Context) -> Iterator[Finding]:
    answered = {(c.metric, c.period) for c in ctx.plan.countermeasures}
    for metric in ctx.all_metrics:
        result = ctx.metrics[metric.id]
        if result.status == "red" and (metric.id, result.current_period) not in answered:
            message = (
                f"metric {metric.id} '{metric.name}' is red in {result.current_period} "
                "and has no countermeasure for that month"
            )
            yield finding("missing_countermeasure", metric.id, message)


def _old_rate(compound: bool, unit: str, pace: float) -> str:
    if compound:
        return f"{math.expm1(abs(pace)):.1%}" if pace >= 0 else f"-{math.expm1(-pace):.1%}"
    return f"{pace:.3g}{unit}"


def _old_unachievable(ctx: Context) -> Iterator[Finding]:
    for metric in ctx.all_metrics:
        result = ctx.metrics[metric.id]
        if result.status not in BEHIND:
            continue
        last, last_month = result.current, result.current_period
        if last is None or last_month is None:
            continue
        target = metric.target if metric.rate_per_year is None else end_value(metric)
        direction, end = metric.direction, metric.target_period
        if direction == "maintain" or target is None or end is None:
            continue
        left = end - last_month
        if left <= 0:
            continue
        for span in range(HISTORY_MONTHS, MIN_HISTORY - 1, -1):
            first = metric.actuals.get(Month(last_month - span))
            if first is not None:
                break
        else:
            continue
        sign = 1.0 if direction == "increase" else -1.0
        compound = metric.trajectory == "compound" or metric.rate_per_year is not None
        if compound and min(first, last, target) > 0:
            needed = sign * math.log(target / last) / left
            recent = sign * math.log(last / first) / span
        else:
            needed, recent = sign * (target - last) / left, sign * (last - first) / span
        if needed > 0 and needed > RATE_FACTOR * max(recent, 0.0):
            unit = f" {metric.unit}" if metric.unit else ""
            verb = "rise" if direction == "increase" else "fall"
            rate = _old_rate(compound, unit, needed)
            message = (
                f"metric {metric.id} '{metric.name}' must {verb} {rate} "
                "a month to reach its target; over the last year it moved "
                f"{_old_rate(compound, unit, recent)} a month"
            )
            yield finding("unachievable_rate", metric.id, message)


def _context(metrics: list[Metric], as_of: date, answered: list[int], fiscal: int) -> Context:
    try:
        results = each_metric(metrics, Month.of_date(as_of))
    except (ArithmeticError, TypeError, ValueError):  # what validation refuses (no span...)
        reject()
    measures = tuple(
        Countermeasure(f"c{at}", metrics[at].id, results[metrics[at].id].current_period or JAN_2025)
        for at in answered
        if at < len(metrics)
    )
    plan = Plan(Organization("o", fiscal), countermeasures=measures)
    return Context(plan, as_of, metrics, results, {}, {}, {})


@settings(max_examples=400, deadline=None)
@given(
    st.lists(metric_specs(), max_size=14),
    MONTHS.map(lambda m: m.first_day()),
    st.none() | st.integers(0, 13),
    st.lists(st.integers(0, 13), max_size=3),
    st.integers(1, 12),
)
def test_measurement_findings_equal_the_loops(
    specs: list[dict[str, object]], as_of: date, own: int | None, answered: list[int], fiscal: int
) -> None:
    ctx = _context(_metrics(specs, own), as_of, answered, fiscal)
    try:
        expected = list(_old_unachievable(ctx))
    except (ArithmeticError, ValueError) as error:  # the loop's own errors, raised the same way
        try:
            list(unachievable_rates(ctx))
        except type(error):
            return
        raise AssertionError("the columns did not raise as the loop does") from None
    assert list(unachievable_rates(ctx)) == expected
    assert list(stale_metrics(ctx)) == list(_old_stale(ctx))
    assert list(missing_countermeasures(ctx)) == list(_old_missing(ctx))


def test_a_compound_metric_behind_plan_reads_its_earliest_actual_within_a_year() -> None:
    """Decrease 100 -> 60 compound, target 2027-12. Latest actual 2026-12 = 90; the earliest
    actual 6 to 12 months before it is 2026-02 = 95 (2025-11 is 13 months back): 10 months.
    Needed -ln(60/90)/12 = 0.03379 a month, e^x - 1 = 3.4%; recent -ln(90/95)/10 = 0.005407,
    0.5%: more than twice the recent pace, so unachievable."""
    builder = ActualsBuilder()
    months = [Month.of(2025, 11), Month.of(2026, 2), Month.of(2026, 12)]
    metric = Metric(
        "m", "Defects", direction="decrease", baseline=100.0, baseline_period=Month.of(2024, 12),
        target=60.0, target_period=Month.of(2027, 12), trajectory="compound",
        actuals=builder.add(months, [99.0, 95.0, 90.0]),
    )  # fmt: skip
    ctx = _context([metric], date(2027, 1, 15), [], 1)
    assert ctx.metrics["m"].status in BEHIND
    assert [f.message for f in unachievable_rates(ctx)] == [
        "metric m 'Defects' must fall 3.4% a month to reach its target; "
        "over the last year it moved 0.5% a month"
    ]


def _old_over_allocations(ctx: Context) -> Iterator[Finding]:
    loads: dict[str, list[tuple[date, date, float, str]]] = defaultdict(list)
    for action in ctx.plan.actions:
        if action.done or action.owner is None or not action.fte:
            continue
        if action.start is not None and action.due is not None:
            loads[action.owner].append((action.start, action.due, action.fte, action.id))
    names = {p.id: p.name for p in ctx.plan.people}
    for person, actions in loads.items():
        if sum([load[2] for load in actions]) <= 1.0 + 1e-9:
            continue
        peak = _first_overload(actions)
        if peak is not None:
            day, load, running = peak
            yield finding(
                "over_allocated",
                person,
                f"{names.get(person, person)} ({person}) is planned at {load:.2f} FTE on "
                f"{day.isoformat()}: {', '.join(running)}",
            )


@st.composite
def loads(draw: st.DrawFn) -> Action:
    """An action of one of four people, sometimes done, without an owner, an FTE or dates."""
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 40)))
    return Action(
        f"a{draw(st.integers(0, 10**6))}",
        "work",
        owner=draw(st.sampled_from([None, "p1", "p2", "p3", "p4"])),
        start=draw(st.sampled_from([start, start, None])),
        due=draw(st.sampled_from([start + timedelta(days=draw(st.integers(0, 30))), None])),
        fte=draw(st.sampled_from([None, 0.0, 0.1, 0.2, 0.3, 0.7, 1.0, 1e-10])),
        done=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(loads(), max_size=16))
def test_over_allocations_equal_the_loop(actions: list[Action]) -> None:
    people = (Person("p1", "Ann"), Person("p2", "Bo"), Person("p3", "Cy"))
    plan = Plan(Organization("o"), people=people, actions=tuple(actions))
    ctx = Context(plan, date(2026, 1, 1), [], {}, {}, {}, {})
    assert list(over_allocations(ctx)) == list(_old_over_allocations(ctx))


def test_a_person_exactly_at_one_fte_by_inexact_fractions_is_kept_for_the_exact_sum() -> None:
    """0.1 + 0.2 + 0.7 sums to 1.0000000000000002 in floating point: near the limit, so the
    person is looked at, and within 1e-9 of 1.0, so not over-allocated."""
    day = date(2026, 1, 5)
    actions = tuple(
        Action(f"a{at}", "work", owner="p1", start=day, due=day, fte=fte)
        for at, fte in enumerate((0.1, 0.2, 0.7))
    )
    plan = Plan(Organization("o"), actions=actions)
    assert _maybe_over(actions) == ["p1"]
    assert list(over_allocations(Context(plan, day, [], {}, {}, {}, {}))) == []
