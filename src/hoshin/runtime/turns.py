"""SQLite's writers in turn: one write transaction at a time per database file, across the
threads of a process and across processes, queued by the kernel rather than by polling.

SQLite lets one connection write at a time, and the others poll for the lock: its busy
handler sleeps 1, 2, 5 ... 100 ms between tries, so 50 writers starved each other past the
busy timeout ("database is locked"). Here a transaction that will write first takes its
process's turn (a lock), then the database's (``flock`` on a file beside it: the kernel
wakes the next process as soon as the lock is free, and frees it when a process dies), and
only then begins (BEGIN IMMEDIATE), so SQLite never has to poll. The turn ends with the
transaction, so what a request does before it writes (reading the body, finding the asker)
and after (the answer) runs beside other writers.

Written here because neither SQLite nor SQLAlchemy queues writers.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.pool import Pool

from hoshin.errors import Busy


class WriterTurn:
    """The turn of one SQLite database's writers in this process."""

    def __init__(self, path: Path | None) -> None:
        self.path = path  # the lock file of the processes, None for a database in memory
        self._lock = threading.Lock()
        self._descriptor: int | None = None  # open while the process runs

    def take(self, timeout: float) -> None:
        """Waits for this thread's turn: up to ``timeout`` seconds behind the process's
        other writers (then raises Busy), then behind the other processes' writers."""
        if not self._lock.acquire(timeout=timeout):
            raise Busy(f"the database was busy with other changes for {timeout:.0f} s")
        try:
            if self.path is not None:
                if self._descriptor is None:
                    self._descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise

    def taken(self) -> bool:
        """Whether a writer of this process has the turn now."""
        return self._lock.locked()

    def give_back(self) -> None:
        """Ends the turn taken by ``take``: the next writer goes."""
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        self._lock.release()


_turns: dict[str, WriterTurn] = {}  # by lock file: every engine on a database shares one
_by_pool: weakref.WeakKeyDictionary[Pool, WriterTurn] = weakref.WeakKeyDictionary()
_turns_lock = threading.Lock()


def turn_of(engine: Engine) -> WriterTurn:
    """The writers' turn of ``engine``'s SQLite database in this process (one per file, for
    every engine on it)."""
    turn = _by_pool.get(engine.pool)
    if turn is not None:
        return turn
    path = writers_file(engine)
    key = str(path) if path is not None else f"memory:{id(engine.pool)}"
    with _turns_lock:
        turn = _turns.get(key)
        if turn is None:
            turn = _turns[key] = WriterTurn(path)
        _by_pool[engine.pool] = turn
        return turn


def writers_file(engine: Engine) -> Path | None:
    """The file SQLite's writers of every process take turns on: beside the database; None
    for a database in memory (one process only)."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}.writers").resolve()
