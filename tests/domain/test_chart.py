"""What a metric's charts show (hoshin.domain.chart), worked out by hand: the objective page's
chart as data for static/chart.js, its summary in words, and true north's trend arrow and
sparkline.

A sparkline's point of month m and value v lands at
    x = 6 + (width - 12) * (m - first) / span
    y = 6 + (height - 12) * (1 - (v - low) / range)
(a 6-pixel margin on each side; y grows downwards), rounded to 0.1 pixel.
"""

from __future__ import annotations

from hoshin.domain.chart import Trend, chart_summary, metric_chart, sparkline, trend
from hoshin.domain.model import Metric
from hoshin.domain.months import Month

JAN, FEB, MAR, APR, MAY = (Month.of(2026, k) for k in range(1, 6))


def _climb(**fields: object) -> Metric:
    """0 in January to 40 in May (10 a month), tolerance 0.1: the amber strip is 4 wide."""
    base: dict[str, object] = {
        "id": "m", "name": "Calls answered", "unit": "calls", "baseline": 0.0,
        "baseline_period": JAN, "target": 40.0, "target_period": MAY, "tolerance": 0.1,
    }  # fmt: skip
    return Metric(**(base | fields))  # type: ignore[arg-type]


def test_chart_holds_the_plan_its_tolerance_the_actuals_the_target_and_today() -> None:
    # Months January..May; as of April (inside them). The plan 0, 10, 20, 30, 40; the amber
    # strip lies below it (an increase is behind when lower): plan - 0.1 * 40 = plan - 4.
    # Actuals 6 in February (plan 10: 4 behind = the whole tolerance, amber) and 28 in March
    # (plan 20: ahead, green). Decimals: all figures whole, the way 40 reads "40": none.
    chart = metric_chart(_climb(actuals={MAR: 28.0, FEB: 6.0}), APR)
    assert chart == {
        "name": "Calls answered",
        "unit": "calls",
        "places": 0,
        "months": ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
        "planned": [0.0, 10.0, 20.0, 30.0, 40.0],
        "low": [-4.0, 6.0, 16.0, 26.0, 36.0],
        "high": [0.0, 10.0, 20.0, 30.0, 40.0],
        "band": "tolerance (amber)",
        "actuals": [None, 6.0, 28.0, None, None],
        "statuses": [None, "amber", "green", None, None],
        "target": {"month": "2026-05", "value": 40.0, "label": "target 40 by 2026-05"},
        "today": {"month": "2026-04", "label": "as of 2026-04"},
    }


