"""A thread of a process that takes what requests hand it in batches: all that has come
while it worked on the last one, at most ``size`` at a time (runtime.group_commit,
runtime.lookups), and answers the requesters, who wait in their event loop.

Written here because the thread pools of the standard library and anyio hand each call
over alone; a batch is what lets many requests share one transaction or one query. The
items wait in a queue.SimpleQueue (its put and get in C: a threading.Condition's notify
and wait, in Python, were a tenth of a lookup's CPU, py-spy), and each requester waits on
an asyncio future that the thread settles in the requester's loop, one call_soon_threadsafe
per loop and batch (a concurrent.futures.Future wrapped by asyncio.wrap_future cost a lock,
a Condition and a loop wake-up per requester).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
IDLE_SECONDS = 2.0  # the thread ends after this long without work (the next hand starts one)

Answer = asyncio.Future[Any]  # what a requester awaits, settled in its event loop


class Batches(Generic[T]):
    """Items handed to one thread, which passes them to ``work`` in batches; ``work`` must
    not raise (it tells each item's requester its own outcome)."""

    def __init__(self, name: str, work: Callable[[list[T]], None], size: int = 64) -> None:
        self._name = name
        self._work = work
        self._size = size
        self._waiting: queue.SimpleQueue[T] = queue.SimpleQueue()
        self._starting = threading.Lock()  # taken to start the thread or to end it
        self._running = False  # the thread runs
        self._in_batch = 0  # items it works on now

    def hand(self, item: T) -> None:
        """Hands ``item`` to the thread (starting it if it had ended)."""
        self._waiting.put(item)
        if not self._running:  # read without the lock: the thread checks again as it ends
            with self._starting:
                if not self._running:
                    self._running = True
                    threading.Thread(target=self._run, name=self._name, daemon=True).start()

    def waiting(self) -> int:
        """How many items are handed and not done: those of the batch and the next."""
        return self._waiting.qsize() + self._in_batch

    def _run(self) -> None:
        while (batch := self._next()) is not None:
            self._in_batch = len(batch)
            try:
                self._work(batch)
            finally:
                self._in_batch = 0

    def _next(self) -> list[T] | None:
        """What has come, at most ``size``, waiting for the first; None when the thread ends."""
        try:
            batch = [self._waiting.get(timeout=IDLE_SECONDS)]
        except queue.Empty:
            with self._starting:
                # Marked ended before the last look: an item handed after it starts a thread.
                self._running = False
                if self._waiting.empty():
                    return None
                self._running = True
            batch = [self._waiting.get()]
        while len(batch) < self._size:
            try:
                batch.append(self._waiting.get_nowait())
            except queue.Empty:
                break
        return batch


def tell(answers: Iterable[tuple[Answer, object]]) -> None:
    """Gives each requester waiting on its future its outcome (raised if it is an exception),
    from a batch thread: one call into each event loop. Nothing to a requester that has gone
    (its task was cancelled while it waited, which cancels the future): setting it would
    raise, and the others would not be answered. Nothing either to a loop that has closed."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Answer, object]]] = {}
    for done, outcome in answers:
        by_loop.setdefault(done.get_loop(), []).append((done, outcome))
    for loop, told in by_loop.items():
        with contextlib.suppress(RuntimeError):  # the loop has closed: no one waits there
            loop.call_soon_threadsafe(_settle, told)


def _settle(told: list[tuple[Answer, object]]) -> None:
    """In the requesters' event loop: each future's outcome, unless it is done already."""
    for done, outcome in told:
        if done.done():
            continue
        if isinstance(outcome, Exception):
            done.set_exception(outcome)
        else:
            done.set_result(outcome)
