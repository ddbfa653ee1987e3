"""Lookups: the small queries that hot reads wait for in the event loop, run by one thread
of the process, those that come meanwhile in one session, each key once.

An objective read or the analysis summary needs one query (who asks, their role, the plan
version: api.deps) and then only the kept analysis, in memory. Run in a thread of the pool,
each such read paid a hand-off between the event loop and a thread and back, more than the
query itself (BENCHMARKS.md). Here the reads hand their query to one lookup thread and wait
in the event loop; the thread runs what has come meanwhile in one session (on PostgreSQL
outside a transaction, runtime.engine.reads; on SQLite one reader transaction for them all) and
wakes each read. Lookups with the same key (the same credentials and organisation) that
wait together are run once: they were all asked before the query ran, so its answer is
at least as new as what each would have seen alone. A lookup whose key is already handed
and not yet taken by the thread waits for that one's answer in the event loop, without
handing anything: under load most reads share a few keys (a script's token), and each hand
to the thread cost more CPU than the rest of the read (a wake-up of the thread under its lock).

Written here because the thread pools of asyncio and anyio hand each call over alone
(runtime.batches).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from hoshin.errors import HoshinError
from hoshin.runtime.batches import Answer, Batches, tell
from hoshin.runtime.sessions import new_request_session, once_more_if_lost

T = TypeVar("T")
BATCH = 64  # lookups in one session at most

Handed = tuple[asyncio.AbstractEventLoop, Hashable]  # a lookup's event loop and key
Asked = tuple[Handed, Callable[[Session], Any], Answer]


class Lookups:
    """The lookup thread of one process."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._batches: Batches[Asked] = Batches("hoshin-lookups", self._answer, BATCH)
        # The lookups handed and not yet taken by the thread, by event loop and key; the
        # thread takes a batch's keys out under the lock before it runs their queries.
        self._handed: dict[Handed, Answer] = {}
        self._lock = threading.Lock()

    async def find(self, key: Hashable, find: Callable[[Session], T]) -> T:
        """``find(session)``'s answer, or what it raises, from the lookup thread, while this
        coroutine waits; a lookup of the same ``key`` waiting with it shares the answer."""
        loop = asyncio.get_running_loop()
        handed: Handed = (loop, key)
        with self._lock:
            answer = self._handed.get(handed)
            if answer is None:
                answer = self._handed[handed] = loop.create_future()
                self._batches.hand((handed, find, answer))
        # Shielded: a request that goes away must not cancel the answer the others wait for.
        found: T = await asyncio.shield(answer)
        return found

    def _answer(self, batch: list[Asked]) -> None:
        with self._lock:  # from now on a lookup of these keys hands a new one
            for key, _, _ in batch:
                self._handed.pop(key, None)
        try:
            found = once_more_if_lost(lambda: self._found(batch))
        except Exception as error:  # the database failed: every one of them is told
            found = {key: error for key, _, _ in batch}
        tell((done, found[key]) for key, _, done in batch)

    def _found(self, batch: list[Asked]) -> dict[Handed, Any]:
        """Each key's answer, or what refused it, in one session."""
        found: dict[Handed, Any] = {}
        with new_request_session(self._sessions, "GET") as session:
            for key, find, _ in batch:
                if key not in found:
                    try:
                        found[key] = find(session)
                    except HoshinError as error:
                        found[key] = error
            session.commit()
        return found
