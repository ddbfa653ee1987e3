"""The demo plan of ``hoshin demo``: a mid-size pump maker, 40 objectives, two years of actuals.

The plan is built from ``pump_maker`` around the day it is written on: it starts in January
of last year, and its actuals run to the month before ``today``. It is deterministic (a
seeded ``random.Random``, never the clock), so the same day always gives the same plan.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from hoshin.demo.pump_maker import (
    ACTIONS,
    ADDRESSES,
    COUNTERMEASURES,
    OBJECTIVES,
    ORGANIZATION,
    PEOPLE,
    PURPOSE,
    RISK_SIGNS,
    SITUATION,
    STATEMENT,
    UNIT_OF,
    UNITS,
    VALUES,
    WEAKER_LINKS,
    ActionSpec,
    CalendarDay,
    MetricSpec,
    ObjectiveSpec,
    Period,
    Profile,
)
from hoshin.domain.model import (
    DEFAULT_TOLERANCE,
    Action,
    Countermeasure,
    CountermeasureStatus,
    Metric,
    Objective,
    Plan,
    Risk,
    Strength,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.domain.trajectory import Course, course

SEED = 20_240_611
HISTORY_MONTHS = 24
# The latest month of a metric lies this far from plan (a share of target - baseline), so
# its status is the same whatever day the demo is written on; earlier months drift toward
# it over RAMP_MONTHS, with noise.
DEVIATION: Mapping[Profile, float] = {"ahead": 0.08, "on": 0.04, "amber": -0.05, "red": -0.22}
RAMP_MONTHS = 8
NOISE = 0.03
BAND_NOISE = 0.45  # weeks of cover, for the maintain metric
COUNTERMEASURE_DAYS = 21
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def demo_plan(today: date) -> Plan:
    """A realistic plan of a mid-size manufacturer, with actuals up to the month before today."""
    rng = random.Random(SEED)
    objectives = tuple(_objective(spec, today, rng) for spec in OBJECTIVES)
    horizon = today.year + 4  # five years after the plan's first year
    return Plan(
        organization=ORGANIZATION,
        vision=Vision(STATEMENT.format(horizon=horizon), PURPOSE, horizon, VALUES),
        units=UNITS,
        people=PEOPLE,
        objectives=objectives,
        actions=tuple(_action(spec, today, rng) for spec in ACTIONS),
        countermeasures=_countermeasures(objectives, today),
        situation=SITUATION,
    )


def _month_label(month: Month) -> str:
    """``Nov 2026``, as a title names a month."""
    return f"{MONTH_NAMES[month.number - 1]} {month.year}"


def _period(today: date, period: Period) -> Month:
    years, number = period
    return Month.of(today.year + years, number)


def _objective(spec: ObjectiveSpec, today: date, rng: random.Random) -> Objective:
    start = _period(today, spec.start)
    if spec.ends_after_today is None:
        end = _period(today, spec.end)
    else:
        end = Month.of_date(today) + spec.ends_after_today
    title = spec.title.format(
        y0=today.year - 1, y=today.year, final=today.year + 3, end=_month_label(end)
    )
    last = Month.of_date(today).minus(1)
    return Objective(
        id=spec.id,
        title=title,
        level=spec.level,
        owner=spec.owner,
        unit=UNIT_OF[spec.owner],
        start=start,
        end=end,
        supports={key: float(weight) for key, weight in spec.supports.items()},
        supports_strength=_weaker(spec.id, spec.supports),
        metrics=tuple(
            _metric(m, _baseline_period(m, start, today), end, last, rng) for m in spec.metrics
        ),
        customer_benefit=spec.customer_benefit,
        tolerance=_tolerance(spec.tolerance),
        description=spec.description,
        addresses=ADDRESSES.get(spec.id, ()),
    )


def _weaker(source: str, targets: Iterable[str]) -> dict[str, Strength]:
    """The links from ``source`` to ``targets`` that WEAKER_LINKS makes medium or weak."""
    return {t: WEAKER_LINKS[source, t] for t in targets if (source, t) in WEAKER_LINKS}


def _baseline_period(spec: MetricSpec, start: Month, today: date) -> Month:
    """The month before the objective starts, unless the metric was measured from earlier."""
    return start.minus(1) if spec.since is None else _period(today, spec.since)


def _metric(
    spec: MetricSpec, baseline_period: Month, target_period: Month, last: Month, rng: random.Random
) -> Metric:
    if spec.band is not None:
        return _band_metric(spec, spec.band, last, rng)
    metric = Metric(
        spec.id,
        spec.name,
        spec.direction,
        baseline=float(spec.baseline),
        baseline_period=baseline_period,
        target=None if spec.target is None else float(spec.target),
        rate_per_year=spec.rate,
        target_period=target_period,
        trajectory="compound" if spec.compound or spec.rate is not None else "linear",
        targets={Month.of(target_period.year, n): float(value) for n, value in spec.targets},
        tolerance=_tolerance(spec.tolerance),
        weight=spec.weight,
        frequency="quarterly" if spec.quarterly else "monthly",
        unit=spec.unit,
        owner=spec.owner,
    )
    return replace(metric, actuals=_course_actuals(metric, spec, last, rng))


def _history(last: Month, quarterly: bool) -> list[Month]:
    """The months with an actual: the last two years, only quarter ends when quarterly."""
    months = [last.minus(back) for back in range(HISTORY_MONTHS - 1, -1, -1)]
    return [m for m in months if m.number % 3 == 0] if quarterly else months


def _course_actuals(
    metric: Metric, spec: MetricSpec, last: Month, rng: random.Random
) -> dict[Month, float]:
    path = course(metric)
    if path is None:
        raise ValueError(f"metric {metric.id} has no course")
    months = _history(last, spec.quarterly)
    span = path.target - path.baseline
    cap = 100.0 if spec.cap is None and spec.unit == "%" else spec.cap
    # Noise is a share of one year's planned change, so five-year metrics stay smooth.
    noise = NOISE * abs(span) * min(1.0, 12 / (path.end - path.start))
    actuals = {}
    for month in months:
        distance = months[-1] - month
        value = _expected(path, spec.pace, month) + _drift(spec.profile, distance) * span
        if distance > 0:
            value += rng.gauss(0, noise)
        value = max(0.0, value if cap is None else min(cap, value))
        actuals[month] = round(value, spec.decimals)
    return actuals


def _expected(path: Course, pace: float, month: Month) -> float:
    """The plan from the baseline on; before it, the trend went on back at ``pace`` of it."""
    if month >= path.start:
        return path.planned(month)
    share = pace * (month - path.start) / (path.end - path.start)
    if path.compound:
        return float(path.baseline * (path.target / path.baseline) ** share)
    return path.baseline + (path.target - path.baseline) * share


def _drift(profile: Profile, distance: int) -> float:
    """How far a month ``distance`` months before the latest lies from plan, as a share of
    target - baseline: exactly the profile's deviation in the latest month."""
    return DEVIATION[profile] * max(0.0, 1 - distance / RAMP_MONTHS)


