"""One mapping from hoshin's errors to HTTP answers: ``{"error": ..., "detail": ...}``."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route

from hoshin.domain.text import LONGEST, nested_problems
from hoshin.errors import HoshinError, InvalidInput
from hoshin.guard.limits import target_problem
from hoshin.runtime.sessions import (
    DATABASE_ERROR,
    REFUSED_AT_COMMIT,
    changed_meanwhile,
    connection_lost,
)


class ErrorRead(BaseModel):
    """Every error answer: what went wrong, and details such as the fields at fault."""

    error: str
    detail: Any = None


# Documented on every route, so the OpenAPI schema says what an error answer looks like.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorRead, "description": "The body is not valid JSON"},
    401: {"model": ErrorRead, "description": "No valid session cookie or API token"},
    403: {"model": ErrorRead, "description": "The role may not do this"},
    404: {"model": ErrorRead, "description": "Not found, or of another organisation"},
    422: {"model": ErrorRead, "description": "Invalid input: detail names each field"},
}


async def refuse_hostile_text(request: Request) -> None:
    """A JSON body whose text no field takes (a control character, a string longer than any
    field) is invalid input, each place named, as is a control character in the path or query
    (the server's door refuses those first: this is the API served alone); each field's own
    type applies its tighter rule."""
    target = target_problem(request.scope)
    if target is not None:
        raise InvalidInput(target, [{"field": target.partition(":")[0], "reason": target}])
    if request.method in ("GET", "HEAD", "DELETE"):
        return
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return  # a file upload, no JSON: FastAPI has read its stream, and its route checks it
    raw = await request.body()
    if not raw or (len(raw) <= LONGEST["text"] and _MAY_HIDE_CONTROL.search(raw) is None):
        return  # no string can be too long, and none can hold a control character
    try:
        parsed = json.loads(raw)
    except ValueError:
        return  # FastAPI answers the malformed body itself
    problems = nested_problems(parsed, "body")
    if problems:
        detail = [{"field": field, "reason": reason} for field, reason in problems]
        raise InvalidInput(f"{problems[0][0]}: {problems[0][1]}", detail)


# What a JSON text must hold for a string of it to hold a control character: an escape, or
# DEL and the C1 controls written as such (JSON refuses raw C0 controls in strings itself).
_MAY_HIDE_CONTROL = re.compile(rb"\\u|\\[bf]|\x7f|\xc2[\x80-\x9f]")


def body(message: str, detail: Any = None) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"error": message, "detail": detail}


def install(app: FastAPI) -> None:
    """Registers the handlers on the app."""

    @app.exception_handler(HoshinError)
    async def hoshin_error(_: Request, error: HoshinError) -> JSONResponse:
        return JSONResponse(
            body(error.message, _jsonable(error.detail)), error.status, headers=error.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = [
            {"field": ".".join(str(part) for part in item["loc"]), "reason": _reason(item)}
            for item in error.errors()
        ]
        return JSONResponse(body("invalid request", detail), 422)

    @app.exception_handler(REFUSED_AT_COMMIT)
    async def refused_at_commit(request: Request, error: Exception) -> JSONResponse:
        return await hoshin_error(request, changed_meanwhile(error))

    @app.exception_handler(DATABASE_ERROR)
    async def database_error(request: Request, error: Exception) -> JSONResponse:
        return await hoshin_error(request, connection_lost(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        headers = error.headers
        if error.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed(request)}
        return JSONResponse(body(str(error.detail)), error.status_code, headers=headers)


def _allowed(request: Request) -> str:
    """Every method the path takes. Starlette's 405 names only those of the first route
    that matched the path, though one path is often several routes (GET and POST)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if (
            isinstance(route, Route)
            and route.methods
            and route.matches(request.scope)[0] != Match.NONE
        ):
            methods |= route.methods
    return ", ".join(sorted(methods))


def _jsonable(detail: Any) -> Any:
    if detail is None or isinstance(detail, (str, int, float, bool, dict)):
        return detail
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, (dict, str)) else item for item in detail]
    return str(detail)


def _reason(item: Mapping[str, Any]) -> str:
    """pydantic's message, without the "Value error, " its own validators' messages get."""
    return str(item["msg"]).removeprefix("Value error, ")
