"""SQLite: a transaction that will write begins with the write lock, so concurrent writers
wait their turn instead of failing with "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hoshin.store.db import begin_writing, make_engine, session_factory

WRITERS, ROUNDS = 8, 10


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

    threads = [threading.Thread(target=work) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
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
