"""SQLite: a transaction that will write takes its writers' turn (runtime.turns) and begins with
the write lock, so concurrent writers wait their turn instead of failing with "database is
locked"; the turn lasts as long as the write transaction."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hoshin.errors import Busy
from hoshin.runtime.engine import (
    begin_writing,
    end_reading,
    make_engine,
    read_first,
    session_factory,
    writes,
)
from hoshin.runtime.turns import WriterTurn, turn_of, writers_file

WRITERS, ROUNDS = 8, 10


class Inside:
    """How many threads are inside a block at once, and the most there ever were."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self._guard = threading.Lock()

    def __enter__(self) -> None:
        with self._guard:
            self.now += 1
            self.most = max(self.most, self.now)

    def __exit__(self, *_: object) -> None:
        with self._guard:
            self.now -= 1


def in_threads(work: Callable[..., None], arguments: list[tuple[Any, ...]]) -> None:
    """Runs ``work`` once per arguments, each in a thread of its own; waits for them all."""
    threads = [threading.Thread(target=work, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def counter_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'counter.db'}"
    with make_engine(url).begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    return url


def read_then_write(url: str, writing: bool) -> tuple[int, list[Exception]]:
    """WRITERS threads, each ROUNDS times: read the counter, then write it plus one."""
    sessions = session_factory(make_engine(url))
    failures: list[Exception] = []
    start = threading.Barrier(WRITERS)

    def work() -> None:
        start.wait()
        for _ in range(ROUNDS):
            with sessions() as session:
                try:
                    if writing:
                        begin_writing(session)
                    increment(session)
                    session.commit()
                except OperationalError as error:
                    failures.append(error)

    in_threads(work, [()] * WRITERS)
    with sessions() as session:
        return int(session.execute(text("SELECT n FROM counter")).scalar_one()), failures


def increment(session: Session) -> None:
    n = session.execute(text("SELECT n FROM counter")).scalar_one()
    session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})


def test_writers_that_begin_writing_all_succeed_and_lose_no_update(tmp_path: Path) -> None:
    # 8 writers x 10 increments, each reading the counter first: all 80 land, none lost
    # (each waits for the write lock before it reads).
    total, failures = read_then_write(counter_database(tmp_path), writing=True)
    assert failures == []
    assert total == WRITERS * ROUNDS


def test_without_it_a_reader_that_writes_fails_when_another_wrote_first(
    tmp_path: Path,
) -> None:
    # The failure begin_writing prevents, step by step: A reads (a deferred transaction),
    # B writes and commits, A's write fails at once: its snapshot is older than B's commit.
    sessions = session_factory(make_engine(counter_database(tmp_path)))
    with sessions() as reader, sessions() as writer:
        reader.execute(text("SELECT n FROM counter")).scalar_one()
        begin_writing(writer)
        increment(writer)
        writer.commit()
        with pytest.raises(OperationalError, match="database is locked"):
            reader.execute(text("UPDATE counter SET n = 100"))


def test_one_write_transaction_at_a_time_and_the_turn_comes_back_after_each(
    tmp_path: Path,
) -> None:
    # 8 writers x 10 transactions that each stay 2 ms inside, with SQLite's own wait for its
    # lock off (busy_timeout 0: without the turns they fail at once, "database is locked"):
    # none fails, never two are inside at once (from begin_writing until just before the
    # COMMIT), and after the last one, committed or rolled back, no writer has the turn.
    engine = make_engine(counter_database(tmp_path))
    event.listen(
        engine, "connect", lambda connection, _: connection.execute("PRAGMA busy_timeout = 0")
    )
    sessions = session_factory(engine)
    inside, failures = Inside(), list[Exception]()
    start = threading.Barrier(WRITERS)

    def work(index: int) -> None:
        start.wait()
        for round_ in range(ROUNDS):
            with sessions() as session:
                try:
                    begin_writing(session)
                    with inside:
                        increment(session)
                        time.sleep(0.002)
                except OperationalError as error:
                    failures.append(error)
                    continue
                if (index + round_) % 3:
                    session.commit()
                else:
                    session.rollback()

    in_threads(work, [(i,) for i in range(WRITERS)])
    assert failures == []
    assert inside.most == 1
    assert not turn_of(engine).taken()


def test_a_session_marked_as_writing_reads_first_outside_the_turn(tmp_path: Path) -> None:
    engine = make_engine(counter_database(tmp_path))
    with session_factory(engine)() as session:
        writes(session)
        read_first(session)
        session.execute(text("SELECT n FROM counter"))
        assert not turn_of(engine).taken()  # a reader: other writers go on meanwhile
        end_reading(session)
        increment(session)  # the next statement begins the writing transaction
        assert turn_of(engine).taken()
        session.commit()
    assert not turn_of(engine).taken()


def _most_inside_at_once(turns: list[WriterTurn]) -> int:
    """4 threads a turn, 5 times each: take it, stay 2 ms, give it back."""
    inside = Inside()

    def work(turn: WriterTurn) -> None:
        for _ in range(5):
            turn.take(timeout=10)
            with inside:
                time.sleep(0.002)
            turn.give_back()

    in_threads(work, [(turn,) for turn in turns * 4])
    return inside.most


def test_two_processes_on_one_file_take_turns_on_its_lock_file(tmp_path: Path) -> None:
    # Two WriterTurns on one path stand for two processes: each has its own lock and its own
    # open file, and flock makes the second wait for the first.
    lock = tmp_path / "hoshin.db.writers"
    assert _most_inside_at_once([WriterTurn(lock), WriterTurn(lock)]) == 1
    # While one has the turn, the file is locked for any other open file (another process's
    # is one): a lock that does not wait is refused at once, and granted once it is given back.
    first = WriterTurn(lock)
    first.take(timeout=10)
    other = os.open(lock, os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        first.give_back()
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)


def test_turns_without_a_lock_file_are_taken_at_once() -> None:
    # Without the file (path None: a database in memory, one process) two turns are two
    # processes' own locks: a thread holding each, both reach the barrier before either
    # gives its turn back (with the file the barrier would break after its timeout).
    together = threading.Barrier(2, timeout=10)
    met: list[bool] = []

    def work(turn: WriterTurn) -> None:
        turn.take(timeout=10)
        try:
            together.wait()
            met.append(True)
        except threading.BrokenBarrierError:
            met.append(False)
        finally:
            turn.give_back()

    in_threads(work, [(WriterTurn(None),), (WriterTurn(None),)])
    assert met == [True, True]


def test_a_writer_that_waits_too_long_in_its_process_is_told_the_database_is_busy() -> None:
    turn = WriterTurn(None)
    turn.take(timeout=1)
    waited = threading.Thread(target=lambda: failures.append(_busy(turn)))
    failures: list[str] = []
    waited.start()
    waited.join()
    turn.give_back()
    assert failures == ["the database was busy with other changes for 0 s"]


def _busy(turn: WriterTurn) -> str:
    try:
        turn.take(timeout=0.1)
    except Busy as error:
        return error.message
    return "took the turn"


def test_the_writers_file_is_beside_a_sqlite_file_only(tmp_path: Path) -> None:
    on_file = make_engine(f"sqlite:///{tmp_path / 'hoshin.db'}")
    assert writers_file(on_file) == tmp_path / "hoshin.db.writers"
    assert writers_file(make_engine("sqlite://")) is None  # in memory: one process only
