"""The SVG geometry of the metric chart and the sparkline (hoshin.web.view), worked out by hand.

A point of month m and value v lands at
    x = 6 + (width - 12) * (m - first) / span
    y = 6 + (height - 12) * (1 - (v - low) / range)
(a 6-pixel margin on each side; y grows downwards), rounded to 0.1 pixel. The boxes below
are chosen so that the inner box is 120 x 60 (chart) or 110 x 12 (sparkline).
"""

from __future__ import annotations

from hoshin.domain.model import Metric
from hoshin.domain.months import Month
from hoshin.web.view import Chart, metric_chart, sparkline

JAN, FEB, MAR, APR, MAY = (Month.of(2026, k) for k in range(1, 6))


def test_chart_places_the_plan_its_band_the_actuals_and_the_target() -> None:
    # 0 in January to 40 in May, 10 a month; tolerance 0.1 of the 40 to climb: a band of +-4.
    # x: span 4 months over 120 px, 30 px a month: 6, 36, 66, 96, 126.
    # y: values -4 (0 - 4) .. 44 (40 + 4), range 48 over 60 px, so y = 6 + 60 * (44 - v) / 48:
    #    plan   0 -> 61, 10 -> 48.5, 20 -> 36, 30 -> 23.5, 40 -> 11
    #    band +4: 4 -> 56, 14 -> 43.5, 24 -> 31, 34 -> 18.5, 44 -> 6
    #    band -4 (May back to January): 36 -> 16, 26 -> 28.5, 16 -> 41, 6 -> 53.5, -4 -> 66
    #    actuals 6 in February -> 53.5, 28 in March -> 26
    metric = Metric(
        id="m",
        name="M",
        baseline=0.0,
        baseline_period=JAN,
        target=40.0,
        target_period=MAY,
        tolerance=0.1,
        actuals={MAR: 28.0, FEB: 6.0},
    )
    assert metric_chart(metric, width=132, height=72) == Chart(
        width=132,
        height=72,
        planned="6.0,61.0 36.0,48.5 66.0,36.0 96.0,23.5 126.0,11.0",
        band="6.0,56.0 36.0,43.5 66.0,31.0 96.0,18.5 126.0,6.0 "
        "126.0,16.0 96.0,28.5 66.0,41.0 36.0,53.5 6.0,66.0",
        actuals=[(36.0, 53.5, "2026-02", "6"), (66.0, 26.0, "2026-03", "28")],
        target=(126.0, 11.0),
    )


def test_chart_widens_to_an_actual_past_the_plan_and_above_it() -> None:
    # 0 in January to 40 in March (20 a month), no tolerance; an actual of 60 in May.
    # x: January .. May, span 4: 6, 36, 66, 96, 126.
    # y: values 0 .. 60, range 60 over 60 px, so y = 66 - v: plan 66, 46, 26; actual 6.
    # The band has no width: the plan forward, then back.
    metric = Metric(
        id="m",
        name="M",
        baseline=0.0,
        baseline_period=JAN,
        target=40.0,
        target_period=MAR,
        tolerance=0.0,
        actuals={MAY: 60.0},
    )
    chart = metric_chart(metric, width=132, height=72)
    assert chart is not None
    assert chart.planned == "6.0,66.0 36.0,46.0 66.0,26.0"
    assert chart.band == "6.0,66.0 36.0,46.0 66.0,26.0 66.0,26.0 36.0,46.0 6.0,66.0"
    assert chart.actuals == [(126.0, 6.0, "2026-05", "60")]
    assert chart.target == (66.0, 26.0)


def test_chart_of_a_maintain_metric_has_only_its_actuals() -> None:
    # No course: no plan, band or target. x: January .. March, span 2, 60 px a month:
    # 6, 66, 126. y: values 90 .. 110, range 20 over 60 px: y = 6 + 3 * (110 - v).
    metric = Metric(
        id="m",
        name="M",
        direction="maintain",
        minimum=90.0,
        maximum=110.0,
        actuals={JAN: 100.0, FEB: 90.0, MAR: 110.0},
    )
    assert metric_chart(metric, width=132, height=72) == Chart(
        width=132,
        height=72,
        planned="",
        band="",
        actuals=[
            (6.0, 36.0, "2026-01", "100"),
            (66.0, 66.0, "2026-02", "90"),
            (126.0, 6.0, "2026-03", "110"),
        ],
        target=None,
    )


def test_chart_of_one_actual_sits_at_the_bottom_left_and_none_without_actuals() -> None:
    # One month and one value: span and range would be 0 and count as 1, so the point is at
    # x = 6 + 120 * 0 / 1 = 6, y = 6 + 60 * (1 - 0 / 1) = 66.
    band = Metric(id="m", name="M", direction="maintain", minimum=90.0, maximum=110.0)
    assert metric_chart(band) is None
    chart = metric_chart(
        Metric(
            id="m",
            name="M",
            direction="maintain",
            minimum=90.0,
            maximum=110.0,
            actuals={APR: 95.0},
        ),
        width=132,
        height=72,
    )
    assert chart is not None
    assert chart.actuals == [(6.0, 66.0, "2026-04", "95")]


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
