"""A batch thread tells each requester its outcome, and goes on when one has gone
(runtime.batches)."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

from hoshin.runtime.batches import Batches, tell


def test_tell_gives_the_outcome_or_raises_it() -> None:
    done: Future[int] = Future()
    tell(done, 3)
    assert done.result() == 3
    failed: Future[int] = Future()
    tell(failed, ValueError("no"))
    assert isinstance(failed.exception(), ValueError)


def test_a_requester_gone_while_it_waited_is_told_nothing_and_the_others_are_answered() -> None:
    def work(batch: list[tuple[int, Future[int]]]) -> None:
        for value, done in batch:
            tell(done, value * 2)

    batches: Batches[tuple[int, Future[int]]] = Batches("test-batches", work)

    async def asked(value: int, *, leave: bool = False) -> int | None:
        done: Future[int] = Future()
        waiting = asyncio.ensure_future(asyncio.wrap_future(done))
        await asyncio.sleep(0)
        if leave:  # a request's task cancelled while it waits: wrap_future cancels done
            waiting.cancel()
            await asyncio.sleep(0)
            assert done.cancelled()
        batches.hand((value, done))
        if leave:
            return None
        return await asyncio.wait_for(waiting, timeout=10)

    async def both() -> tuple[int | None, int | None]:
        gone = await asked(1, leave=True)
        return gone, await asked(2)

    assert asyncio.run(both()) == (None, 4)
