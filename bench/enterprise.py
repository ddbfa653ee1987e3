"""A synthetic enterprise plan of any size, for the benchmarks (deterministic, no clock)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hoshin.domain.actuals import ActualsBuilder
from hoshin.domain.model import (
    Action,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Unit,
    Vision,
)
from hoshin.domain.months import Month

START = Month.of(2025, 1)
HISTORY = 24  # months of actuals: 2025-01 .. 2026-12
MONTHS = [START + m for m in range(HISTORY)]
AS_OF = date(2027, 1, 15)  # the month after the last actuals
PEOPLE_PER_TEAM = 20
METRICS_PER_PERSON = 3


def enterprise_plan(people: int, seed: int = 7) -> Plan:
    """5 breakthrough, 25 annual, people/20 team and ``people`` individual objectives,
    3 metrics with 24 monthly actuals per person, 2 actions per person in ``requires`` chains;
    the actuals in one columnar table, as ``load_plan`` gives them to a server."""
    rng = random.Random(seed)
    table = ActualsBuilder()
    teams = max(1, people // PEOPLE_PER_TEAM)
    units = [Unit("hq", "Headquarters")] + [Unit(f"u{t}", f"Team {t}", "hq") for t in range(teams)]
    staff = [Person(f"p{i}", f"Person {i}", f"u{i % teams}") for i in range(people)]
    objectives: list[Objective] = []
    end = Month.of(2029, 12)
    for b in range(5):
        objectives.append(
            Objective(
                f"B{b}",
                f"Breakthrough {b}: double output by 2029",
                "breakthrough",
                owner=f"p{b}",
                start=START,
                end=end,
                metrics=_metrics(rng, table, f"B{b}", 2),
            )
        )
    for a in range(25):
        objectives.append(
            Objective(
                f"A{a}",
                f"Annual {a}: grow 20% in 2027",
                "annual",
                owner=f"p{a}",
                start=START,
                end=Month.of(2027, 12),
                supports={f"B{a % 5}": 1.0},
                metrics=_metrics(rng, table, f"A{a}", 2),
            )
        )
    for t in range(teams):
        objectives.append(
            Objective(
                f"T{t}",
                f"Team {t}: cut lead time 30% by 2027",
                "team",
                owner=f"p{t * PEOPLE_PER_TEAM % people}",
                unit=f"u{t}",
                start=START,
                end=Month.of(2027, 12),
                supports={f"A{t % 25}": 1.0 + t % 3},
                metrics=_metrics(rng, table, f"T{t}", 1),
            )
        )
    for i in range(people):
        objectives.append(
            Objective(
                f"I{i}",
                f"Individual {i}: 3 improvements in 2027",
                "individual",
                owner=f"p{i}",
                unit=f"u{i % teams}",
                start=START,
                end=Month.of(2027, 12),
                supports={f"T{i % teams}": 1.0},
                metrics=_metrics(rng, table, f"I{i}", METRICS_PER_PERSON),
            )
        )
    return Plan(
        organization=Organization(f"Enterprise {people}"),
        vision=Vision("Synthetic", "Benchmarks", 2030, ("Speed",)),
        units=tuple(units),
        people=tuple(staff),
        objectives=tuple(objectives),
        actions=tuple(_actions(rng, people)),
    )


def _metrics(
    rng: random.Random, table: ActualsBuilder, owner: str, count: int
) -> tuple[Metric, ...]:
    metrics = []
    for k in range(count):
        compound = k == 1
        baseline = 100.0
        target = 60.0 if compound else 150.0
        slope = (target - baseline) / 36
        noise = rng.random
        actuals = table.add(
            MONTHS, [round(baseline + slope * m * (0.6 + 0.7 * noise()), 2) for m in range(HISTORY)]
        )
        metrics.append(
            Metric(
                f"{owner}m{k}",
                f"Metric {k} of {owner}",
                direction="decrease" if compound else "increase",
                baseline=baseline,
                baseline_period=START.minus(1),
                target=target,
                target_period=START + 35,
                trajectory="compound" if compound else "linear",
                actuals=actuals,
            )
        )
    return tuple(metrics)


def _actions(rng: random.Random, people: int) -> list[Action]:
    actions = []
    first = date(2027, 1, 4)
    for i in range(people):
        start = first + timedelta(days=rng.randrange(0, 60))
        prepare = Action(
            f"X{i}a",
            f"Prepare {i}",
            owner=f"p{i}",
            serves=(f"I{i}",),
            start=start,
            duration_days=rng.randrange(10, 40),
            progress=rng.choice((0.0, 25.0, 50.0)),
            fte=0.3,
        )
        deliver = Action(
            f"X{i}b",
            f"Deliver {i}",
            owner=f"p{i}",
            serves=(f"I{i}",),
            requires=(prepare.id,),
            due=date(2027, 6, 30),
            duration_days=rng.randrange(20, 90),
            fte=0.4,
            start=start,
            done=i % 11 == 0,
        )
        actions += [prepare, deliver]
    return actions
