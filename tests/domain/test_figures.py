"""A metric's precision (hoshin.domain.figures.decimals) and a figure at that precision,
from examples worked out by hand."""

from __future__ import annotations

import pytest

from hoshin.domain.figures import MOST_DECIMALS, decimals, exact, figure, written_decimals
from hoshin.domain.model import Metric
from hoshin.domain.months import Month

DEC_2024, DEC_2029 = Month.of(2024, 12), Month.of(2029, 12)


@pytest.mark.parametrize(
    ("value", "places"),
    [
        (12.0, 0),  # written "12"
        (0.8, 1),
        (85.28, 2),
        (-3.25, 2),
        (1e-05, 5),  # repr writes it 1e-05: five decimals
        (1.5e20, 0),  # 150000000000000000000
        (0.1 + 0.2, 17),  # 0.30000000000000004: the cap of decimals() deals with it
        (float("inf"), 0),
    ],
)
def test_written_decimals_count_the_shortest_exact_form(value: float, places: int) -> None:
    assert written_decimals(value) == places


def _metric(**fields: object) -> Metric:
    base: dict[str, object] = {
        "id": "m", "name": "M", "direction": "decrease", "baseline": 24.0,
        "baseline_period": DEC_2024, "target": 0.8, "target_period": DEC_2029,
    }  # fmt: skip
    return Metric(**(base | fields))  # type: ignore[arg-type]


def test_a_metric_shows_as_many_decimals_as_its_most_precise_figure() -> None:
    # baseline 24 (0), target 0.8 (1), an actual 23.81 (2): two decimals. The way from 24 to
    # 0.8 is 23.2, which reads with two significant digits without a decimal (1 - 1 = 0).
    metric = _metric(actuals={DEC_2024: 23.81, DEC_2024 + 1: 22.5})
    assert decimals(metric) == 2


def test_the_way_from_baseline_to_target_asks_for_decimals_of_its_own() -> None:
    # 2 to 1, all written without decimals: the way is 1, floor(log10 1) = 0, so 1 - 0 = 1
    # decimal, and the plan halfway (1.5) does not read "2".
    assert decimals(_metric(baseline=2.0, target=1.0)) == 1
    # 0.9 to 0.4: the way is 0.5, floor(log10 0.5) = -1, so 1 - (-1) = 2 decimals.
    assert decimals(_metric(baseline=0.9, target=0.4)) == 2
    # 100 to 200: the way is 100, floor(log10 100) = 2, 1 - 2 < 0: none.
    assert decimals(_metric(baseline=100.0, target=200.0, direction="increase")) == 0


def test_a_target_compounded_from_a_rate_reads_with_two_significant_digits() -> None:
    # 24 halving each year for 5 years: 24 * 0.5 ** 5 = 0.75, which nobody wrote: it needs
    # 1 - floor(log10 0.75) = 1 - (-1) = 2 decimals (the way, 23.25, would need none).
    assert decimals(_metric(target=None, rate_per_year=-0.5)) == 2
    # 18 growing 20% a year for 5 years: 18 * 1.2 ** 5 = 44.79; two digits need none.
    grows = _metric(direction="increase", baseline=18.0, target=None, rate_per_year=0.2)
    assert decimals(grows) == 0


def test_a_maintain_band_counts_its_width_and_its_bounds() -> None:
    # 4 to 6 weeks: bounds without decimals, the width 2 reads "2": floor(log10 2) = 0, one
    # decimal; 4.25 written for the minimum: two.
    band = {"direction": "maintain", "baseline": None, "target": None, "maximum": 6.0}
    assert decimals(_metric(**band, minimum=4.0)) == 1
    assert decimals(_metric(**band, minimum=4.25)) == 2


def test_only_the_latest_twelve_actuals_and_at_most_three_decimals_count() -> None:
    # 100 to 200 (none of its own). January 2025 holds 0.12345 (five decimals) but it is the
    # 13th actual from the end, so it is left out: the other twelve have one decimal.
    actuals = {Month.of(2025, 1): 0.12345}
    actuals |= {Month.of(2025, 2) + k: 150.5 for k in range(12)}
    metric = _metric(baseline=100.0, target=200.0, direction="increase", actuals=actuals)
    assert decimals(metric) == 1
    # Written with five decimals among the last twelve: capped at MOST_DECIMALS (3).
    capped = _metric(baseline=100.0, target=200.0, direction="increase",
                     actuals={DEC_2024: 0.12345})  # fmt: skip
    assert decimals(capped) == MOST_DECIMALS == 3


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (9.524, 1, "9.5"),
        (2.708, 1, "2.7"),
        (85.28, 1, "85.3"),
        (6.0, 2, "6.00"),  # the metric's precision, trailing zeros kept: a column lines up
        (12345.6, 0, "12,346"),
        (-0.04, 1, "0.0"),  # not "-0.0"
        (-1.26, 1, "-1.3"),
        (None, 2, ""),
    ],
)
def test_a_figure_is_rounded_to_its_metrics_decimals(
    value: float | None, places: int, shown: str
) -> None:
    assert figure(value, places) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, ""), (30.0, "30"), (4.123456789, "4.123456789"), (-0.5, "-0.5"), (1e-07, "1e-07")],
)
def test_a_fields_value_is_the_figure_stored_to_its_last_digit(
    value: float | None, shown: str
) -> None:
    # the check-in's field sends its value back: 4.123456789 shown as 4.123 would be saved so
    assert exact(value) == shown
