"""My work lists the countermeasures a person has not closed: open and in progress."""

from __future__ import annotations

from datetime import date

from hoshin.domain.analysis import analyze
from hoshin.domain.model import Countermeasure, Metric, Objective, Organization, Person, Plan
from hoshin.domain.months import Month
from hoshin.service.work import owed_by_person


def test_open_and_in_progress_countermeasures_are_owed_closed_ones_not() -> None:
    metric = Metric("m1", "Falls", baseline=10, baseline_period=Month.of(2026, 1), target=5,
                    target_period=Month.of(2026, 12))  # fmt: skip
    may = Month.of(2026, 5)
    plan = Plan(
        Organization("Acme"),
        people=(Person("p1", "Pat"),),
        objectives=(Objective("O1", "Fewer falls", "annual", owner="p1", metrics=(metric,)),),
        countermeasures=(
            Countermeasure("c1", "m1", may, owner="p1", status="open"),
            Countermeasure("c2", "m1", may, owner="p1", status="in_progress"),
            Countermeasure("c3", "m1", may, owner="p1", status="closed", effect="Fixed"),
        ),
    )
    owed = owed_by_person(plan, analyze(plan, date(2026, 6, 15)))
    assert [c.id for c in owed["p1"].countermeasures] == ["c1", "c2"]
