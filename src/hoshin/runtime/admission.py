"""Admission: how many requests of one process run at once.

A route runs in the thread pool (40 threads) and holds a database connection from its first
query until its thread commits (runtime.one_thread). With more requests in flight than pooled
connections, every thread could wait for a connection that only a request waiting for a
thread would give back: under 50 clients the process once stalled until the pool's 30 s
timeout (when a session's exit needed a thread of its own). So at most ``limit``
requests are inside the app at once, fewer than the pool holds; the others wait in the event
loop, holding neither a thread nor a connection. Two cores gain nothing from more anyway:
more threads only contend for the interpreter lock.

SQLite's writers take their turns in the store (runtime.turns), for the time of their write
transaction only.

A check-in (a PUT of a month's actual without If-Match) is let in without a slot: it waits
for the process's writer of check-ins in the event loop (runtime.group_commit), holding
neither a thread nor a connection, and the more of them wait, the more share a transaction.
If it needs a thread after all (the month has an actual: a correction), it takes a slot then
(``Slots.taken``).

Written here because the servers' own limits answer 503 to requests over the limit
(uvicorn's --limit-concurrency) instead of queueing them.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

LIMIT = 8  # requests of one process inside the app at once


def request_limit(engine: Engine | None) -> int:
    """LIMIT, or fewer when ``engine``'s pool holds fewer connections: one stays free for
    the request that notes a token's use on a connection of its own (api.deps)."""
    if engine is None:  # sessions without a database (the OpenAPI schema alone)
        return LIMIT
    pool = engine.pool
    overflow: int = getattr(pool, "_max_overflow", -1)  # -1: no bound (SQLAlchemy's own)
    if not isinstance(pool, QueuePool) or overflow < 0:
        return LIMIT
    return max(1, min(LIMIT, pool.size() + overflow - 1))


class Slots:
    """At most ``limit`` requests of a process hold a slot at once; the others wait."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        # asyncio's locks belong to one event loop; a test may run the app on several.
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    @asynccontextmanager
    async def taken(self) -> AsyncIterator[None]:
        """A slot, for as long as the block runs (waiting for one first)."""
        loop = asyncio.get_running_loop()
        slots = self._by_loop.get(loop)
        if slots is None:
            slots = self._by_loop[loop] = asyncio.Semaphore(self.limit)
        async with slots:
            yield


def never(_: Scope) -> bool:
    """No request is let in without a slot."""
    return False


class Admission:
    """ASGI middleware: at most ``limit`` HTTP requests at once, except those that
    ``without_slot`` says wait without a thread."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = LIMIT,
        slots: Slots | None = None,
        without_slot: Callable[[Scope], bool] = never,
    ) -> None:
        self.app = app
        self.slots = slots or Slots(limit)
        self.without_slot = without_slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.without_slot(scope):
            await self.app(scope, receive, send)
            return
        async with self.slots.taken():
            try:
                await self.app(scope, receive, send)
            except ClientDisconnect:
                return  # it left while waiting its turn: no one to answer, nothing to log
