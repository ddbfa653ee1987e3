"""My work's check-ins due (service.work.owed_by_person), worked by hand.

The plan: Acme, fiscal years from April, so a quarterly metric's actual is due in June,
September, December and March (domain.cadence). p1 owns objective o1, measured by a
monthly metric (mon) and a quarterly one (qtr), both from a baseline in 2025-12 to 2026-12.
"""

from __future__ import annotations

from datetime import date

from hoshin.domain.analysis import analyze
from hoshin.domain.model import Metric, Objective, Organization, Person, Plan, Vision
from hoshin.domain.months import Month
from hoshin.service.work import owed_by_person


def plan_with(mon: dict[str, float], qtr: dict[str, float]) -> Plan:
    """o1 of p1 with the monthly metric's and the quarterly metric's actuals."""

    def metric(key: str, frequency: str, actuals: dict[str, float]) -> Metric:
        return Metric(
            id=key, name=key, direction="increase", baseline=0.0,
            baseline_period=Month.parse("2025-12"), target=120.0,
            target_period=Month.parse("2026-12"), frequency=frequency,  # type: ignore[arg-type]
            actuals={Month.parse(k): v for k, v in actuals.items()},
        )  # fmt: skip

    objective = Objective(
        id="o1", title="Raise on-time delivery", level="annual", owner="p1",
        start=Month.parse("2026-01"), end=Month.parse("2026-12"),
        metrics=(metric("mon", "monthly", mon), metric("qtr", "quarterly", qtr)),
    )  # fmt: skip
    return Plan(
        organization=Organization(name="Acme", fiscal_year_start=4),
        vision=Vision(statement="Be the first choice", horizon=2030),
        people=(Person(id="p1", name="Pat"),),
        objectives=(objective,),
    )


def due(plan: Plan, as_of: str) -> dict[str, tuple[str, str | None]]:
    """p1's check-ins due: metric -> (month due, first month missing or None)."""
    owed = owed_by_person(plan, analyze(plan, date.fromisoformat(as_of)))
    found = owed["p1"].check_ins if "p1" in owed else []
    return {c.metric.id: (str(c.due), None if c.since is None else str(c.since)) for c in found}


def test_a_quarterly_metric_is_due_for_the_quarter_ended_not_for_last_month() -> None:
    # As of 2026-08-10 last month is 2026-07: the monthly actual of July is due; the
    # quarterly metric's last quarter ended in June (April-June), and it has no actual
    # since the one of March: its actual is due for 2026-06, nothing earlier is missing.
    plan = plan_with({"2026-06": 60.0}, {"2026-03": 30.0})
    assert due(plan, "2026-08-10") == {"mon": ("2026-07", None), "qtr": ("2026-06", None)}


def test_a_quarterly_actual_of_the_quarter_ended_is_not_owed_again() -> None:
    # The June actual answers April-June: in July and August nothing is due for qtr.
    plan = plan_with({"2026-07": 70.0}, {"2026-06": 60.0})
    assert due(plan, "2026-08-10") == {}


def test_a_quarterly_metric_missing_two_quarters_is_overdue_since_the_first() -> None:
    # Last actual 2025-12 (the baseline month): the quarters ended March and June have
    # none; as of 2026-07-01 the due month is June, missing since March (not January).
    plan = plan_with({"2026-06": 60.0}, {"2025-12": 0.0})
    assert due(plan, "2026-07-01") == {"qtr": ("2026-06", "2026-03")}
