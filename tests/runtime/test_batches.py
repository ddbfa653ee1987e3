"""A batch thread tells each requester its outcome in its event loop, goes on when one has
gone, ends when idle and starts again at the next hand (runtime.batches)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from hoshin.runtime import batches as batches_module
from hoshin.runtime.batches import Answer, Batches, tell


def test_tell_gives_the_outcome_or_raises_it_in_the_requesters_loop() -> None:
    async def told() -> tuple[int, BaseException | None]:
        loop = asyncio.get_running_loop()
        done, failed = loop.create_future(), loop.create_future()
        thread = threading.Thread(target=tell, args=([(done, 3), (failed, ValueError("no"))],))
        thread.start()
        thread.join()
        error: BaseException | None = None
        try:
            await failed
        except ValueError as raised:
            error = raised
        return await done, error

    value, error = asyncio.run(told())
    assert value == 3
    assert isinstance(error, ValueError) and str(error) == "no"


def test_a_closed_loop_is_told_nothing() -> None:
    loop = asyncio.new_event_loop()
    done = loop.create_future()
    loop.close()
    tell([(done, 1)])  # no one waits there: no error
    assert not done.done()


def test_a_requester_gone_while_it_waited_is_told_nothing_and_the_others_are_answered() -> None:
    def work(batch: list[tuple[int, Answer]]) -> None:
        tell((done, value * 2) for value, done in batch)

    batches: Batches[tuple[int, Answer]] = Batches("test-batches", work)

    async def asked(value: int, *, leave: bool = False) -> int | None:
        done: Answer = asyncio.get_running_loop().create_future()
        waiting = asyncio.ensure_future(done)
        if leave:  # a request's task cancelled while it waits cancels its future
            waiting.cancel()
            await asyncio.sleep(0)
            assert done.cancelled()
        batches.hand((value, done))
        if leave:
            return None
        found: int = await asyncio.wait_for(waiting, timeout=10)
        return found

    async def both() -> tuple[int | None, int | None]:
        gone = await asked(1, leave=True)
        return gone, await asked(2)

    assert asyncio.run(both()) == (None, 4)


def test_the_thread_takes_what_came_meanwhile_and_starts_again_after_it_ended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first item holds the thread while five more come: they are one batch of at
    most 3 and then the rest; once the thread has ended (idle), a hand starts another."""
    monkeypatch.setattr(batches_module, "IDLE_SECONDS", 0.01)
    holding, let_go = threading.Event(), threading.Event()
    seen: list[list[int]] = []

    def work(batch: list[int]) -> None:
        seen.append(batch)
        if batch == [0]:
            holding.set()
            assert let_go.wait(30)

    batches: Batches[int] = Batches("test-batches", work, size=3)
    batches.hand(0)
    assert holding.wait(30)
    for item in range(1, 6):
        batches.hand(item)
    assert batches.waiting() == 1 + 5
    let_go.set()
    _until(lambda: not batches._running)
    assert seen == [[0], [1, 2, 3], [4, 5]]
    assert batches.waiting() == 0
    batches.hand(6)
    _until(lambda: seen[-1] == [6])


def _until(done: Callable[[], bool]) -> None:
    for _ in range(3000):
        if done():
            return
        threading.Event().wait(0.01)
    raise AssertionError("not in 30 s")
