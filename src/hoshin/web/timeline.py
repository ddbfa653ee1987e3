"""The geometry of the backward plan's timeline: inclusive days onto percentages of a track.

Pure: the engine computes the dates (hoshin.domain.schedule); this only places them.
A day is a slot of the track: day ``d`` covers [left(d), left(d + 1)), so a bar from
``start`` to ``finish`` (both inclusive) is ``finish - start + 1`` slots wide.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from hoshin.domain.months import Month

MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)  # months between ticks, the smallest that fits
# English names, whatever the server's locale (strftime's %b follows it).
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Bar(NamedTuple):
    """A bar as CSS percentages of the track: where it starts and how wide it is."""

    left: float
    width: float


class Tick(NamedTuple):
    """A labelled mark at the start of a month."""

    left: float
    label: str


class Axis(NamedTuple):
    """The days from ``first`` to ``last`` (both inclusive) across 100% of a track."""

    first: date
    last: date

    @property
    def days(self) -> int:
        """How many days the track shows."""
        return (self.last - self.first).days + 1

    def left(self, day: date) -> float:
        """The percentage at which ``day`` begins (days outside the axis are clamped)."""
        offset = min(max((day - self.first).days, 0), self.days)
        return round(100 * offset / self.days, 2)

    def end(self, day: date) -> float:
        """The percentage at which ``day`` ends: where a deadline falls."""
        return self.left(day + timedelta(days=1))

    def bar(self, start: date, finish: date) -> Bar:
        """The bar of the inclusive days ``start`` to ``finish``."""
        left = self.left(start)
        return Bar(left, round(self.end(finish) - left, 2))


def axis(days: Iterable[date | None]) -> Axis:
    """The smallest axis that holds every given day (None is skipped); needs at least one."""
    known = [day for day in days if day is not None]
    if not known:
        raise ValueError("an axis needs at least one day")
    return Axis(min(known), max(known))


def ticks(over: Axis, most: int = 8) -> list[Tick]:
    """Marks at the first day of months inside the axis, every 1, 2, 3, 6... months so
    that there are at most ``most``; labelled like "Jul 2026"."""
    first = Month.of_date(over.first)
    if first.first_day() < over.first:
        first = first + 1
    last = Month.of_date(over.last)
    count = last - first + 1
    if count <= 0:
        return []
    step = next((s for s in MONTH_STEPS if -(-count // s) <= most), MONTH_STEPS[-1])
    marks = [first + k for k in range(0, count, step)]
    return [Tick(over.left(month.first_day()), _label(month)) for month in marks]


def _label(month: Month) -> str:
    return f"{MONTH_NAMES[month.number - 1]} {month.year}"
