"""Lookups (runtime.lookups): the queries that hot reads wait for, run by one thread, those
that wait together in one session, each key once, each waiter with its own key's answer."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from hoshin.errors import NotFound
from hoshin.runtime.engine import session_factory
from hoshin.runtime.lookups import Lookups


def test_lookups_that_wait_together_run_once_per_key_in_one_session(engine: Engine) -> None:
    """The first lookup holds the thread until the others wait: those six run together,
    'a' once for its three waiters, 'b' once for its two (each told its NotFound), 'c' once;
    a key already handed is not handed again (three hands for six lookups)."""
    lookups = Lookups(session_factory(engine))
    holding, let_go = threading.Event(), threading.Event()
    calls: Counter[str] = Counter()
    sessions: set[int] = set()

    def first(session: Session) -> str:
        holding.set()
        assert let_go.wait(30)
        return "first"

    def answer(key: str) -> Any:
        def find(session: Session) -> int:
            calls[key] += 1
            sessions.add(id(session))
            if key == "b":
                raise NotFound("no organisation 'b'")
            return int(session.execute(text("SELECT 40 + 2")).scalar_one())

        return find

    async def run() -> list[Any]:
        held = asyncio.ensure_future(lookups.find("first", first))
        # the thread runs 'first' and waits (an event, not a pause: any host, any load)
        assert await asyncio.to_thread(holding.wait, 30)
        keys = ["a", "b", "a", "c", "b", "a"]
        waiting = [asyncio.ensure_future(lookups.find(k, answer(k))) for k in keys]
        await asyncio.sleep(0)  # each task runs to its hand-over and waits
        assert lookups._batches.waiting() == 1 + 3  # 'first' in the thread, a b c handed
        let_go.set()
        return [await held, *await asyncio.gather(*waiting, return_exceptions=True)]

    held, a1, b1, a2, c, b2, a3 = asyncio.run(run())
    assert held == "first"
    assert (a1, a2, a3, c) == (42, 42, 42, 42)
    assert isinstance(b1, NotFound) and isinstance(b2, NotFound)
    assert str(b2) == "no organisation 'b'"
    assert calls == {"a": 1, "b": 1, "c": 1}
    assert len(sessions) == 1  # the six in one session


def test_a_lookup_asked_after_its_key_was_taken_runs_again(engine: Engine) -> None:
    """A lookup of a key whose query the thread has begun does not share that answer (it
    may be older than the question): it is handed anew and runs again, after it."""
    lookups = Lookups(session_factory(engine))
    running, let_go = threading.Event(), threading.Event()
    answers = iter(["older", "newer"])

    def find(session: Session) -> str:
        running.set()
        assert let_go.wait(30)
        return next(answers)

    async def run() -> list[str]:
        first = asyncio.ensure_future(lookups.find("a", find))
        assert await asyncio.to_thread(running.wait, 30)  # the thread took 'a' and runs it
        second = asyncio.ensure_future(lookups.find("a", find))
        await asyncio.sleep(0)
        assert lookups._batches.waiting() == 1 + 1  # the running one, and 'a' handed again
        let_go.set()
        return [await first, await second]

    assert asyncio.run(run()) == ["older", "newer"]


def test_a_database_error_is_told_to_each_lookup_of_its_batch(engine: Engine) -> None:
    lookups = Lookups(session_factory(engine))

    def broken(session: Session) -> int:
        return int(session.execute(text("SELECT * FROM no_such_table")).scalar_one())

    async def run() -> Any:
        return await lookups.find("x", broken)

    with pytest.raises(Exception, match="no_such_table"):
        asyncio.run(run())
