"""The backoff of failed deliveries, with the times worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hoshin.domain.retry import delay, next_attempt

FIRST = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [
        (0, 30),  # never tried counts as the first failure
        (1, 30),
        (2, 60),
        (3, 120),
        (4, 240),
        (5, 480),  # 8 min
        (6, 960),  # 16 min
        (7, 1920),  # 32 min
        (8, 3600),  # 64 min, capped at the hour
        (9, 3600),
        (1000, 3600),  # no overflow from 2**999
    ],
)
def test_delay_doubles_from_thirty_seconds_up_to_an_hour(attempts: int, seconds: int) -> None:
    assert delay(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("attempts", "now", "expected"),
    [
        # failed first try at 09:00:00 -> 09:00:30
        (1, FIRST, datetime(2026, 11, 30, 9, 0, 30, tzinfo=UTC)),
        # third failure at 09:01:30 (tries at 0 s, 30 s, 90 s) -> +2 min = 09:03:30
        (3, FIRST + timedelta(seconds=90), datetime(2026, 11, 30, 9, 3, 30, tzinfo=UTC)),
        # tenth failure at 20:00 -> +1 h = 21:00
        (10, datetime(2026, 11, 30, 20, 0, tzinfo=UTC), datetime(2026, 11, 30, 21, 0, tzinfo=UTC)),
        # 08:30 the next day: +1 h would be 09:30, past the day: the last try at 09:00
        (30, datetime(2026, 12, 1, 8, 30, tzinfo=UTC), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        # 08:59:59: one second before the day ends, the last try comes at 09:00:00
        (30, datetime(2026, 12, 1, 8, 59, 59, tzinfo=UTC), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        # the try at 09:00 the next day failed: 24 h have passed, give up
        (31, datetime(2026, 12, 1, 9, 0, tzinfo=UTC), None),
        (31, datetime(2026, 12, 2, 9, 0, tzinfo=UTC), None),
    ],
)
def test_next_attempt_backs_off_and_gives_up_after_a_day(
    attempts: int, now: datetime, expected: datetime | None
) -> None:
    assert next_attempt(attempts, FIRST, now) == expected


def test_the_tries_of_a_failing_endpoint_over_its_first_hour() -> None:
    # Failing every time: tries at 0, 0:30, 1:30, 3:30, 7:30, 15:30, 31:30, 63:30 (min:s),
    # then hourly: 2:03:30 after the first.
    now, tries = FIRST, [FIRST]
    for attempts in range(1, 9):
        at = next_attempt(attempts, FIRST, now)
        assert at is not None
        now = at
        tries.append(now)
    offsets = [int((at - FIRST).total_seconds()) for at in tries]
    assert offsets == [0, 30, 90, 210, 450, 930, 1890, 3810, 7410]
