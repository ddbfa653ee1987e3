"""`python -m bench.guards`: what the guards every request passes cost, per request.

The three middlewares of hoshin.server (security headers, body limits, forged-request
check) wrapped around an app that answers at once, and the API's body net
(api.errors.refuse_hostile_text) on a check-in's body, each called BENCH_GUARDS_CALLS times
(default 20,000) in one event loop; printed in microseconds of CPU per request, the best of
three runs. Compare with the CPU time of a whole request in BENCHMARKS.md (about 500 µs for
the hot reads, a millisecond or more for a check-in).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from hoshin.api.errors import refuse_hostile_text
from hoshin.guard.csrf import CsrfGuard, token_for
from hoshin.guard.headers import SecurityHeaders
from hoshin.guard.limits import RequestLimits

CALLS = int(os.environ.get("BENCH_GUARDS_CALLS", "20000"))
SECRET = b"s" * 43  # a session cookie's secret is 43 characters (token_urlsafe(32))
CHECK_IN = b'{"value": 12.5}'


async def _answer(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


GUARDED = SecurityHeaders(RequestLimits(CsrfGuard(_answer), max_body_bytes=1024 * 1024))


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http", "method": method, "path": path, "query_string": b"",
        "headers": headers, "scheme": "http",
    }  # fmt: skip


CASES: dict[str, tuple[dict[str, Any], bytes]] = {
    "page GET with the session cookie": (
        _scope("GET", "/orgs/demo/", [(b"host", b"h"), (b"cookie", b"hoshin_session=" + SECRET)]),
        b"",
    ),
    "API GET of an objective with a token": (
        _scope(
            "GET", "/api/v1/orgs/demo/objectives/A1",
            [(b"host", b"h"), (b"authorization", b"Bearer hsn_x")],
        ),
        b"",
    ),
    "API PUT of a check-in with a token": (
        _scope(
            "PUT", "/api/v1/orgs/demo/metrics/m1/actuals/2026-05",
            [(b"host", b"h"), (b"authorization", b"Bearer hsn_x"),
             (b"content-type", b"application/json"), (b"content-length", b"15")],
        ),
        CHECK_IN,
    ),
    "page form POST with the session's token": (
        _scope(
            "POST", "/orgs/demo/objectives/A1/comments",
            [(b"host", b"h"), (b"cookie", b"hoshin_session=" + SECRET),
             (b"content-type", b"application/x-www-form-urlencoded"),
             (b"sec-fetch-site", b"same-origin")],
        ),
        f"body=hello&csrf_token={token_for(SECRET.decode())}".encode(),
    ),
}  # fmt: skip


async def _through_guards(scope: dict[str, Any], body: bytes) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        return None

    await GUARDED(dict(scope), receive, send)


async def _body_net(scope: dict[str, Any], body: bytes) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    await refuse_hostile_text(Request(dict(scope), receive))


async def _bare(scope: dict[str, Any], body: bytes) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        return None

    await _answer(dict(scope), receive, send)


def _per_call(call: Callable[[dict[str, Any], bytes], Awaitable[None]], case: str) -> float:
    """Microseconds of CPU per call, the best of three runs."""
    scope, body = CASES[case]

    async def run() -> float:
        started = time.process_time()
        for _ in range(CALLS):
            await call(scope, body)
        return (time.process_time() - started) / CALLS * 1e6

    return min(asyncio.run(run()) for _ in range(3))


def main() -> None:
    """Prints the guards' cost per request for each case."""
    print(f"{CALLS:,} calls each, CPU µs per request (best of 3)")
    for case in CASES:
        bare = _per_call(_bare, case)
        guarded = _per_call(_through_guards, case)
        print(f"{case:42} guards {guarded - bare:6.1f} µs  (bare app {bare:.1f} µs)")
    net = _per_call(_body_net, "API PUT of a check-in with a token")
    print(f"{'API body net on a check-in (refuse_hostile_text)':42} {net:6.1f} µs")


if __name__ == "__main__":
    main()
