"""One mapping from hoshin's errors to HTTP answers: ``{"error": ..., "detail": ...}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from hoshin.errors import Busy, Conflict, Forbidden, HoshinError, InvalidInput, NotFound
from hoshin.service.account import TooManyAttempts
from hoshin.service.metric import PreconditionFailed, PreconditionRequired
from hoshin.service.store import (
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


async def refuse_nul(request: Request) -> None:
    """A NUL character anywhere in a request is invalid input (PostgreSQL text cannot hold it)."""
    # The scope's own path (decoded) and query (as sent), not request.url: every request
    # passes here, and parsing the URL again cost more than the check.
    path, query = request.scope["path"], request.scope["query_string"]
    if "\x00" in path or b"%00" in query or b"\x00" in query or b"\\u0000" in await request.body():
        raise InvalidInput(
            "a NUL character is not allowed in a request",
            [{"field": "request", "reason": "contains a NUL character"}],
        )


class Unauthorized(HoshinError):
    """No valid session cookie or API token."""


STATUS: list[tuple[type[HoshinError], int]] = [  # most specific first
    (TooManyAttempts, 429),
    (PreconditionFailed, 412),
    (PreconditionRequired, 428),
    (Unauthorized, 401),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidInput, 422),
    (Forbidden, 403),
    (Busy, 503),
]


def status_of(error: HoshinError) -> int:
    """The HTTP status of an error."""
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 400


def body(message: str, detail: Any = None) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"error": message, "detail": detail}


def install(app: FastAPI) -> None:
    """Registers the handlers on the app."""

    @app.exception_handler(HoshinError)
    async def hoshin_error(_: Request, error: HoshinError) -> JSONResponse:
        headers = getattr(error, "headers", None)
        return JSONResponse(
            body(error.message, _jsonable(error.detail)), status_of(error), headers=headers
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
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(body(str(error.detail)), error.status_code, headers=error.headers)


def _jsonable(detail: Any) -> Any:
    if detail is None or isinstance(detail, (str, int, float, bool, dict)):
        return detail
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, (dict, str)) else item for item in detail]
    return str(detail)


def _reason(item: Mapping[str, Any]) -> str:
    """pydantic's message, without the "Value error, " its own validators' messages get."""
    return str(item["msg"]).removeprefix("Value error, ")
