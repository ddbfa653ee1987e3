"""Hostile requests refused at the door, before any route reads them: a body larger than the
limit (413, unread), and control characters in the path or the query (422)."""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hoshin.domain.text import control_character
from hoshin.guard.answer import refuse

TOO_LARGE: Final = "the request is too large"


class BodyTooLarge(Exception):
    """A body sent without Content-Length (chunked) went past the limit while being read."""


class RequestLimits:
    """Answers 413 to a body over ``max_body_bytes`` and 422 to control characters in the
    path or query, for the API and the pages alike."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = target_problem(scope)
        if problem is not None:
            await refuse(scope, receive, send, 422, "invalid request", problem)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await self._too_large(scope, receive, send)
            return
        if b"transfer-encoding" not in headers:
            # A body of the declared length at most (the HTTP server reads no more), or none:
            # nothing to count, and no wrapper on the way of every request.
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counting(receive), sending)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send)

    def _counting(self, receive: Receive) -> Receive:
        """``receive`` that raises BodyTooLarge once more than the limit has come."""
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        return counting

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = f"the body may hold at most {self.max_body_bytes:,} bytes (HOSHIN_MAX_BODY_BYTES)"
        # Connection: close, so that the unread body is not taken for the next request.
        close = [(b"connection", b"close")]
        await refuse(scope, receive, send, 413, TOO_LARGE, limit, close)


def target_problem(scope: Scope) -> str | None:
    """What is wrong with the path or the query string (a control character), or None."""
    bad = control_character(scope["path"])
    if bad is not None:
        return f"path: contains the control character {bad}, which is not allowed"
    query = scope.get("query_string", b"")
    if not query:
        return None
    text = query.decode("utf-8", "replace")  # as sent: a raw UTF-8 byte is no C1 control
    for name, value in parse_qsl(text, keep_blank_values=True, errors="replace"):
        bad = control_character(name) or control_character(value)
        if bad is not None:
            return f"query.{name}: contains the control character {bad}, which is not allowed"
    return None
