"""``hoshin worker``: the scheduler pass and the outbox's delivery, each message once.

A pass (``Notifier.run_pass``) does two things:

1. For each organisation whose day was not scheduled by this process yet, or whose plan
   changed since (a red metric is told within a pass, not the next day): the reminders as
   of the day (service.scheduler), told in chunks of a few thousand notices, each chunk
   committed on its own, so that the server's writers (check-ins) wait for one chunk at most;
   and, once a day, the daily digests of the day before.
2. Every due message of the outbox, delivered with one Deliverer (runtime.delivery), each
   marked sent, to retry (domain.retry: 30 s, 1 min, ... at most an hour apart) or failed
   (a permanent refusal, or 24 hours after it was queued) in a transaction of its own. A
   failing SMTP server or webhook delays only its own messages.

PostgreSQL lets several workers share the outbox: each claims one message at a time with
FOR UPDATE SKIP LOCKED and holds its row locked while it sends it; a worker killed mid-send
loses its connection and its lock, and the message is pending again. SQLite has one worker
(``one_worker``: a lock file beside the database); it reads the due messages, ends that read
and marks each message in a short write transaction, so no transaction is open during a send.

E-mail off (no HOSHIN_SMTP_URL): e-mails stay pending and go once it is set; one still
unsent 24 hours after it was queued is given up ("e-mail is off"), as a failing one is, so
that no stale reminder goes out days later.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import FrameType

from sqlalchemy.orm import Session, sessionmaker

from hoshin.config import Settings, settings
from hoshin.domain.retry import GIVE_UP_AFTER, next_attempt
from hoshin.errors import HoshinError
from hoshin.runtime.delivery import Deliverer, Outcome, email_on
from hoshin.runtime.engine import begin_writing
from hoshin.runtime.sessions import DATABASE_ERROR, database_busy
from hoshin.service.analysis import AnalysisCache
from hoshin.service.scheduler import chunks, daily_digests, owed, tell_chunk
from hoshin.store.organization import OrganizationRow, list_organizations
from hoshin.store.outbox import (
    Message,
    claim_message,
    due_messages,
    give_up_unsent,
    mark_failed,
    mark_retry,
    mark_sent,
    pending_count,
)

_log = logging.getLogger("hoshin.worker")
Sessions = sessionmaker[Session]
BATCH = 200  # due messages SQLite's worker reads at once
EMAIL_OFF = "e-mail is off (HOSHIN_SMTP_URL is not set)"
INTERVAL_SECONDS = 30.0


@dataclass
class PassSummary:
    """What one pass did."""

    organizations: int = 0  # scheduled in this pass
    notices: int = 0  # told now
    digests: int = 0  # daily digest e-mails queued
    emails: int = 0  # sent
    webhooks: int = 0  # sent
    retries: int = 0  # failed tries to be made again
    failed: int = 0  # given up
    emails_waiting: int = 0  # e-mail off: pending e-mails

    def line(self) -> str:
        """The pass in one line, as ``hoshin worker`` prints it."""
        text = (
            f"scheduled {self.organizations} organisation(s), told {self.notices} notice(s), "
            f"sent {self.emails} e-mail(s) and {self.webhooks} webhook call(s), "
            f"{self.retries} to retry, {self.failed} failed"
        )
        if self.digests:
            text += f", {self.digests} daily digest(s) queued"
        if self.emails_waiting:
            text += f"; {EMAIL_OFF}: {self.emails_waiting} e-mail(s) wait"
        return text

    def busy(self) -> bool:
        """Whether the pass did anything."""
        return any((self.organizations, self.notices, self.digests, self.emails,
                    self.webhooks, self.retries, self.failed))  # fmt: skip


class Notifier:
    """The worker of one process: what it has scheduled, its kept plans, its stop signal."""

    def __init__(self, sessions: Sessions, *, config: Settings | None = None) -> None:
        self.sessions = sessions
        self.config = config if config is not None else settings()
        self.cache = AnalysisCache(organizations=4)
        self.stopping = threading.Event()
        self._scheduled: dict[int, tuple[date, int]] = {}  # org id -> (as-of day, plan version)
        self._digested: dict[int, date] = {}  # org id -> the day whose digests are queued
        self._said_email_off = False
        engine = sessions.kw["bind"]
        self.postgres = engine.dialect.name == "postgresql"

    def run_pass(self, *, as_of: date | None = None, now: datetime | None = None) -> PassSummary:
        """One pass: schedule what is due as of ``as_of`` (today) and deliver what is due at
        ``now`` (the clock's UTC time)."""
        moment = now if now is not None else datetime.now(UTC)
        day = as_of if as_of is not None else _today()
        summary = PassSummary()
        self.schedule(day, moment, summary)
        self.deliver(moment, summary)
        return summary

    def schedule(self, as_of: date, now: datetime, summary: PassSummary) -> None:
        """Runs the scheduler for each organisation not yet scheduled for ``as_of`` at its
        plan version, and queues the daily digests of the day before ``now``."""
        with self.sessions() as session:
            orgs = list_organizations(session)
        yesterday = now.astimezone(UTC).date() - timedelta(days=1)
        for org in orgs:
            if self.stopping.is_set():
                return
            if self._scheduled.get(org.id) != (as_of, org.plan_version):
                self._schedule_org(org, as_of, now, summary)
            if self._digested.get(org.id) != yesterday:
                with self.sessions() as session:
                    begin_writing(session)
                    summary.digests += daily_digests(session, org=org, day=yesterday, now=now)
                    session.commit()
                self._digested[org.id] = yesterday

    def _schedule_org(
        self, org: OrganizationRow, as_of: date, now: datetime, summary: PassSummary
    ) -> None:
        with self.sessions() as session:  # a read, ended before the first chunk writes
            found = owed(session, org=org, as_of=as_of, cache=self.cache)
        for chunk in chunks(found.notices):
            if self.stopping.is_set():
                return  # the keys let the next pass tell the rest, and only the rest
            with self.sessions() as session:
                begin_writing(session)
                told = tell_chunk(session, org=org, notices=chunk, now=now)
                session.commit()
            summary.notices += told.notices
        self._scheduled[org.id] = (as_of, found.plan_version)
        summary.organizations += 1

    def deliver(self, now: datetime, summary: PassSummary) -> None:
        """Delivers every message due at ``now``, each marked in its own transaction."""
        channels: tuple[str, ...] = ("email", "webhook")
        if not email_on(self.config):
            channels = ("webhook",)
            self._email_off(now, summary)
        deliverer = Deliverer(self.config)
        try:
            if self.postgres:
                self._deliver_claiming(deliverer, channels, now, summary)
            else:
                self._deliver_reading(deliverer, channels, now, summary)
        finally:
            deliverer.close()

    def _email_off(self, now: datetime, summary: PassSummary) -> None:
        with self.sessions() as session:
            begin_writing(session)
            summary.failed += give_up_unsent(
                session, channel="email", queued_before=now - GIVE_UP_AFTER,
                error=f"{EMAIL_OFF}: not sent within 24 hours",
            )  # fmt: skip
            summary.emails_waiting = pending_count(session, channel="email")
            session.commit()
        if summary.emails_waiting and not self._said_email_off:
            _log.warning(
                "%s: e-mails wait in the outbox and go once it is set; one unsent 24 hours "
                "after it was queued is given up", EMAIL_OFF,
            )  # fmt: skip
            self._said_email_off = True

    def _deliver_claiming(
        self, deliverer: Deliverer, channels: tuple[str, ...], now: datetime, summary: PassSummary
    ) -> None:
        """PostgreSQL: one message per transaction, its row locked while it is sent."""
        after = 0
        while not self.stopping.is_set():
            with self.sessions() as session:
                message = claim_message(session, now=now, channels=channels, after=after)
                if message is None:
                    return
                outcome = _send(deliverer, message)
                _record(session, message, outcome, now, summary)
                session.commit()
            after = message.id

    def _deliver_reading(
        self, deliverer: Deliverer, channels: tuple[str, ...], now: datetime, summary: PassSummary
    ) -> None:
        """SQLite: due messages read without a transaction held during the sends."""
        after = 0
        while not self.stopping.is_set():
            with self.sessions() as session:
                batch = due_messages(session, now=now, channels=channels, after=after, limit=BATCH)
            if not batch:
                return
            for message in batch:
                if self.stopping.is_set():
                    return
                outcome = _send(deliverer, message)
                with self.sessions() as session:
                    begin_writing(session)
                    _record(session, message, outcome, now, summary)
                    session.commit()
                after = message.id

    def run_forever(
        self,
        *,
        interval: float = INTERVAL_SECONDS,
        as_of: date | None = None,
        on_pass: Callable[[PassSummary], None] = lambda summary: None,
    ) -> None:
        """Passes ``interval`` seconds apart until SIGTERM or SIGINT (or ``stop``); a pass
        that fails is logged and the next one tries again."""
        with _stopping_on_signals(self.stop):
            while not self.stopping.is_set():
                try:
                    on_pass(self.run_pass(as_of=as_of))
                except (HoshinError, OSError, RuntimeError) as error:
                    _log.error("the worker's pass failed: %s", error)
                except DATABASE_ERROR as error:
                    if not database_busy(error):  # a database lost, say: as below
                        _log.exception("the worker's pass failed")
                    else:  # another program wrote past the busy timeout: no traceback
                        _log.warning("the worker's pass found the database busy: next pass")
                except Exception:  # a database lost, say: the next pass opens it again
                    _log.exception("the worker's pass failed")
                self.stopping.wait(interval)

    def stop(self) -> None:
        """Ends run_forever after the message or chunk at hand."""
        self.stopping.set()


def run_pass(
    sessions: Sessions, *, as_of: date | None, now: datetime, config: Settings | None = None
) -> PassSummary:
    """One pass of a new Notifier (a process that schedules every organisation afresh)."""
    return Notifier(sessions, config=config).run_pass(as_of=as_of, now=now)


def _today() -> date:
    # The plan's calendar is the organisation's local one, as the CLI's today().
    return date.today()  # noqa: DTZ011


def _send(deliverer: Deliverer, message: Message) -> Outcome:
    """The outcome of one message; never raises (an error of one message is its own)."""
    try:
        if message.channel == "email":
            return deliverer.email(to=message.recipient, payload=message.payload, key=message.key)
        if message.secret is None:
            return Outcome(False, None, "the webhook was removed", permanent=True)
        return deliverer.webhook(
            url=message.recipient, body=message.payload, secret=message.secret,
            format=message.format or "json", delivery_id=str(message.payload.get("id", "")),
            event=str(message.payload.get("event", "")),
        )  # fmt: skip
    except Exception as error:  # a bug in one message's delivery must not stop the others
        _log.exception("delivering outbox message %s failed", message.id)
        return Outcome(False, None, f"hoshin failed to deliver it: {type(error).__name__}")


def _record(
    session: Session, message: Message, outcome: Outcome, now: datetime, summary: PassSummary
) -> None:
    """Marks the message sent, to retry, or failed."""
    if outcome.delivered:
        mark_sent(session, message_id=message.id, code=outcome.code, now=now)
        if message.channel == "email":
            summary.emails += 1
        else:
            summary.webhooks += 1
        return
    error = outcome.error or "not delivered"
    when = (
        None if outcome.permanent else next_attempt(message.attempts + 1, message.created_at, now)
    )
    if when is None:
        reason = error if outcome.permanent else f"{error}; given up after 24 hours of tries"
        mark_failed(session, message_id=message.id, code=outcome.code, error=reason)
        summary.failed += 1
        _log.warning("outbox message %s (%s) failed: %s", message.id, message.channel, reason)
        return
    mark_retry(session, message_id=message.id, next_attempt_at=when, code=outcome.code, error=error)
    summary.retries += 1
    _log.info("outbox message %s (%s) to retry at %s: %s", message.id, message.channel,
              when.isoformat(), error)  # fmt: skip


@contextlib.contextmanager
def one_worker(sessions: Sessions) -> Iterator[None]:
    """While it lasts, this process is the one worker of its SQLite database (a lock file
    beside it: ``{database}.worker``); a second is refused with HoshinError. PostgreSQL
    and a database in memory need nothing."""
    engine = sessions.kw["bind"]
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    path = Path(f"{database}.worker").resolve()
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise HoshinError(
                f"another hoshin worker is running on the SQLite database {database} (it holds "
                f"{path}): SQLite has one worker; run several only on PostgreSQL"
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing the file ends the lock; the kernel ends it at a crash


@contextlib.contextmanager
def _stopping_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGTERM and SIGINT call ``stop`` while it lasts (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        _log.info("stopping after the message at hand (signal %s)", signum)
        stop()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
