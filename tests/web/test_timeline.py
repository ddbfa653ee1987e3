"""The backward plan's timeline geometry (hoshin.web.timeline), worked out by hand.

The axis of objective A1 in examples/small.yaml as of 2026-06-15 runs from the as-of day to
its deadline 2026-12-31: 16 days of June (15..30 inclusive) + 31 + 31 + 30 + 31 + 30 + 31
= 200 days, so one day is 0.5% of the track.
"""

from __future__ import annotations

from datetime import date

import pytest

from hoshin.web.timeline import Axis, Bar, Tick, axis, ticks

A1 = Axis(date(2026, 6, 15), date(2026, 12, 31))


def test_the_axis_counts_both_ends() -> None:
    assert A1.days == 200
    assert Axis(date(2026, 6, 15), date(2026, 6, 15)).days == 1


@pytest.mark.parametrize(
    ("day", "left"),
    [
        (date(2026, 6, 15), 0.0),  # the first day begins the track
        (date(2026, 7, 1), 8.0),  # after the 16 days of June: 16 / 200
        (date(2026, 8, 1), 23.5),  # 16 + 31 = 47 days: 47 / 200
        (date(2026, 12, 31), 99.5),  # the last day begins one day before the end
        (date(2026, 6, 1), 0.0),  # before the axis: clamped to its start
        (date(2027, 3, 1), 100.0),  # after it: clamped to its end
    ],
)
def test_a_day_begins_at_its_share_of_the_days_before_it(day: date, left: float) -> None:
    assert A1.left(day) == left


def test_a_deadline_falls_at_the_end_of_its_day() -> None:
    assert A1.end(date(2026, 12, 31)) == 100.0
    assert A1.end(date(2026, 6, 30)) == 8.0  # the end of June 30 is the start of July 1


def test_a_bar_covers_its_first_and_last_day() -> None:
    """a1's earliest window 06-15..06-19 is 5 days (2.5%); its latest 06-26..06-30 starts
    11 days in (5.5%); a2's earliest 06-20..07-19 is 30 days (15%) starting 5 days in."""
    assert A1.bar(date(2026, 6, 15), date(2026, 6, 19)) == Bar(0.0, 2.5)
    assert A1.bar(date(2026, 6, 26), date(2026, 6, 30)) == Bar(5.5, 2.5)
    assert A1.bar(date(2026, 6, 20), date(2026, 7, 19)) == Bar(2.5, 15.0)


def test_a_one_day_bar_on_a_one_day_axis_fills_the_track() -> None:
    day = date(2026, 6, 15)
    assert Axis(day, day).bar(day, day) == Bar(0.0, 100.0)


def test_a_bar_past_the_axis_is_cut_at_its_edge() -> None:
    """a3 of B1 would run 06-15..08-13; on an axis ending 07-31 it stops at 100%."""
    short = Axis(date(2026, 6, 2), date(2026, 7, 31))  # 29 + 31 = 60 days
    assert short.bar(date(2026, 6, 15), date(2026, 8, 13)) == Bar(21.67, 78.33)


def test_the_axis_spans_the_given_days_and_skips_none() -> None:
    days = [date(2026, 7, 31), None, date(2026, 6, 2), date(2026, 6, 15)]
    assert axis(days) == Axis(date(2026, 6, 2), date(2026, 7, 31))


@pytest.mark.parametrize("days", [[], [None, None]])
def test_an_axis_needs_a_day(days: list[date | None]) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        axis(days)


def test_ticks_mark_the_first_day_of_every_month_inside_the_axis() -> None:
    assert ticks(A1) == [
        Tick(8.0, "Jul 2026"),
        Tick(23.5, "Aug 2026"),  # 47 / 200
        Tick(39.0, "Sep 2026"),  # 78 / 200
        Tick(54.0, "Oct 2026"),  # 108 / 200
        Tick(69.5, "Nov 2026"),  # 139 / 200
        Tick(84.5, "Dec 2026"),  # 169 / 200
    ]


def test_an_axis_that_starts_on_the_first_of_a_month_marks_that_month() -> None:
    assert ticks(Axis(date(2026, 7, 1), date(2026, 7, 31))) == [Tick(0.0, "Jul 2026")]


def test_an_axis_inside_one_month_has_no_tick() -> None:
    assert ticks(Axis(date(2026, 6, 15), date(2026, 6, 20))) == []


def test_a_long_axis_marks_every_sixth_month_to_keep_at_most_eight() -> None:
    """36 months: every 1, 2 or 3 months gives 36, 18 or 12 ticks; every 6 gives 6."""
    three_years = Axis(date(2026, 1, 1), date(2028, 12, 31))
    assert [t.label for t in ticks(three_years)] == [
        "Jan 2026", "Jul 2026", "Jan 2027", "Jul 2027", "Jan 2028", "Jul 2028",
    ]  # fmt: skip


def test_fewer_ticks_when_asked() -> None:
    """6 months with at most 3 ticks: every 2 months (Jul, Sep, Nov)."""
    assert [t.label for t in ticks(A1, most=3)] == ["Jul 2026", "Sep 2026", "Nov 2026"]
