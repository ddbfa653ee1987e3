"""Admission (hoshin.runtime.admission): a bounded number of requests in the app at once, and no
stall when more clients come than the pool holds connections (SQLite's writers' turns:
tests/runtime/test_sqlite_writers.py)."""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from api_support import seed, served
from sqlalchemy import Engine
from sqlalchemy.pool import NullPool
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from hoshin.api.app import create_app
from hoshin.api.checkin import waits_for_the_writer
from hoshin.runtime import engine as db
from hoshin.runtime.admission import LIMIT, Admission, request_limit
from hoshin.runtime.engine import make_engine, session_factory
from hoshin.runtime.turns import turn_of
from hoshin.service.account import TokenUses
from hoshin.store.migrate import upgrade


class Inside:
    """An ASGI app that notes how many requests are in it at once, by method."""

    def __init__(self) -> None:
        self.now: dict[str, int] = {"GET": 0, "PUT": 0}
        self.most: dict[str, int] = {"GET": 0, "PUT": 0, "all": 0}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        self.now[method] += 1
        self.most[method] = max(self.most[method], self.now[method])
        self.most["all"] = max(self.most["all"], sum(self.now.values()))
        await asyncio.sleep(0.01)
        self.now[method] -= 1
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def _call(app: Admission, method: str) -> None:
    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(_: object) -> None:
        return None

    await app({"type": "http", "method": method}, receive, send)


def _load(app: Admission, methods: list[str]) -> None:
    async def run() -> None:
        await asyncio.gather(*(_call(app, method) for method in methods))

    asyncio.run(run())


def test_at_most_limit_requests_are_inside_at_once() -> None:
    inside = Inside()
    _load(Admission(inside, limit=3), ["GET"] * 20 + ["PUT"] * 20)
    assert inside.most["all"] == 3  # 40 arrive together, 3 go in at a time


def test_requests_that_wait_without_a_thread_come_in_without_a_slot() -> None:
    inside = Inside()
    app = Admission(inside, limit=3, without_slot=lambda scope: scope["method"] == "PUT")
    _load(app, ["GET"] * 20 + ["PUT"] * 20)
    assert inside.most["GET"] == 3  # the 20 GETs, 3 at a time
    assert inside.most["PUT"] == 20  # all 20 PUTs at once, beside them


@pytest.mark.parametrize(
    ("method", "path", "headers", "without_slot"),
    [
        ("PUT", "/api/v1/orgs/clinic/metrics/falls/actuals/2026-06", [], True),
        ("PUT", "/api/v1/orgs/clinic/metrics/falls/actuals/2026-06", [(b"if-match", b'"1"')],
         False),  # a correction runs in a thread
        ("GET", "/api/v1/orgs/clinic/metrics/falls/actuals/2026-06", [], False),
        ("PUT", "/api/v1/orgs/clinic/metrics/falls/actuals/2026-06/history", [], False),
        ("PUT", "/api/v1/orgs/clinic/metrics/falls", [], False),
        ("POST", "/api/v1/orgs/clinic/actuals", [], False),  # the bulk check-in
    ],
)  # fmt: skip
def test_a_check_in_without_if_match_is_the_request_that_waits_for_the_writer(
    method: str, path: str, headers: list[tuple[bytes, bytes]], without_slot: bool
) -> None:
    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    assert waits_for_the_writer(scope) is without_slot


def test_a_client_that_left_while_waiting_is_not_an_error() -> None:
    """wrk closes its 50 connections at the end of a run while requests wait their turn; the
    app then reads a body that will never come (starlette raises ClientDisconnect)."""

    async def reads_the_body(scope: Scope, receive: Receive, send: Send) -> None:
        await Request(scope, receive).body()

    async def gone() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(_: object) -> None:
        raise AssertionError("nothing is sent to a client that left")

    app = Admission(reads_the_body, limit=1)
    asyncio.run(app({"type": "http", "method": "PUT"}, gone, send))  # no exception


def test_the_limit_leaves_a_pooled_connection_free() -> None:
    small = make_engine(
        "sqlite:///unused.db", pool_size=2, max_overflow=1
    )  # 3 connections: 2 requests
    default = make_engine("sqlite:///unused.db")  # 10 + 5 (runtime.engine): the limit itself
    unbounded = make_engine("sqlite:///unused.db", poolclass=NullPool)
    assert (request_limit(small), request_limit(default), request_limit(unbounded)) == (
        2, LIMIT, LIMIT,
    )  # fmt: skip


def test_a_token_use_is_claimed_once_a_minute() -> None:
    uses, at = TokenUses(), datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert uses.claim("hsn_a", at) is True
    assert uses.claim("hsn_a", at + timedelta(seconds=59)) is False  # another request notes it
    assert uses.claim("hsn_b", at) is True  # each token its own
    assert uses.claim("hsn_a", at + timedelta(minutes=1)) is True


