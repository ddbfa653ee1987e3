"""Metrics evaluated as columns give each_metric's results, to the bit."""

from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hoshin.domain.actuals import ActualsBuilder
from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.domain.status import COLUMNS_FROM, MetricResult, each_metric, evaluate_metrics
from hoshin.domain.status_columns import (
    MetricColumns,
    evaluate_columns,
    evaluate_with_columns,
    metric_columns,
)

JAN_2025 = Month.of(2025, 1)
NUMBERS = st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: round(x, 2))
MONTHS = st.integers(-3, 40).map(lambda k: JAN_2025 + k)


@st.composite
def metric_specs(draw: st.DrawFn) -> dict[str, object]:
    """A metric's fields, sometimes of the kinds the columns leave to each_metric."""
    start = draw(MONTHS)
    return {
        "direction": draw(st.sampled_from(["increase", "decrease", "maintain"])),
        "baseline": draw(st.one_of(NUMBERS, st.just(0.0), st.just(100.0))),
        "baseline_period": start,
        "target": draw(st.one_of(NUMBERS, st.just(100.0))),
        "target_period": start + draw(st.integers(0, 36)),
        "trajectory": draw(st.sampled_from(["linear", "compound"])),
        "rate_per_year": draw(st.one_of(st.none(), st.none(), st.just(-0.5))),
        "targets": draw(st.one_of(st.just({}), st.just({}), st.just({start + 1: 5.0}))),
        "tolerance": draw(st.sampled_from([0.0, 0.1, 0.25])),
        "minimum": 10.0,
        "actuals": draw(st.dictionaries(MONTHS, NUMBERS, max_size=6)),
    }


def _metrics(specs: list[dict[str, object]], own_dict: int | None) -> list[Metric]:
    builder = ActualsBuilder()
    metrics = []
    for at, spec in enumerate(specs):
        spec = dict(spec)
        actuals = dict(sorted(spec.pop("actuals").items()))  # type: ignore[attr-defined]
        compact = builder.add(actuals, actuals.values())
        chosen = actuals if at == own_dict else compact
        metrics.append(Metric(f"m{at}", f"M{at}", actuals=chosen, **spec))  # type: ignore[arg-type]
    return metrics


def _same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN and 0.0 told from -0.0 (the JSON would show the sign)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    return a == b and type(a) is type(b)


@settings(max_examples=300)
@given(st.lists(metric_specs(), min_size=1, max_size=12), MONTHS, st.none() | st.integers(0, 11))
def test_columns_equal_the_loop(
    specs: list[dict[str, object]], month: Month, own: int | None
) -> None:
    metrics = _metrics(specs, own)
    try:
        expected = each_metric(metrics, month)
    except (ArithmeticError, TypeError) as error:  # the loop's own errors, raised the same way
        try:
            evaluate_columns(metrics, month)
        except type(error):
            return
        raise AssertionError("the columns did not raise as the loop does") from None
    got = evaluate_columns(metrics, month)
    assert list(got) == list(expected)
    for key, result in expected.items():
        assert all(_same(a, b) for a, b in zip(got[key], result, strict=True)), (
            key,
            got[key],
            result,
        )


