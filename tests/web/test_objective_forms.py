"""The objective page's add forms, pure: which month a new countermeasure answers by
default, and how the countermeasure form is read."""

from __future__ import annotations

from datetime import date

from hoshin.domain.model import Metric, Objective
from hoshin.domain.months import Month
from hoshin.web.forms import Reader
from hoshin.web.objective_forms import blank, latest_red, measure_of

JAN, APR, MAY, JUN = Month.of(2026, 1), Month.of(2026, 4), Month.of(2026, 5), Month.of(2026, 6)


def _metric(key: str, actuals: dict[Month, float]) -> Metric:
    """0 in 2026-01 to 100 in 2026-11: 10 a month, so 2026-04 plans 30, 2026-05 40, 2026-06
    50; an actual 10 below plan is (x - plan) / 100 = -0.1, amber; 20 below, -0.2, red."""
    return Metric(key, key.title(), baseline=0, baseline_period=JAN, target=100,
                  target_period=Month.of(2026, 11), actuals=actuals)  # fmt: skip


def test_the_latest_red_month_of_any_metric_is_chosen() -> None:
    a = _metric("a", {APR: 10, MAY: 40})  # April red (-0.2), May on plan
    b = _metric("b", {MAY: 20, JUN: 45})  # May red (-0.2), June amber (-0.05)
    objective = Objective("O1", "x", "annual", metrics=(a, b))
    assert latest_red(objective, date(2026, 7, 10)) == ("b", MAY)
    # As of May, June's actual is not yet counted: b's May is still the latest red.
    assert latest_red(objective, date(2026, 5, 20)) == ("b", MAY)
    # As of April, only a's April is known and red.
    assert latest_red(objective, date(2026, 4, 30)) == ("a", APR)


def test_without_a_red_month_the_form_offers_the_metric_and_last_month() -> None:
    objective = Objective("O1", "x", "annual", owner="p1", metrics=(_metric("a", {MAY: 40}),))
    form = blank("countermeasure", objective, date(2026, 7, 10))
    # the objective's owner by id: the owner's picker shows the name
    assert form.values == {"metric": "a", "period": "2026-06", "owner": "p1"}
    assert blank("action", objective, date(2026, 7, 10)).values == {"owner": "p1"}


def test_the_countermeasure_form_names_each_problem_at_its_field() -> None:
    read = Reader({"metric": "zz", "period": "2026-13", "status": "done", "due": "31/07"})
    measure_of(read, "c1", {"a": "A"})
    assert set(read.problems) == {"metric", "period", "status", "due"}
    assert read.problems["metric"] == ["choose one of the objective's metrics"]
