"""The SVG chart's coordinates (service.document.svg), computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.service.document.svg import chart_drawing, heading, value_scale


def five_months() -> dict[str, Any]:
    """A metric planned 10 -> 18 over 2026-01..05 (one decimal), tolerance 1 below the plan,
    actuals 10 (on plan) and 13 (within tolerance), today 2026-03."""
    return {
        "name": "Scrap",
        "unit": "",
        "places": 1,
        "months": ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
        "planned": [10.0, 12.0, 14.0, 16.0, 18.0],
        "low": [9.0, 11.0, 13.0, 15.0, 17.0],
        "high": [10.0, 12.0, 14.0, 16.0, 18.0],
        "band": "tolerance (amber)",
        "actuals": [10.0, 13.0, None, None, None],
        "statuses": ["green", "amber", None, None, None],
        "target": {"month": "2026-05", "value": 18.0, "label": "target 18.0 by 2026-05"},
        "today": {"month": "2026-03", "label": "as of 2026-03"},
    }


@pytest.mark.parametrize(
    ("lowest", "highest", "places", "scale"),
    [
        # span 9, a quarter 2.25: the first round step above is 2.5; 9 -> 7.5, 18 -> 20
        (9.0, 18.0, 1, (7.5, 20.0, 2.5)),
        # whole numbers: 2.5 would print "8" and "13"; the next step is 5; 9 -> 5, 18 -> 20
        (9.0, 18.0, 0, (5.0, 20.0, 5.0)),
        # one value, 5: a span of 5, a quarter 1.25 -> step 2; 4 to 6
        (5.0, 5.0, 0, (4.0, 6.0, 2.0)),
        # span 0.3 of two decimals: a quarter 0.075 -> 0.1; 0.1 to 0.4
        (0.12, 0.42, 2, (0.1, 0.5, 0.1)),
    ],
)
def test_value_scale_takes_round_steps_the_metric_can_print(
    lowest: float, highest: float, places: int, scale: tuple[float, float, float]
) -> None:
    assert value_scale(lowest, highest, places) == pytest.approx(scale)


def test_months_spread_across_and_values_grow_upwards() -> None:
    # 264 x 140: the plot runs x 44..244 (200 wide, 50 a month) and y 122..22 (100 high);
    # the scale is 7.5..20 (12.5), so y(v) = 122 - 100 * (v - 7.5) / 12.5 = 122 - 8 (v - 7.5)
    d = chart_drawing(five_months(), 264, 140, "Scrap")
    assert (d.left, d.right, d.top, d.bottom) == (44, 244, 22, 122)
    # plan 10, 12, 14, 16, 18 -> y 102, 86, 70, 54, 38
    assert d.planned == ["44,102 94,86 144,70 194,54 244,38"]
    # the band: along its top (the plan), back along its bottom 17, 15, 13, 11, 9 -> 46..110
    assert d.band == ["44,102 94,86 144,70 194,54 244,38 244,46 194,62 144,78 94,94 44,110"]
    green, amber = d.markers
    assert (green.x, green.y, green.shape, green.points) == (44, 102, "circle", "")
    # 13 -> y 122 - 8 * 5.5 = 78; a triangle 3.5 up, 3 down, 3.5 either side
    assert (amber.x, amber.y, amber.shape) == (94, 78, "triangle")
    assert amber.points == "94,74.5 97.5,81 90.5,81"
    assert d.target is not None
    assert d.target.points == "244,33.5 248.5,38 244,42.5 239.5,38"  # a diamond of 4.5
    assert d.target_label_dy == 10  # 38 is in the upper half (above 72): label below it
    assert d.today == 144 and d.today_label == "as of 2026-03"
    # ticks every 2.5 from 7.5 (y 122) to 20 (y 22), 20 apart, with one decimal
    assert d.y_ticks == [
        (122, "7.5"), (102, "10.0"), (82, "12.5"), (62, "15.0"), (42, "17.5"), (22, "20.0")
    ]  # fmt: skip
    # 200 points hold 200 / 42 = 4.8 labels: every ceil(5 / 4.8) = 2nd month
    assert d.x_ticks == [(44, "2026-01"), (144, "2026-03"), (244, "2026-05")]
    assert d.description == (
        "Scrap, 2026-01 to 2026-05; latest actual 13.0 in 2026-02 (amber); target 18.0 by 2026-05."
    )


def test_a_red_actual_is_a_square_and_the_path_breaks_where_the_plan_stops() -> None:
    chart = five_months()
    chart["planned"] = [None, 12.0, 14.0, None, 18.0]
    chart["low"] = chart["high"] = [None] * 5
    chart["actuals"] = [None, 9.0, None, None, None]
    chart["statuses"] = [None, "red", None, None, None]
    chart["today"] = None
    d = chart_drawing(chart, 264, 140)
    # values 9..18 again: y(9) = 122 - 8 * 1.5 = 110, a square of 3 either side
    (red,) = d.markers
    assert (red.shape, red.points) == ("square", "91,107 97,107 97,113 91,113")
    assert d.planned == ["94,86 144,70", "244,38"]
    assert d.band == [] and d.today is None


def test_a_long_title_is_cut_to_the_width() -> None:
    # 60 points hold 60 / 5 = 12 characters: 11 and an ellipsis
    assert heading("Warranty claims per 1,000 pumps", 60) == "Warranty cl\u2026"
    assert heading("Scrap", 60) == "Scrap"
