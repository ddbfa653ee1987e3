"""A change is committed before its answer leaves the server (read-your-writes).

FastAPI runs the exit code of a ``yield`` dependency after the response is sent unless the
dependency has ``scope="function"``; the session dependency commits there, so without it a
client that reads (or a browser that follows the redirect of a sign-in) right after the
answer could find nothing saved yet. Here the ASGI ``send`` looks in the database, through
a connection of its own, at the moment the answer starts.
"""

from __future__ import annotations

import json
from typing import Any

import anyio
from sqlalchemy import Engine, select

from hoshin.domain.months import Month
from hoshin.store.metric import ActualRow
from hoshin.store.organization import OrganizationRow


def _saved_value(engine: Engine) -> float | None:
    """The June 2026 actual of 'huddles' as another connection sees it (committed only)."""
    query = (
        select(ActualRow.value)
        .join(OrganizationRow, OrganizationRow.id == ActualRow.org_id)
        .where(
            OrganizationRow.slug == "clinic",
            ActualRow.metric == "huddles",
            ActualRow.period == Month.parse("2026-06"),
        )
    )
    with engine.connect() as connection:
        value = connection.execute(query).scalar()
    return None if value is None else float(value)


def test_an_actual_is_committed_before_the_answer_starts(api: Any, engine: Engine) -> None:
    app = api.client.app
    body = json.dumps({"value": 70}).encode()
    seen: dict[str, Any] = {}
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "PUT",
        "scheme": "http", "path": "/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06",
        "raw_path": b"/api/v1/orgs/clinic/metrics/huddles/actuals/2026-06", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1234), "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"), (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in api.headers("ben").items()),
        ],
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            seen["status"] = message["status"]
            seen["saved"] = await anyio.to_thread.run_sync(_saved_value, engine)

    anyio.run(app, scope, receive, send)
    assert seen == {"status": 201, "saved": 70.0}