def test_more_clients_than_connections_do_not_stall_the_server(engine: Engine) -> None:
    """Each request holds a connection from its first query until its session closes, which
    needs a thread again. 60 clients on a pool of 3 connections used to take every thread
    waiting for a connection that only a request waiting for a thread could give back:
    nothing answered until the pool's timeout, then 500s. Admitted two at a time, all 60
    are answered 200: no request's connection waited out the pool's timeout. (The timeout
    is 10 s, so that a slow host's legitimate queue never reaches it; how fast the 60 are
    answered is for the benchmarks.)"""
    tokens = seed(engine).tokens
    pooled = make_engine(
        engine.url.render_as_string(hide_password=False), pool_size=2, max_overflow=1,
        pool_timeout=10,
    )  # fmt: skip
    assert request_limit(pooled) == 2  # 3 connections: 2 requests, 1 for a token's use
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    try:
        with served(create_app(session_factory(pooled))) as base:

            def read(_: int) -> int:
                asked = urllib.request.Request(f"{base}/api/v1/orgs/clinic/objectives/A1",
                                               headers=headers)  # fmt: skip
                try:
                    with urllib.request.urlopen(asked, timeout=60) as answer:
                        return int(answer.status)
                except urllib.error.HTTPError as error:  # the 500 of a pool timeout
                    return error.code

            with ThreadPoolExecutor(60) as clients:
                statuses = list(clients.map(read, range(60)))
    finally:
        pooled.dispose()
    assert statuses == [200] * 60


def test_a_writer_that_waits_too_long_for_its_turn_is_answered_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: while another writer holds the turn past the wait (SQLITE_BUSY_MS, here 0.2 s),
    a PUT is answered 503 with Retry-After and changes nothing; once free, it succeeds."""
    monkeypatch.setattr(db, "SQLITE_BUSY_MS", 200)
    engine = make_engine(f"sqlite:///{tmp_path / 'hoshin.db'}")
    upgrade(engine)
    seeded = seed(engine)
    url = "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06"
    with seeded.client as client:
        turn = turn_of(engine)
        turn.take(timeout=1)  # another writer of this process
        try:
            busy = client.put(url, json={"value": 70}, headers=seeded.headers("editor"))
        finally:
            turn.give_back()
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "1"
        assert busy.json() == {
            "error": "the database was busy with other changes for 0 s",
            "detail": None,
        }
        assert client.get(url, headers=seeded.headers("editor")).status_code == 404
        saved = client.put(url, json={"value": 70}, headers=seeded.headers("editor"))
        assert saved.status_code == 201
    engine.dispose()


def test_a_writer_locked_out_by_another_program_is_answered_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: while another program (here a plain sqlite3 connection, as a `hoshin import`
    would be) holds the file's write lock past the busy timeout (0.2 s here), a check-in is
    answered 503 with Retry-After, not 500, and changes nothing; once free, it succeeds."""
    monkeypatch.setattr(db, "SQLITE_BUSY_MS", 200)
    path = tmp_path / "hoshin.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seeded = seed(engine)
    url = "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06"
    with seeded.client as client:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            busy = client.put(url, json={"value": 70}, headers=seeded.headers("editor"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "1"
        assert busy.json() == {
            "error": "the database is busy: another hoshin command is writing; try again",
            "detail": None,
        }
        assert client.get(url, headers=seeded.headers("editor")).status_code == 404
        saved = client.put(url, json={"value": 70}, headers=seeded.headers("editor"))
        assert saved.status_code == 201
    engine.dispose()


def test_check_ins_beyond_the_limit_and_corrections_among_them_are_all_answered(
    engine: Engine,
) -> None:
    """A pool of 3 connections, so 2 slots: 24 new months' actuals wait for the writer
    without a slot, and 6 PUTs of months that have an actual (small.yaml's 2026-05), sent
    without If-Match, take a slot for their thread once the writer sends them back (428)."""
    tokens = seed(engine).tokens
    pooled = make_engine(
        engine.url.render_as_string(hide_password=False), pool_size=2, max_overflow=1,
        pool_timeout=2,
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "application/json"}
    new = [(m, f"2027-{n:02d}") for m in ("falls", "huddles", "trained") for n in range(1, 9)]
    asked = new + [("falls", "2026-05"), ("huddles", "2026-05")] * 3
    try:
        with served(create_app(session_factory(pooled))) as base:

            def put(at: tuple[str, str]) -> int:
                url = f"{base}/api/v1/orgs/clinic/metrics/{at[0]}/actuals/{at[1]}"
                sent = urllib.request.Request(url, b'{"value": 5}', headers, method="PUT")
                try:
                    with urllib.request.urlopen(sent, timeout=30) as answer:
                        return int(answer.status)
                except urllib.error.HTTPError as error:
                    return error.code

            with ThreadPoolExecutor(30) as clients:
                statuses = list(clients.map(put, asked))
    finally:
        pooled.dispose()
    assert statuses == [201] * 24 + [428] * 6
