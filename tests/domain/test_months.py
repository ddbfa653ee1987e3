"""Months: parsing, arithmetic, first and last days, fiscal years."""

from __future__ import annotations

from datetime import date

import pytest

from hoshin.domain.months import Month, fiscal_year_start, in_calendar, months_between


def test_month_of_and_parse_give_the_same_month() -> None:
    assert Month.of(2026, 6) == Month.parse("2026-06")


def test_month_is_stored_as_year_times_twelve_plus_month_minus_one() -> None:
    # 2026 * 12 + 6 - 1 = 24317
    assert int(Month.of(2026, 6)) == 24317


@pytest.mark.parametrize(
    ("text", "year", "number"),
    [("2026-01", 2026, 1), ("2026-12", 2026, 12), ("1999-07", 1999, 7)],
)
def test_parse_reads_year_and_month_number(text: str, year: int, number: int) -> None:
    parsed = Month.parse(text)
    assert (parsed.year, parsed.number) == (year, number)


@pytest.mark.parametrize(
    "text",
    [
        "2026-6",
        "2026-13",
        "2026-00",
        "26-06",
        "2026/06",
        "2026-06-01",
        "",
        "June 2026",
        "2026-06\n",  # a trailing line break is not part of YYYY-MM
        "\u0968\u0966\u0968\u0966-\u0966\u096c",  # Devanagari digits: not ASCII YYYY-MM
    ],
)
def test_parse_refuses_a_malformed_month(text: str) -> None:
    with pytest.raises(ValueError, match="is not a month"):
        Month.parse(text)


@pytest.mark.parametrize("text", ["0000-01", "0001-01", "1899-12", "3000-01", "9999-12"])
def test_parse_refuses_a_year_outside_1900_to_2999(text: str) -> None:
    # Year 0 has no last day, and 9999-12 plus an action's length is no date at all.
    with pytest.raises(ValueError, match="outside the calendar: hoshin plans the years 1900"):
        Month.parse(text)


@pytest.mark.parametrize("text", ["1900-01", "2999-12"])
def test_parse_takes_the_first_and_last_month_of_the_calendar(text: str) -> None:
    assert str(Month.parse(text)) == text


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(1900, 1, 1), True),
        (date(2999, 12, 31), True),
        (date(1899, 12, 31), False),
        (date(3000, 1, 1), False),
        (date(1, 1, 1), False),
    ],
)
def test_in_calendar_takes_a_day_of_1900_to_2999(day: date, inside: bool) -> None:
    if inside:
        assert in_calendar(day) == day
    else:
        with pytest.raises(ValueError, match=f"{day.isoformat()} is outside the calendar"):
            in_calendar(day)


@pytest.mark.parametrize("number", [0, 13, -1])
def test_of_refuses_a_month_number_outside_1_to_12(number: int) -> None:
    with pytest.raises(ValueError, match="not between 1 and 12"):
        Month.of(2026, number)


def test_str_and_repr_write_yyyy_mm() -> None:
    assert str(Month.of(2026, 3)) == "2026-03"
    assert repr(Month.of(2026, 3)) == "Month('2026-03')"
    assert f"{Month.of(2026, 3)}" == "2026-03"


def test_adding_months_crosses_the_year() -> None:
    # 2026-11 + 3 months = 2027-02
    later = Month.of(2026, 11) + 3
    assert isinstance(later, Month)
    assert later == Month.of(2027, 2)


def test_minus_goes_back_across_the_year() -> None:
    # 2026-02 - 3 months = 2025-11
    assert Month.of(2026, 2).minus(3) == Month.of(2025, 11)


def test_difference_of_two_months_is_their_distance_in_months() -> None:
    # 2025-12 -> 2027-03 is 12 + 3 = 15 months
    assert Month.of(2027, 3) - Month.of(2025, 12) == 15


def test_months_order_by_calendar() -> None:
    assert Month.of(2025, 12) < Month.of(2026, 1) < Month.of(2026, 2)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_first_and_last_day_of_a_month(text: str, first: date, last: date) -> None:
    parsed = Month.parse(text)
    assert parsed.first_day() == first
    assert parsed.last_day() == last


@pytest.mark.parametrize("day", [date(2026, 6, 1), date(2026, 6, 15), date(2026, 6, 30)])
def test_of_date_is_the_month_that_holds_the_day(day: date) -> None:
    assert Month.of_date(day) == Month.of(2026, 6)


def test_months_between_includes_both_ends() -> None:
    assert months_between(Month.of(2025, 11), Month.of(2026, 2)) == [
        Month.of(2025, 11),
        Month.of(2025, 12),
        Month.of(2026, 1),
        Month.of(2026, 2),
    ]


def test_months_between_the_same_month_is_that_month() -> None:
    assert months_between(Month.of(2026, 6), Month.of(2026, 6)) == [Month.of(2026, 6)]


@pytest.mark.parametrize(
    ("text", "start_month", "expected"),
    [
        ("2026-06", 1, "2026-01"),
        ("2026-01", 1, "2026-01"),
        ("2026-03", 4, "2025-04"),  # before April: the fiscal year opened last April
        ("2026-04", 4, "2026-04"),
        ("2026-12", 4, "2026-04"),
        ("2026-06", 7, "2025-07"),
    ],
)
def test_fiscal_year_start(text: str, start_month: int, expected: str) -> None:
    assert fiscal_year_start(Month.parse(text), start_month) == Month.parse(expected)
