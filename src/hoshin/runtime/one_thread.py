"""One thread hand-off per API request.

FastAPI runs each synchronous dependency in a thread of the pool, the entry and the exit
of one with ``yield`` in one each, and then the route in another: four hand-offs for a
route that needs the database and the asker. Under load, a hand-off between the event loop
and a thread cost about 0.45 ms of CPU on the 2-core benchmark host (a bare FastAPI route:
0.24 ms a request when async, 0.70 ms when sync; BENCHMARKS.md), more than the route's own
work. So the API's routes run their whole request in one thread:

- the request's session is made in the event loop (making one needs no database);
- what needs the database before the route runs, such as finding the asker (api.deps.access),
  is handed to the route's thread as a ``Later``, which runs first there;
- the route's thread commits the request's session when the route returns, or rolls it
  back when it fails, so that the dependency's exit has nothing left to do in a thread.

The answer is what it was with four hand-offs, with one difference: a request whose path,
query or body is invalid is told so (422) before it is asked who it is (401, 404).

A read whose connection was lost (runtime.sessions.DATABASE_ERROR) runs once more, on a new
connection: it changed nothing, and the pool checks no connection before use.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from hoshin.runtime.sessions import READS, new_request_session, once_more_if_lost

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Later:
    """A dependency's value that needs the database: ``find`` runs in the route's thread,
    before the route, on the request's ``session``."""

    find: Callable[[], Any]
    session: Session


class OneThreadRoute(APIRoute):
    """An API route whose synchronous endpoint runs with its Later values and the commit of
    its request's session in one thread hand-off."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            reads = set(options.get("methods") or ()) <= READS
            endpoint = in_one_thread(endpoint, again_if_lost=reads)
        super().__init__(path, endpoint, **options)


def in_one_thread(
    endpoint: Callable[..., Any], *, again_if_lost: bool = False
) -> Callable[..., Any]:
    """``endpoint`` as a coroutine that runs it, its Later values first, in one thread;
    ``again_if_lost``: once more when its connection was lost (a read)."""

    @functools.wraps(endpoint)  # FastAPI reads the parameters of the endpoint it wraps
    async def route(**arguments: Any) -> Any:
        return await run_in_threadpool(_run, endpoint, arguments, again_if_lost)

    return route


async def run(endpoint: Callable[..., Any], **arguments: Any) -> Any:
    """``endpoint(**arguments)`` as a OneThreadRoute runs it, from an async route: its Later
    values first, then the commit of its sessions, in one thread hand-off."""
    return await run_in_threadpool(_run, endpoint, arguments)


async def in_own_session(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """``work(session)`` in one thread hand-off, on a reading request session of its own,
    committed and closed there: for an async route that needs the database only sometimes
    (a session made as a dependency costs every request its making and its ending)."""
    return await run_in_threadpool(_in_own_session, sessions, work)


def _in_own_session(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    with new_request_session(sessions, "GET") as session:
        found = work(session)
        session.commit()
    return found


def _run(
    endpoint: Callable[..., Any], arguments: dict[str, Any], again_if_lost: bool = False
) -> Any:
    """In the route's thread: the Later values, the endpoint, then the commit (or the
    rollback) of every request session among the arguments; with ``again_if_lost``, all
    of it once more when the connection was lost."""
    once = functools.partial(_once, endpoint, arguments)
    return once_more_if_lost(once) if again_if_lost else once()


def _once(endpoint: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    sessions = {id(s): s for s in _sessions(arguments)}.values()
    try:
        found = {
            name: value.find() if isinstance(value, Later) else value
            for name, value in arguments.items()
        }
        result = endpoint(**found)
        for session in sessions:
            session.commit()
    except BaseException:
        for session in sessions:
            session.rollback()
        raise
    return result


async def request_session(request: Request) -> AsyncIterator[Session]:
    """A session for an API request (a FastAPI dependency), made in the event loop (that
    needs no database). The route's thread commits it, or rolls it back, when the route is
    done; what is still open here (an error before the route ran) is ended in a thread."""
    session = new_request_session(request.app.state.sessions, request.method)
    try:
        yield session
    except BaseException:
        await _end(session, session.rollback)
        raise
    await _end(session, session.commit)


async def _end(session: Session, end: Callable[[], None]) -> None:
    if not session.in_transaction():
        session.close()  # no connection: nothing for the database, no thread
        return

    def end_and_close() -> None:
        with session:
            end()

    await run_in_threadpool(end_and_close)


def _sessions(arguments: dict[str, Any]) -> list[Session]:
    return [
        value.session if isinstance(value, Later) else value
        for value in arguments.values()
        if isinstance(value, Later | Session)
    ]
