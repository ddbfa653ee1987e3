"""Sign-in throttling: growing delays per account and per client address, never a lock.

After a few failures each further attempt waits: 1 s, then twice as long after each more
failure, at most 15 minutes. An account counts its failures from every address since its
last successful sign-in; an address counts its failures on every account. An address that
the account's owner signed in from lately is judged by its own failures on that account
only: an attacker elsewhere cannot make its owner wait. A refused attempt is not a
failure (it checks no password), so waiting does not grow the delay.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

# What check raises, and its wording of a wait (both at home in hoshin.errors).
from hoshin.errors import TooManyAttempts as TooManyAttempts
from hoshin.errors import duration as duration
from hoshin.store import account as store

# An account's owner mistypes now and then: three failures cost nothing.
FREE_ACCOUNT_FAILURES = 3
# One address may be an office or a school behind one router, where many people sign in.
FREE_ADDRESS_FAILURES = 10
LONGEST_DELAY = 15 * 60  # seconds
FAILURES_COUNT_FOR = timedelta(hours=24)
KNOWN_ADDRESS_FOR = timedelta(days=30)


def delay(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures of which ``free`` cost nothing: 1 s after
    the ``free``-th, doubling with each more, at most LONGEST_DELAY."""
    if failures < free:
        return 0
    return min(1 << min(failures - free, 20), LONGEST_DELAY)


def wait_after(times: list[datetime], free: int, now: datetime) -> int:
    """Seconds from ``now`` until the next attempt after failures at ``times`` (oldest first)."""
    if not times or delay(len(times), free) == 0:
        return 0
    allowed = times[-1] + timedelta(seconds=delay(len(times), free))
    return max(0, math.ceil((allowed - now).total_seconds()))


def wait_seconds(session: Session, *, email: str, client: str, now: datetime) -> int:
    """Seconds until this client may try to sign in to this email (0: now)."""
    since = now - FAILURES_COUNT_FOR
    last_success, from_here = store.last_successes(session, email=email, client=client)
    known = from_here is not None and from_here > now - KNOWN_ADDRESS_FOR
    account_since = since if last_success is None else max(since, last_success)
    account = store.failure_times(
        session, since=account_since, email=email, client=client if known else None
    )
    wait = wait_after(account, FREE_ACCOUNT_FAILURES, now)
    if not known:
        address = store.failure_times(session, since=since, client=client)
        wait = max(wait, wait_after(address, FREE_ADDRESS_FAILURES, now))
    return wait


def check(session: Session, *, email: str, client: str, now: datetime) -> None:
    """Raises TooManyAttempts when this client must wait before trying this email."""
    wait = wait_seconds(session, email=email, client=client, now=now)
    if wait > 0:
        raise TooManyAttempts(wait)


def note_failure(session: Session, *, email: str, client: str, now: datetime) -> None:
    """Counts a failed attempt (the caller commits it even though the request fails)."""
    store.add_failure(session, email=email, client=client, at=now)
    store.prune_attempts(
        session, failures_before=now - FAILURES_COUNT_FOR, successes_before=now - KNOWN_ADDRESS_FOR
    )
    session.flush()


def note_success(session: Session, *, email: str, client: str, now: datetime) -> None:
    """Notes that the email signed in from this client: its failures before now stop counting
    for the account, and the address is known to it."""
    store.add_success(session, email=email, client=client, at=now)
