"""When a metric's actual is due (domain.cadence), from examples worked by hand.

A fiscal year from April has the quarters April-June, July-September, October-December and
January-March: a quarterly metric's actual is due in June, September, December and March.
From January (the default): March, June, September, December. From February: April, July,
October, January."""

from __future__ import annotations

import pytest

from hoshin.domain.cadence import is_due, latest_due, months_covered, next_due
from hoshin.domain.months import Month


def month(text: str) -> Month:
    return Month.parse(text)


@pytest.mark.parametrize(
    ("fiscal_start", "due_months"),
    [
        (4, [3, 6, 9, 12]),  # April: June, September, December, March
        (1, [3, 6, 9, 12]),  # January: the calendar's quarters
        (2, [1, 4, 7, 10]),  # February: April, July, October, January
        (12, [2, 5, 8, 11]),  # December: December-February ends in February, ...
    ],
)
def test_a_quarterly_actual_is_due_in_the_last_month_of_each_fiscal_quarter(
    fiscal_start: int, due_months: list[int]
) -> None:
    due = [n for n in range(1, 13) if is_due("quarterly", Month.of(2026, n), fiscal_start)]
    assert due == due_months


def test_a_monthly_actual_is_due_every_month() -> None:
    assert all(is_due("monthly", Month.of(2026, n), 4) for n in range(1, 13))


@pytest.mark.parametrize(
    ("asked", "latest", "following"),
    [
        # fiscal year from April: quarters end in June, September, December, March
        ("2026-06", "2026-06", "2026-06"),  # June is a quarter's last month
        ("2026-07", "2026-06", "2026-09"),  # July: June is past, September next
        ("2026-08", "2026-06", "2026-09"),
        ("2026-01", "2025-12", "2026-03"),  # across the calendar year
        ("2026-03", "2026-03", "2026-03"),  # March closes the fiscal year
    ],
)
def test_the_latest_and_next_quarterly_due_month_from_april(
    asked: str, latest: str, following: str
) -> None:
    assert latest_due("quarterly", month(asked), 4) == month(latest)
    assert next_due("quarterly", month(asked), 4) == month(following)


def test_a_monthly_metric_is_due_for_the_month_itself() -> None:
    assert latest_due("monthly", month("2026-07"), 4) == month("2026-07")
    assert next_due("monthly", month("2026-07"), 4) == month("2026-07")


def test_a_quarterly_actual_covers_its_quarter() -> None:
    assert months_covered("quarterly") == 3
    assert months_covered("monthly") == 1
