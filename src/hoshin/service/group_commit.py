"""Group commit of check-ins: the months' first actuals that a process's requests record
at about the same time are written in one transaction.

Every write to an organisation's plan goes one at a time: SQLite has one writer, and on
PostgreSQL a change holds the organisation's plan-version row until it commits. With one
transaction per check-in, 50 clients recording actuals waited for each other's BEGIN,
statements and COMMIT, and for the threads in between (PUT p95 141-305 ms, BENCHMARKS.md).
Here a request checks its actual (who may record it, the value) in its own transaction and
hands it to the process's writer thread; the writer writes what has come meanwhile with one
INSERT, one plan version per organisation and one statement of audit events, commits, and
answers each request. While it writes, the next batch gathers.

Written here because neither SQLAlchemy nor the databases batch transactions of separate
requests.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from hoshin.errors import NotFound
from hoshin.service.metric import Actual, NewActual, PreconditionFailed, record_new_actuals
from hoshin.store.db import begin_writing

BATCH = 64  # actuals in one transaction at most
IDLE_SECONDS = 2.0  # the writer thread ends after this long without work (a new one starts)


class NewActuals:
    """The writer of one process's new actuals."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._ready = threading.Condition()
        self._waiting: list[tuple[NewActual, Future[Actual]]] = []
        self._writing = False  # a writer thread runs
        self._in_batch = 0  # actuals that it is writing now

    def record(self, actual: NewActual) -> Actual:
        """Writes ``actual`` with the others waiting and returns it as saved; raises what
        record_actual would (PreconditionFailed when someone created the month first,
        NotFound when its metric was deleted) or the database's error."""
        done: Future[Actual] = Future()
        with self._ready:
            self._waiting.append((actual, done))
            if not self._writing:
                self._writing = True
                threading.Thread(target=self._run, name="hoshin-new-actuals", daemon=True).start()
            self._ready.notify()
        return done.result()

    def waiting(self) -> int:
        """How many actuals wait for their answer now: those being written and the next."""
        with self._ready:
            return len(self._waiting) + self._in_batch

    def write(self, actuals: Sequence[NewActual]) -> list[Actual | Exception]:
        """Writes ``actuals`` in one transaction; when one's metric was deleted meanwhile,
        each in a transaction of its own, so that only that one fails."""
        try:
            return list(self._transaction(actuals))
        except IntegrityError:
            pass
        alone: list[Actual | Exception] = []
        for actual in actuals:
            try:
                alone.extend(self._transaction([actual]))
            except IntegrityError:  # the metric's foreign key
                alone.append(NotFound(f"no metric '{actual.metric}'"))
        return alone

    def _transaction(self, actuals: Sequence[NewActual]) -> list[Actual | PreconditionFailed]:
        with self._sessions() as session:
            begin_writing(session)
            results = record_new_actuals(session, actuals)
            session.commit()
            return results

    def _run(self) -> None:
        while True:
            with self._ready:
                if not self._waiting:
                    self._ready.wait(IDLE_SECONDS)
                if not self._waiting:
                    self._writing = False
                    return
                batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
                self._in_batch = len(batch)
            self._answer(batch)
            with self._ready:
                self._in_batch = 0

    def _answer(self, batch: list[tuple[NewActual, Future[Actual]]]) -> None:
        try:
            results = self.write([actual for actual, _ in batch])
        except Exception as error:  # the database failed: every one of them is told
            for _, done in batch:
                done.set_exception(error)
            return
        for (_, done), result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                done.set_exception(result)
            else:
                done.set_result(result)