def test_a_late_actual_is_passed_over_and_an_empty_run_has_no_data() -> None:
    """Linear 100 -> 160 from 2024-12 to 2025-12: planned 105 a month. At 2025-03 (as of),
    m0's latest is 2025-02 = 112 (planned 110, green); 2025-04 is after the as-of month;
    m1 has no actuals: no data, planned at the as-of month 115, planned progress 0.25."""
    builder = ActualsBuilder()

    def metric(key: str, months: list[Month], values: list[float]) -> Metric:
        return Metric(key, key, baseline=100.0, target=160.0, baseline_period=JAN_2025.minus(1),
                      target_period=JAN_2025 + 11, actuals=builder.add(months, values))  # fmt: skip

    m0 = metric("m0", [JAN_2025 + 1, JAN_2025 + 3], [112.0, 90.0])
    m1 = metric("m1", [], [])
    got = evaluate_columns([m0, m1], JAN_2025 + 2)
    assert got["m0"].current == 112.0 and got["m0"].current_period == JAN_2025 + 1
    assert got["m0"].planned == 110.0 and got["m0"].status == "green"
    assert got["m1"].status == "no_data" and got["m1"].current is None
    assert got["m1"].planned == 115.0 and got["m1"].planned_progress == 0.25
    assert evaluate_metrics([m0, m1] * 150, JAN_2025 + 2)["m0"] == got["m0"]


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.floats(0.5, 1e4), st.floats(0.5, 1e4), st.integers(2, 60)),
        min_size=1,
        max_size=20,
    ),
    st.integers(1, 59),
)
def test_compound_courses_equal_the_loop_to_the_bit_with_any_numbers(
    courses: list[tuple[float, float, int]], months_in: int
) -> None:
    """Unrounded baselines and targets: NumPy's ``power`` differs from Python's ``pow`` in
    the last bit on some CPUs (found on an AVX-512 host in 2% of such planned values); the
    columns use Python's, as the loop does."""
    assume(all(base != goal for base, goal, _ in courses))
    builder = ActualsBuilder()  # one table: the columns' path
    metrics = [
        Metric(
            f"m{n}",
            "M",
            baseline=base,
            target=goal,
            trajectory="compound",
            baseline_period=JAN_2025,
            target_period=JAN_2025 + span,
            actuals=builder.add([JAN_2025 + 1], [base]),
        )
        for n, (base, goal, span) in enumerate(courses)
    ]
    month = JAN_2025 + months_in
    expected = each_metric(metrics, month)
    got = evaluate_columns(metrics, month)
    for key, result in expected.items():
        assert _same(got[key].planned, result.planned), (key, got[key].planned, result.planned)


@settings(max_examples=60)
@given(st.lists(metric_specs(), min_size=1, max_size=12), MONTHS, st.none() | st.integers(0, 11))
def test_the_columns_handed_to_the_roll_up_are_those_of_the_results(
    specs: list[dict[str, object]], month: Month, own: int | None
) -> None:
    """A list long enough for the columns, ids distinct: the results are the loop's, and
    the columns made on the way are ``metric_columns`` of the results."""
    metrics = _metrics(specs * (COLUMNS_FROM // len(specs) + 1), own)
    try:
        expected = each_metric(metrics, month)
    except (ArithmeticError, TypeError):
        return
    results, columns = evaluate_with_columns(metrics, month)
    assert list(results) == list(expected)
    assert all(
        _same(a, b) for key in expected for a, b in zip(results[key], expected[key], strict=True)
    )
    assert columns is not None
    again = metric_columns(list(results.values()))
    assert again is not None
    assert columns.status.tolist() == again.status.tolist()
    assert columns.known.tolist() == again.known.tolist()
    known = columns.known
    for mine, theirs in ((columns.progress[known], again.progress[known]),
                         (columns.planned_progress, again.planned_progress)):  # fmt: skip
        assert all(_same(a, b) for a, b in zip(mine.tolist(), theirs.tolist(), strict=True))


def test_repeated_metric_ids_hand_no_columns() -> None:
    builder = ActualsBuilder()
    actuals = builder.add([JAN_2025], [1.0])
    metric = Metric("m", "M", baseline=0.0, target=10.0, baseline_period=JAN_2025,
                    target_period=JAN_2025 + 10, actuals=actuals)  # fmt: skip
    results, columns = evaluate_with_columns([metric] * COLUMNS_FROM, JAN_2025 + 1)
    assert list(results) == ["m"] and columns is None


def test_metric_columns_by_hand() -> None:
    """green 0.5 of 0.4 planned; no data (progress None) at 0.25 planned; unmeasured with
    neither: status codes 0, 3, 4 (STATUSES' order), progress known only for the first."""
    results = [
        MetricResult(5.0, JAN_2025, 4.0, 0.5, 0.4, "green"),
        MetricResult(None, None, 2.5, None, 0.25, "no_data"),
        MetricResult(None, None, None, None, None, "unmeasured"),  # type: ignore[arg-type]
    ]
    columns = metric_columns(results)
    assert isinstance(columns, MetricColumns)
    assert columns.status.tolist() == [0, 3, 4]
    assert columns.known.tolist() == [True, False, False]
    assert columns.progress[0] == 0.5 and math.isnan(columns.progress[1])
    assert columns.planned_progress.tolist()[:2] == [0.4, 0.25]
    missing = MetricResult(None, None, None, None, None, "no_data")  # type: ignore[arg-type]
    assert metric_columns([*results, missing]) is None
