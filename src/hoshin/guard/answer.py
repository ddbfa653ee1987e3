"""The answer of a guard that refuses a request: JSON for the API and SCIM, a page for people."""

from __future__ import annotations

import json
from html import escape

from starlette.types import Receive, Scope, Send

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · hoshin</title><link rel="icon" type="image/svg+xml" href="/static/favicon.svg">
<link rel="stylesheet" href="/static/hoshin.css"></head>
<body><main id="main"><section class="error"><h1>{title} ({status})</h1>
<p role="alert">{message}</p><p class="detail">Why: {detail}.</p>
<p><a href="/">Back to hoshin</a></p></section></main></body></html>
"""

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
TITLES = {403: "Change refused", 413: "Request too large", 422: "Invalid request"}


async def refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Answers ``status`` with ``message``: the API's error body under /api/, a SCIM error
    (RFC 7644 3.12) under /scim/, else a page."""
    if scope["path"].startswith("/scim/"):
        body = json.dumps({"schemas": [SCIM_ERROR], "status": str(status),
                           "detail": f"{message}: {detail}"}).encode()  # fmt: skip
        kind = b"application/scim+json"
    elif scope["path"].startswith("/api/"):
        body = json.dumps({"error": message, "detail": [{"reason": detail}]}).encode()
        kind = b"application/json"
    else:
        title = TITLES.get(status, "Refused")
        page = PAGE.format(
            title=title, status=status, message=escape(message), detail=escape(detail)
        )
        body, kind = page.encode(), b"text/html; charset=utf-8"
    start_headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status,
         "headers": start_headers + (headers or [])}
    )  # fmt: skip
    await send({"type": "http.response.body", "body": body})
