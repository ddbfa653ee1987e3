"""When to try a failed delivery again: exponential backoff, given up after a day."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
# 30 s doubled 7 times is 64 min, past the hour: larger exponents change nothing.
_LAST_DOUBLING = 7


def delay(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed tries: 30 s, 1 min, 2 min, 4 min, ..., at most 1 h."""
    doublings = min(max(attempts, 1) - 1, _LAST_DOUBLING)
    return min(FIRST_DELAY * (1 << doublings), LONGEST_DELAY)


def next_attempt(attempts: int, first_at: datetime, now: datetime) -> datetime | None:
    """When to try again after the ``attempts``-th failed try at ``now``; None (give up) once
    24 h have passed since the first try ``first_at``. The last try is made at the 24 h mark,
    not up to an hour after it."""
    give_up_at = first_at + GIVE_UP_AFTER
    if now >= give_up_at:
        return None
    return min(now + delay(attempts), give_up_at)
