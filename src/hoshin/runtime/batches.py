"""A thread of a process that takes what requests hand it in batches: all that has come
while it worked on the last one, at most ``size`` at a time (runtime.group_commit,
runtime.lookups).

Written here because the thread pools of the standard library and anyio hand each call
over alone; a batch is what lets many requests share one transaction or one query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

T = TypeVar("T")
IDLE_SECONDS = 2.0  # the thread ends after this long without work (the next hand starts one)


class Batches(Generic[T]):
    """Items handed to one thread, which passes them to ``work`` in batches; ``work`` must
    not raise (it tells each item's requester its own outcome)."""

    def __init__(self, name: str, work: Callable[[list[T]], None], size: int = 64) -> None:
        self._name = name
        self._work = work
        self._size = size
        self._ready = threading.Condition()
        self._waiting: list[T] = []
        self._running = False  # the thread runs
        self._in_batch = 0  # items it works on now

    def hand(self, item: T) -> None:
        """Hands ``item`` to the thread (starting it if it had ended)."""
        with self._ready:
            self._waiting.append(item)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name=self._name, daemon=True).start()
            self._ready.notify()

    def waiting(self) -> int:
        """How many items are handed and not done: those of the batch and the next."""
        with self._ready:
            return len(self._waiting) + self._in_batch

    def _run(self) -> None:
        while True:
            with self._ready:
                if not self._waiting:
                    self._ready.wait(IDLE_SECONDS)
                if not self._waiting:
                    self._running = False
                    return
                batch, self._waiting = self._waiting[: self._size], self._waiting[self._size :]
                self._in_batch = len(batch)
            self._work(batch)
            with self._ready:
                self._in_batch = 0


def tell(done: Future[Any], outcome: object) -> None:
    """Gives a requester waiting on ``done`` its outcome: raised if it is an exception.
    Nothing when the requester has gone (its task was cancelled while it waited, which
    asyncio.wrap_future passes on to ``done``): setting it would raise, and the thread would
    end without answering the others, or any later one."""
    if not done.set_running_or_notify_cancel():
        return
    if isinstance(outcome, Exception):
        done.set_exception(outcome)
    else:
        done.set_result(outcome)
