"""The door's limits, on the ASGI protocol itself: what is read of a body before 413."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from hoshin.guard.limits import RequestLimits

LIMIT = 1024


async def _echo_length(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body and answers its length."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def _call(
    path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes], query: bytes = b""
) -> tuple[int, bytes, int]:
    """(status, body, how many chunks the client was asked for) of one request."""
    asked = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal asked
        asked += 1
        more = asked < len(chunks)
        return {"type": "http.request", "body": chunks[asked - 1], "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http", "method": "POST", "path": path, "headers": headers,
        "query_string": query, "scheme": "http",
    }  # fmt: skip
    guarded = RequestLimits(_echo_length, max_body_bytes=LIMIT)(scope, receive, send)
    # In a thread of its own: a sync Playwright session of the browser tests may hold this
    # thread's event loop.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, guarded).result()
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), asked


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    """Content-Length 104,857,600 (the 100 MB of the review): 413 before one byte is read."""
    status, body, asked = _call("/api/v1/session", [(b"content-length", b"104857600")], [b""])
    assert (status, asked) == (413, 0)
    assert json.loads(body)["error"] == "the request is too large"
    status, _, asked = _call("/signin", [(b"content-length", b"1025")], [b"x" * 1025])
    assert (status, asked) == (413, 0)


def test_a_chunked_body_is_read_only_until_it_passes_the_limit() -> None:
    """Without Content-Length, 10 chunks of 400 bytes: the third passes 1,024 bytes (1,200),
    so 3 are read of 10 and the answer is 413, a page for a page's path."""
    chunked = [(b"transfer-encoding", b"chunked")]
    status, body, asked = _call("/orgs/clinic/admin/members", chunked, [b"x" * 400] * 10)
    assert (status, asked) == (413, 3)
    assert b"the request is too large" in body and b"<!doctype html>" in body


def test_a_body_within_the_limit_passes_whole() -> None:
    assert _call("/api/v1/x", [(b"content-length", b"1024")], [b"x" * 1024]) == (200, b"1024", 1)


def test_control_characters_in_the_path_or_query_are_refused() -> None:
    """The path as decoded (/orgs/o%00rgb/ arrives as /orgs/o\\x00rgb/), and each query value
    once percent-decoded; UTF-8 in the query is no control character."""
    status, body, asked = _call("/orgs/o\x00rgb/", [], [b""])
    assert (status, asked) == (422, 0)
    assert b"path: contains the control character U+0000" in body
    status, body, _ = _call("/api/v1/orgs/clinic/analysis", [], [b""], b"as_of=2026%0A")
    assert status == 422
    assert json.loads(body)["detail"] == [
        {"reason": "query.as_of: contains the control character U+000A, which is not allowed"}
    ]
    assert _call("/x", [], [b""], "q=%E2%82%AC€".encode())[0] == 200
