"""Months as a value type (``YYYY-MM``) and the day arithmetic the engine needs."""

from __future__ import annotations

import calendar
import re
from datetime import date

# Reports write the same few hundred months hundreds of thousands of times.
_TEXT: dict[int, str] = {}
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
# hoshin's calendar. A plan lives in real years; bounding them keeps every date the engine
# derives (a deadline minus a century-long action, an as-of day plus one) a valid date.
FIRST_YEAR, LAST_YEAR = 1900, 2999
LONGEST_ACTION_DAYS = 36_500  # a century: longer is a typo, and would leave the calendar
CALENDAR = f"hoshin plans the years {FIRST_YEAR} to {LAST_YEAR}"


class Month(int):
    """A calendar month, stored as ``year * 12 + month - 1``.

    It is an ``int`` underneath because the engine compares and hashes months
    millions of times in a large plan; ``int`` keeps those operations in C.
    """

    __slots__ = ()

    @classmethod
    def of(cls, year: int, month: int) -> Month:
        """The month ``month`` (1-12) of ``year``."""
        if not 1 <= month <= 12:
            raise ValueError(f"month number {month} is not between 1 and 12")
        return cls(year * 12 + month - 1)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parses ``YYYY-MM``; raises ``ValueError`` with a readable message."""
        found = _MONTH_RE.fullmatch(text)
        if found is None:
            raise ValueError(f"'{text}' is not a month: write YYYY-MM, e.g. 2026-06")
        year, number = int(found.group(1)), int(found.group(2))
        if not 1 <= number <= 12:
            raise ValueError(f"'{text}' is not a month: {number} is not between 01 and 12")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"'{text}' is outside the calendar: {CALENDAR}")
        return cls(year * 12 + number - 1)

    @classmethod
    def of_date(cls, day: date) -> Month:
        """The month that contains ``day``."""
        return cls(day.year * 12 + day.month - 1)

    @property
    def year(self) -> int:
        """The calendar year."""
        return int(self) // 12

    @property
    def number(self) -> int:
        """The month number, 1-12."""
        return int(self) % 12 + 1

    def first_day(self) -> date:
        """The first day of the month."""
        return date(self.year, self.number, 1)

    def last_day(self) -> date:
        """The last day of the month (a deadline given as a month ends here)."""
        return date(self.year, self.number, calendar.monthrange(self.year, self.number)[1])

    def __add__(self, months: int) -> Month:
        return Month(int(self) + months)

    def minus(self, months: int) -> Month:
        """The month ``months`` earlier (``a - b`` of two months is their distance, an int)."""
        return Month(int(self) - months)

    def __str__(self) -> str:
        text = _TEXT.get(self)
        if text is None:
            text = _TEXT[self] = f"{self // 12:04d}-{self % 12 + 1:02d}"
        return text

    def __repr__(self) -> str:
        return f"Month('{self}')"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class _Shared(dict[int, Month]):
    """One ``Month`` per ordinal, made on first use."""

    def __missing__(self, ordinal: int) -> Month:
        month = self[ordinal] = Month(ordinal)
        return month


# Millions of actuals fall in a few hundred months: columns of ordinals hand out these.
month_of = _Shared().__getitem__


def in_calendar(day: date) -> date:
    """``day`` when it lies in hoshin's calendar; ValueError otherwise."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the calendar: {CALENDAR}")
    return day


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    return [Month(ordinal) for ordinal in range(first, last + 1)]


def fiscal_year_start(month: Month, start_month: int) -> Month:
    """The first month of the fiscal year that contains ``month``."""
    year = month.year if month.number >= start_month else month.year - 1
    return Month.of(year, start_month)