def _tolerance(tolerance: float | None) -> float:
    return DEFAULT_TOLERANCE if tolerance is None else tolerance


def _band_metric(
    spec: MetricSpec, band: tuple[float, float], last: Month, rng: random.Random
) -> Metric:
    """A ``maintain`` metric: no course, a band, and actuals around ``spec.baseline``."""
    low, high = band
    months = _history(last, spec.quarterly)
    actuals = {month: round(spec.baseline + rng.gauss(0, BAND_NOISE), 1) for month in months}
    # The latest month sits inside the band: stock is under control now.
    actuals[months[-1]] = round(min(high - 0.2, max(low + 0.2, actuals[months[-1]])), 1)
    return Metric(
        spec.id,
        spec.name,
        "maintain",
        tolerance=_tolerance(spec.tolerance),
        weight=spec.weight,
        actuals=actuals,
        unit=spec.unit,
        minimum=float(low),
        maximum=float(high),
        owner=spec.owner,
    )


def _day(day: CalendarDay | int, today: date) -> date:
    if isinstance(day, int):
        return today + timedelta(days=day)
    years, month, number = day
    return date(today.year + years, month, number)


def _action(spec: ActionSpec, today: date, rng: random.Random) -> Action:
    start, due = _day(spec.start, today), _day(spec.due, today)
    done, progress = _state(spec, start, due, today, rng)
    return Action(
        id=spec.id,
        title=spec.title,
        owner=spec.owner,
        unit=UNIT_OF[spec.owner],
        serves=spec.serves,
        moves=spec.moves,
        serves_strength=_weaker(spec.id, spec.serves),
        moves_strength=_weaker(spec.id, spec.moves),
        start=None if spec.form == "duration" else start,
        due=due if spec.form == "dates" else None,
        duration_days=None if spec.form == "dates" else (due - start).days + 1,
        requires=spec.requires,
        done=done,
        progress=progress,
        budget=spec.budget,
        fte=spec.fte,
        risks=tuple(_risk(risk, contingency) for risk, contingency in spec.risks),
    )


def _risk(risk: str, contingency: str) -> Risk:
    level, trigger = RISK_SIGNS.get(risk, (None, None))
    return Risk(risk, contingency, trigger, level)


def _state(
    spec: ActionSpec, start: date, due: date, today: date, rng: random.Random
) -> tuple[bool, float]:
    """(done, progress) on ``today``; work under way is far enough along to finish by its due."""
    if spec.progress is not None:
        return False, float(spec.progress)
    if due < today:
        return True, 100.0
    if start > today:
        return False, 0.0
    length = (due - start).days + 1
    elapsed = 100 * (today - start).days / length + rng.uniform(0, 10)
    # The remaining days, ceil(length x (1 - progress)), must fit from today to the due date.
    needed = 100 * (1 - ((due - today).days + 1) / length) + 5
    if needed > 95:
        return True, 100.0
    return False, float(min(95, 5 * math.ceil(max(elapsed, needed) / 5)))


def _countermeasures(objectives: tuple[Objective, ...], today: date) -> tuple[Countermeasure, ...]:
    """For each metric in COUNTERMEASURES: a closed countermeasure three months before its
    latest month, and an open one for the latest month."""
    latest = {m.id: max(m.actuals) for o in objectives for m in o.metrics}
    measures: list[Countermeasure] = []
    for key, (now, before) in COUNTERMEASURES.items():
        earlier = latest[key].minus(3)
        closed = _countermeasure(len(measures) + 1, key, earlier, before, "closed")
        # Closing says what changed (service.countermeasure asks for it).
        effect = f"Done by {(earlier + 1).last_day().isoformat()}; the cause has not come back"
        measures.append(replace(closed, due=(earlier + 1).last_day(), effect=effect))
        current = _countermeasure(len(measures) + 1, key, latest[key], now, "open")
        measures.append(replace(current, due=today + timedelta(days=COUNTERMEASURE_DAYS)))
    return tuple(measures)


def _countermeasure(
    number: int,
    metric: str,
    period: Month,
    text: tuple[str, str, str],
    status: CountermeasureStatus,
) -> Countermeasure:
    cause, action, owner = text
    return Countermeasure(f"cm{number}", metric, period, cause, action, owner, status=status)
