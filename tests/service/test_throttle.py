"""Sign-in throttling on SQLite and PostgreSQL: growing delays per account and per address,
never a lock that an attacker elsewhere can put on the account's owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from hoshin.errors import Forbidden
from hoshin.runtime.engine import session_factory
from hoshin.service import account, throttle
from hoshin.service.throttle import TooManyAttempts
from hoshin.store import account as store
from hoshin.store.tables import SignInAttemptRow

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse"
ANA = "ana@acme.org"
NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HOME = "198.51.100.10"  # where ana signs in from
ATTACKER = "203.0.113.7"


def make_ana(session: Session) -> None:
    """ana@acme.org, committed."""
    account.add_user(session, email=ANA, password=PASSWORD, actor="tests", origin="tests")
    session.commit()


def attempt(
    session: Session, *, at: datetime, client: str, email: str = ANA, password: str = PASSWORD
) -> str:
    """One sign-in, committed as the boundary does: "ok", "wrong" or "wait <seconds>"."""
    try:
        account.sign_in(session, email=email, password=password, now=at, client=client)
    except TooManyAttempts as refused:
        session.rollback()
        return f"wait {refused.detail}"
    except Forbidden:
        session.commit()
        return "wrong"
    session.commit()
    return "ok"


def failures(session: Session, *, at: list[datetime], client: str, email: str = ANA) -> None:
    """Failed sign-ins written straight to the table, as if they had been let through."""
    for moment in at:
        store.add_failure(session, email=email, client=client, at=moment)
    session.commit()


@pytest.mark.parametrize(
    ("count", "free", "seconds"),
    [(0, 3, 0), (2, 3, 0), (3, 3, 1), (4, 3, 2), (5, 3, 4), (12, 3, 512), (13, 3, 900),
     (1000, 3, 900), (9, 10, 0), (10, 10, 1), (14, 10, 16)],
)  # fmt: skip
def test_the_delay_doubles_after_the_free_failures_up_to_fifteen_minutes(
    count: int, free: int, seconds: int
) -> None:
    # 2 ** (count - free) seconds: 13 - 3 = 10 gives 1024 s, more than 900 s (15 minutes).
    assert throttle.delay(count, free) == seconds


def test_three_failures_cost_a_second_and_each_more_doubles_it(session: Session) -> None:
    make_ana(session)
    second = timedelta(seconds=1)
    for tick in (0, 10, 20):  # 12:00:00, 12:00:10, 12:00:20: three free failures
        assert attempt(session, at=NOON + tick * second, client=HOME, password="bad guess 1") == (
            "wrong"
        )
    # The third failure (12:00:20) asks 1 s: nothing at 12:00:20, the 4th try at 12:00:21.
    assert attempt(session, at=NOON + 20 * second, client=HOME) == "wait 1"
    assert attempt(session, at=NOON + 21 * second, client=HOME, password="bad") == "wrong"
    # Four failures: 2 s after 12:00:21, so 12:00:22 waits 1 s and 12:00:23 may try.
    assert attempt(session, at=NOON + 22 * second, client=HOME) == "wait 1"
    assert attempt(session, at=NOON + 23 * second, client=HOME) == "ok"


def test_refused_attempts_are_not_failures(session: Session) -> None:
    make_ana(session)
    failures(session, at=[NOON, NOON, NOON, NOON], client=ATTACKER)  # 4: wait 2 s after noon
    for _ in range(5):
        assert attempt(session, at=NOON + timedelta(seconds=1), client=ATTACKER) == "wait 1"
    kept = session.scalars(select(SignInAttemptRow).where(SignInAttemptRow.succeeded.is_(False)))
    assert len(list(kept)) == 4


def test_an_attacker_elsewhere_cannot_make_the_owner_wait(session: Session) -> None:
    """Ana signed in from HOME at 11:00. Thirteen failures on her account from thirteen
    addresses (12:00 to 12:12) make every unknown address wait 900 s after the last one:
    until 12:27. Ana at HOME, known to her account, signs in at 12:13 at once."""
    make_ana(session)
    assert attempt(session, at=NOON - timedelta(hours=1), client=HOME) == "ok"
    for minute in range(13):
        failures(session, at=[NOON + timedelta(minutes=minute)], client=f"10.0.0.{minute}")
    at = NOON + timedelta(minutes=13)
    # 12:12 + 900 s = 12:27:00; at 12:13 that is 840 s (14 minutes) away.
    assert attempt(session, at=at, client="10.0.9.9") == "wait 840"
    assert attempt(session, at=at, client=HOME) == "ok"


def test_a_known_address_is_slowed_by_its_own_failures_only(session: Session) -> None:
    make_ana(session)
    assert attempt(session, at=NOON - timedelta(hours=1), client=HOME) == "ok"
    failures(session, at=[NOON] * 20, client=ATTACKER)  # 20 elsewhere: not counted at HOME
    failures(session, at=[NOON] * 3, client=HOME)  # 3 at HOME: 1 s after noon
    assert attempt(session, at=NOON, client=HOME) == "wait 1"
    assert attempt(session, at=NOON + timedelta(seconds=1), client=HOME) == "ok"


def test_an_address_is_known_for_thirty_days(session: Session) -> None:
    make_ana(session)
    assert attempt(session, at=NOON - timedelta(days=31), client=HOME) == "ok"
    failures(session, at=[NOON] * 4, client=ATTACKER)  # 4 on the account: 2 s after noon
    assert attempt(session, at=NOON, client=HOME) == "wait 2"  # 31 days: a stranger again


def test_an_address_failing_on_many_accounts_waits_after_ten(session: Session) -> None:
    """Fourteen failures from one address on fourteen emails, 12:00:00 to 12:00:13: that
    address waits 2 ** (14 - 10) = 16 s after the last, until 12:00:29; another address
    does not wait, and neither does one that ana signed in from."""
    make_ana(session)
    assert attempt(session, at=NOON - timedelta(hours=1), client=HOME) == "ok"
    for number in range(14):
        failures(
            session, at=[NOON + timedelta(seconds=number)], client=HOME, email=f"u{number}@x.org"
        )
    at = NOON + timedelta(seconds=14)
    assert attempt(session, at=at, client=HOME, email="bo@acme.org") == "wait 15"
    assert attempt(session, at=at, client="192.0.2.1", email="bo@acme.org") == "wrong"
    assert attempt(session, at=at, client=HOME) == "ok"  # ana is known at HOME


def test_a_success_starts_the_account_count_again(session: Session) -> None:
    make_ana(session)
    failures(session, at=[NOON] * 5, client=ATTACKER)  # 5: 4 s after noon
    assert attempt(session, at=NOON + timedelta(seconds=4), client=HOME) == "ok"
    # Counted since the success: one failure, no wait.
    assert attempt(session, at=NOON + timedelta(seconds=5), client=ATTACKER, password="x") == (
        "wrong"
    )
    assert attempt(session, at=NOON + timedelta(seconds=5), client=ATTACKER) == "ok"


def test_unknown_emails_are_throttled_like_accounts(session: Session) -> None:
    failures(session, at=[NOON] * 3, client=ATTACKER, email="nobody@acme.org")
    assert attempt(session, at=NOON, client="192.0.2.1", email="NOBODY@acme.org") == "wait 1"


def test_the_answer_says_how_long_to_wait_and_retry_after_says_it_too() -> None:
    refused = TooManyAttempts(840)
    assert refused.message == (
        "too many failed sign-ins for this account or from this address: try again in "
        "14 minutes (each further failure makes the wait longer, up to 15 minutes)"
    )
    assert (refused.detail, refused.headers) == (840, {"Retry-After": "840"})
    assert isinstance(refused, Forbidden)
    assert throttle.duration(1) == "1 second" and throttle.duration(119) == "119 seconds"


def test_old_attempts_are_pruned(session: Session) -> None:
    make_ana(session)
    assert attempt(session, at=NOON - timedelta(days=31), client=HOME) == "ok"
    failures(session, at=[NOON - timedelta(hours=25)], client=ATTACKER)
    assert attempt(session, at=NOON, client=ATTACKER, password="wrong one") == "wrong"
    rows = session.execute(select(SignInAttemptRow.at, SignInAttemptRow.succeeded)).all()
    assert [(at, succeeded) for at, succeeded in rows] == [(NOON, False)]


def test_processes_share_the_count_through_the_database(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as first:
        make_ana(first)
        failures(first, at=[NOON] * 3, client=ATTACKER)
    with sessions() as second:
        assert attempt(second, at=NOON, client="192.0.2.1") == "wait 1"
