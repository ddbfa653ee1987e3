"""Admission: how many requests of one process run at once, and SQLite's writers in turn.

A route runs in the thread pool (40 threads) and holds a database connection from its first
query until its session closes, in the dependency's exit, which needs a thread of its own.
With more requests in flight than pooled connections (SQLAlchemy's default: 5 + 10), every
thread could wait for a connection that only a request waiting for a thread would give back:
under 50 clients the process stalled until the pool's 30 s timeout. So at most ``limit``
requests are inside the app at once, fewer than the pool holds; the others wait in the event
loop, holding neither a thread nor a connection. Two cores gain nothing from more anyway:
more threads only contend for the interpreter lock.

On SQLite one writer at a time holds the database's write lock and the others poll for it
(SQLite's busy handler sleeps 1, 2, 5 ... 100 ms between tries, so 50 writers starved each
other past the busy timeout: "database is locked"). Here the requests that may write wait
for their turn in the event loop instead, one per process, and that one waits for a lock on
a file beside the database (``flock``: the kernel wakes the next process as soon as the
lock is free, and frees it when a process dies), so SQLite never has to poll.

Written here because the servers' own limits answer 503 to requests over the limit
(uvicorn's --limit-concurrency) instead of queueing them.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import weakref
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import anyio.to_thread
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from hoshin.service.store import READS

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


class Admission:
    """ASGI middleware: at most ``limit`` HTTP requests at once, and, with ``writers_in_turn``,
    one request at a time whose method may write."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = LIMIT,
        writers_in_turn: bool,
        writers_file: Path | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.writers_in_turn = writers_in_turn
        self.writers_file = writers_file  # the lock the processes take turns on, if any
        # asyncio's locks belong to one event loop; a test may run the app on several.
        self._gates: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[asyncio.Semaphore, asyncio.Lock]
        ] = weakref.WeakKeyDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        slots, writer = self._gates_of(asyncio.get_running_loop())
        async with AsyncExitStack() as turn:
            if self.writers_in_turn and scope["method"] not in READS:
                await turn.enter_async_context(writer)
                if self.writers_file is not None:
                    await turn.enter_async_context(_file_turn(self.writers_file))
            await turn.enter_async_context(slots)
            try:
                await self.app(scope, receive, send)
            except ClientDisconnect:
                return  # it left while waiting its turn: no one to answer, nothing to log

    def _gates_of(self, loop: asyncio.AbstractEventLoop) -> tuple[asyncio.Semaphore, asyncio.Lock]:
        gates = self._gates.get(loop)
        if gates is None:
            gates = self._gates[loop] = (asyncio.Semaphore(self.limit), asyncio.Lock())
        return gates


@asynccontextmanager
async def _file_turn(path: Path) -> AsyncIterator[None]:
    """Holds an exclusive lock on ``path`` (created if missing) while the block runs."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        await anyio.to_thread.run_sync(fcntl.flock, descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the file releases its lock


def writers_file(engine: Engine | None) -> Path | None:
    """The file SQLite's writers of every process take turns on: beside the database; None
    for PostgreSQL or a database in memory."""
    if engine is None or engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}.writers")
