"""The monthly review's agenda (service.review.monthly_agenda), from a plan written here.

Every metric goes linearly from 0 in 2025-12 to 120 in 2026-12: 50 planned in 2026-05, over
a way of 120, tolerance 0.1. An actual of 45 is 5/120 = 0.04 behind (amber), 30 and 20 are
0.17 and 0.25 behind (red), 50 is on plan (green). Units: ward is below ops; shop is apart.
"""

from __future__ import annotations

from datetime import date

from hoshin.domain.analysis import analyze
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Unit,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.service.analysis import Analysed
from hoshin.service.review import Agenda, Behind, monthly_agenda

MAY = Month.parse("2026-05")
AS_OF = date(2026, 6, 15)


def metric(key: str, may: float) -> Metric:
    """A metric of 10 a month from 0 in 2025-12, with its actual of 2026-05."""
    return Metric(
        id=key, name=key.upper(), direction="increase", baseline=0.0,
        baseline_period=Month.parse("2025-12"), target=120.0,
        target_period=Month.parse("2026-12"), actuals={MAY: may},
    )  # fmt: skip


def objective(key: str, unit: str, *metrics: Metric) -> Objective:
    """An annual objective of 2026 owned by p1."""
    return Objective(
        id=key, title=f"Objective {key}", level="annual", owner="p1", unit=unit,
        start=Month.parse("2026-01"), end=Month.parse("2026-12"), metrics=metrics,
    )  # fmt: skip


def late(key: str, unit: str, serves: str) -> Action:
    """An action due on 2026-04-30 and not done: late on 2026-06-15."""
    return Action(id=key, title=f"Action {key}", owner="p1", unit=unit, serves=(serves,),
                  due=date(2026, 4, 30))  # fmt: skip


CM = Countermeasure(id="c1", metric="m4", period=MAY, action="Train the night shift")
PLAN = Plan(
    organization=Organization(name="Acme"),
    vision=Vision(statement="Be the first choice", horizon=2030),
    units=(Unit("ops", "Operations"), Unit("ward", "Ward", parent="ops"), Unit("shop", "Shop")),
    people=(Person(id="p1", name="Pat"),),
    objectives=(
        objective("o2", "ward", metric("m3", 50.0), metric("m4", 20.0)),  # green, red answered
        objective("o1", "ops", metric("m1", 30.0), metric("m2", 45.0)),  # red, amber
        objective("o3", "shop", metric("m5", 10.0)),  # red, but of another unit
    ),
    actions=(
        late("a1", "ward", "o2"),  # the ward's own
        late("a2", "shop", "o1"),  # the shop's, serving an objective of ops
        late("a3", "shop", "o3"),  # the shop's alone
    ),
    countermeasures=(CM,),
)


def agenda(unit: str) -> Agenda:
    return monthly_agenda(Analysed(1, PLAN, analyze(PLAN, AS_OF)), unit=unit, period=MAY)


def test_the_agenda_lists_red_and_amber_metrics_of_the_unit_and_below_in_plan_order() -> None:
    found = agenda("ops")
    o1, o2 = PLAN.objectives[1], PLAN.objectives[0]
    assert found.behind == [
        Behind(o2, o2.metrics[1], "red", 50.0, 20.0, [CM]),
        Behind(o1, o1.metrics[0], "red", 50.0, 30.0, []),
        Behind(o1, o1.metrics[1], "amber", 50.0, 45.0, []),
    ]
    assert (found.behind_count, found.objectives, found.units) == (3, 2, 2)


def test_the_agenda_names_missing_countermeasures_and_late_actions() -> None:
    found = agenda("ops")
    assert [f.subject for f in found.missing] == ["m1"]  # m4 has c1; m5 is the shop's
    assert [(f.subject, action.id) for f, action in found.late] == [("a1", "a1"), ("a2", "a2")]
    assert (found.missing_count, found.late_count) == (1, 2)


def test_a_unit_below_sees_only_its_own() -> None:
    found = agenda("ward")
    assert [row.metric.id for row in found.behind] == ["m4"]
    assert found.missing == [] and [late.action.id for late in found.late] == ["a1"]
    assert (found.objectives, found.units) == (1, 1)