def test_a_decrease_has_its_strip_above_the_plan_and_months_before_it_no_status() -> None:
    # 10 in February down to 4 in April (3 a month), tolerance 0.5: behind is higher, by up
    # to 0.5 * 6 = 3. An actual of 12 in January comes before the plan starts: no status.
    # As of June, a month after the last: the months stretch to it.
    metric = _climb(direction="decrease", baseline=10.0, baseline_period=FEB, target=4.0,
                    target_period=APR, tolerance=0.5, actuals={JAN: 12.0})  # fmt: skip
    chart = metric_chart(metric, MAY + 1)
    assert chart is not None
    assert chart["months"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert chart["planned"] == [None, 10.0, 7.0, 4.0, None, None]
    assert chart["low"] == [None, 10.0, 7.0, 4.0, None, None]
    assert chart["high"] == [None, 13.0, 10.0, 7.0, None, None]
    assert chart["statuses"] == [None] * 6
    assert chart["today"] == {"month": "2026-06", "label": "as of 2026-06"}


def test_today_far_from_the_course_is_left_out_rather_than_squeezing_it() -> None:
    # The course ends in May 2026; as of June 2028 is 25 months later, past TODAY_REACH (24).
    chart = metric_chart(_climb(), Month.of(2028, 6))
    assert chart is not None
    assert chart["months"][-1] == "2026-05"
    assert chart["today"] is None


def test_a_maintain_metric_draws_its_band_and_actuals_without_a_target() -> None:
    # Band 4 to 6 weeks; 5 in January is inside (green), 7 in February outside (red).
    # Decimals: the band's width 2 reads with one decimal.
    metric = Metric(id="m", name="Cover", direction="maintain", minimum=4.0, maximum=6.0,
                    actuals={JAN: 5.0, FEB: 7.0})  # fmt: skip
    chart = metric_chart(metric, FEB)
    assert chart is not None
    assert (chart["places"], chart["band"], chart["target"]) == (1, "band (green)", None)
    assert chart["planned"] == [None, None]
    assert (chart["low"], chart["high"]) == ([4.0, 4.0], [6.0, 6.0])
    assert chart["statuses"] == ["green", "red"]
    assert metric_chart(Metric(id="m", name="Cover", direction="maintain"), FEB) is None


def test_the_summary_says_the_latest_actual_against_plan_and_the_target() -> None:
    # As of April the latest actual is March's 28 (plan 20); the target 40 by May.
    metric = _climb(actuals={MAR: 28.0, FEB: 6.0, MAY: 41.0})
    assert chart_summary(metric, APR) == (
        "Calls answered: latest actual 28 calls in 2026-03 (plan 20); target 40 calls by 2026-05."
    )
    assert (
        chart_summary(_climb(unit="%"), APR)
        == "Calls answered: no actual yet; target 40% by 2026-05."
    )


def test_the_trend_arrow_says_whether_the_last_change_is_good_news() -> None:
    # Up from 6 to 28 on an increase: better. The May actual lies after April: not counted.
    rising = _climb(actuals={FEB: 6.0, MAR: 28.0, MAY: 1.0})
    assert trend(rising, APR) == Trend("\u2191", "better", "up from 6 in 2026-02, better")
    # The same figures on a decrease: worse.
    assert trend(_climb(direction="decrease", actuals={FEB: 6.0, MAR: 28.0}), APR) == Trend(
        "\u2191", "worse", "up from 6 in 2026-02, worse"
    )
    assert trend(_climb(actuals={FEB: 6.0, MAR: 6.0}), APR) == Trend(
        "\u2192", "level", "level from 6 in 2026-02"
    )
    assert trend(_climb(actuals={MAR: 6.0}), APR) is None


def test_a_maintain_trend_is_better_when_it_ends_inside_the_band() -> None:
    # Band 4 to 6 (one decimal): 7 down to 5 comes back inside, better; 5 up to 7 leaves it.
    band = {"direction": "maintain", "minimum": 4.0, "maximum": 6.0}
    back = Metric(id="m", name="Cover", actuals={JAN: 7.0, FEB: 5.0}, **band)  # type: ignore[arg-type]
    out = Metric(id="m", name="Cover", actuals={JAN: 5.0, FEB: 7.0}, **band)  # type: ignore[arg-type]
    assert trend(back, FEB) == Trend("\u2193", "better", "down from 7.0 in 2026-01, better")
    assert trend(out, FEB) == Trend("\u2191", "worse", "up from 5.0 in 2026-01, worse")


def test_sparkline_draws_the_last_twelve_actuals() -> None:
    # February 2025 .. January 2026 with values 0, 4, 8, 12, 0, 4, ...; January 2025 (1000)
    # is the 13th from the end and left out, so it does not stretch the scale.
    # x: span 11 months over 110 px: 6 + 10 k. y: 0 .. 12 over 12 px: y = 6 + 12 - v.
    actuals = {Month.of(2025, 1): 1000.0}
    actuals |= {Month.of(2025, 2) + k: float(k % 4 * 4) for k in range(12)}
    expected = " ".join(f"{6 + 10 * k}.0,{18 - k % 4 * 4}.0" for k in range(12))
    assert expected.startswith("6.0,18.0 16.0,14.0 26.0,10.0 36.0,6.0 46.0,18.0")
    assert sparkline(actuals, width=122, height=24) == expected


def test_sparkline_spaces_points_by_month_and_flattens_a_constant_series() -> None:
    # The default 96 x 24 box: 84 x 12 inside. January and April, span 3: x = 6 and 90.
    # Both 5: the range 0 counts as 1, so y = 6 + 12 * (1 - 0) = 18.
    assert sparkline({JAN: 5.0, APR: 5.0}) == "6.0,18.0 90.0,18.0"


def test_sparkline_needs_two_actuals() -> None:
    assert sparkline({}) == ""
    assert sparkline({JAN: 5.0}) == ""
