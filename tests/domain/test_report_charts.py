"""The report's plans and bowling charts made as columns equal the rules' month by month, to
the bit (``charts`` takes the columns for a plan of COLUMNS_FROM metrics or more whose actuals
lie in one table; ``chart`` is the rules one metric at a time)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.domain.actuals import ActualsBuilder
from hoshin.domain.model import Metric
from hoshin.domain.months import Month, fiscal_year_start
from hoshin.domain.report_charts import chart, charts
from hoshin.domain.status import COLUMNS_FROM

JAN_2025 = Month.of(2025, 1)
NUMBERS = st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: round(x, 2))
MONTHS = st.integers(-20, 50).map(lambda k: JAN_2025 + k)


def _plan_of(specs: list[dict[str, Any]]) -> list[Metric]:
    """The metrics of ``specs``, their actuals in one table, repeated up to COLUMNS_FROM."""
    builder = ActualsBuilder()
    metrics = []
    for at in range(max(COLUMNS_FROM, len(specs))):
        spec = dict(specs[at % len(specs)])
        actuals = dict(sorted(spec.pop("actuals").items()))
        added = builder.add(actuals, actuals.values())
        metrics.append(Metric(f"m{at}", f"M{at}", actuals=added, **spec))
    return metrics


def test_a_straight_course_by_hand() -> None:
    """Baseline 0 in 2026-01, target 16 in 2027-05: the plan of the k-th month is k. Actuals
    2.0 in March (plan 2: green), 2.5 in April (plan 3, 0.5/16 below: amber within 0.1),
    1.0 in May (plan 4, 3/16 below: red)."""
    spec = {
        "baseline": 0.0,
        "baseline_period": Month.of(2026, 1),
        "target": 16.0,
        "target_period": Month.of(2027, 5),
        "tolerance": 0.1,
        "actuals": {Month.of(2026, 3): 2.0, Month.of(2026, 4): 2.5, Month.of(2026, 5): 1.0},
    }
    plan_json, cells = charts(_plan_of([spec]), Month.of(2026, 6), 1)[0]
    assert plan_json == {f"{2026 + (k // 12)}-{k % 12 + 1:02d}": float(k) for k in range(17)}
    assert [cell["plan"] for cell in cells] == [float(k) for k in range(12)]
    assert [cell["status"] for cell in cells[:6]] == [
        "no_data", "no_data", "green", "amber", "red", "no_data",
    ]  # fmt: skip
    assert cells[3] == {"period": "2026-04", "plan": 3.0, "actual": 2.5, "status": "amber"}


def test_a_compound_course_is_python_s_power() -> None:
    """100 in 2025-01 to 60 in 2028-01, compound: month k plans 100 * 0.6 ** (k / 36) as
    Python computes it (NumPy's power differs in the last bit for some k on AVX-512 CPUs)."""
    spec = {
        "direction": "decrease",
        "baseline": 100.0,
        "baseline_period": JAN_2025,
        "target": 60.0,
        "target_period": JAN_2025 + 36,
        "trajectory": "compound",
        "actuals": {},
    }
    plan_json, cells = charts(_plan_of([spec]), JAN_2025 + 18, 1)[0]
    expected = [100.0 * (60.0 / 100.0) ** (k / 36) for k in range(37)]
    expected[0], expected[-1] = 100.0, 60.0
    assert list(plan_json.values()) == expected
    assert [cell["plan"] for cell in cells] == expected[12:24]


@st.composite
def metric_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A metric's fields, sometimes of the kinds the columns leave to the rules."""
    start = draw(MONTHS)
    return {
        "direction": draw(st.sampled_from(["increase", "decrease", "maintain"])),
        "baseline": draw(st.one_of(NUMBERS, st.just(0.0), st.just(100.0), st.just(-5.0))),
        "baseline_period": start,
        "target": draw(st.one_of(NUMBERS, st.just(100.0), st.just(0.0))),
        "target_period": start + draw(st.integers(-1, 40)),
        "trajectory": draw(st.sampled_from(["linear", "compound"])),
        "rate_per_year": draw(st.one_of(st.none(), st.none(), st.just(-0.5))),
        "targets": draw(st.one_of(st.just({}), st.just({}), st.just({start + 1: 5.0}))),
        "tolerance": draw(st.sampled_from([0.0, 0.1, 0.25])),
        "minimum": 10.0,
        "actuals": draw(
            st.dictionaries(MONTHS, st.one_of(NUMBERS, st.just(math.inf)), max_size=14)
        ),
    }


def _same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN and 0.0 told from -0.0 (the JSON would show the sign)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    return a == b and type(a) is type(b)


def test_metrics_of_one_course_share_its_plan_and_a_zero_s_sign_is_kept() -> None:
    """Two metrics from 0.0 to 12 over 2025: one plan, month k plans k; from -0.0 the
    plan's first month is -0.0 (the JSON writes the sign), so that course has its own."""
    spec = {
        "baseline": 0.0,
        "baseline_period": JAN_2025,
        "target": 12.0,
        "target_period": JAN_2025 + 12,
        "actuals": {},
    }
    got = charts(_plan_of([spec, spec, {**spec, "baseline": -0.0}]), JAN_2025 + 6, 1)
    (plan, _), (same_plan, _), (signed, _) = got[:3]
    assert same_plan is plan
    assert list(plan.values()) == [float(k) for k in range(13)]
    assert math.copysign(1, signed["2025-01"]) == -1
    assert list(signed.values())[1:] == [float(k) for k in range(1, 13)]


@settings(max_examples=150, deadline=None)
@given(st.lists(metric_specs(), min_size=1, max_size=8), MONTHS, st.integers(1, 12))
def test_columns_equal_the_rules(specs: list[dict[str, Any]], month: Month, start: int) -> None:
    metrics = _plan_of(specs)
    first = fiscal_year_start(month, start)
    try:
        expected = [chart(metric, first) for metric in metrics]
    except (ArithmeticError, TypeError) as error:  # the rules' own errors, raised the same way
        try:
            charts(metrics, month, start)
        except type(error):
            return
        raise AssertionError("the columns did not raise as the rules do") from None
    got = charts(metrics, month, start)
    assert len(got) == len(expected)
    for (plan, cells), (plan_expected, cells_expected) in zip(got, expected, strict=True):
        assert list(plan) == list(plan_expected)
        assert all(_same(plan[key], value) for key, value in plan_expected.items())
        assert len(cells) == len(cells_expected)
        for cell, cell_expected in zip(cells, cells_expected, strict=True):
            assert list(cell) == list(cell_expected)
            assert all(_same(cell[key], value) for key, value in cell_expected.items())
