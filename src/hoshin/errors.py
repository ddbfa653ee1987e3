"""One error hierarchy for every layer. Each kind carries its HTTP ``status`` and a machine
``code``; the API answers it as ``{"error": ..., "detail": ...}`` with that status, the pages
show its message in place, and the command line prints it and exits 2."""

from __future__ import annotations

import math
from typing import ClassVar


class HoshinError(Exception):
    """An error a user can act on; ``message`` says what and where."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "error"
    retry_after: int | None = None  # seconds: an error worth retrying says when

    def __init__(self, message: str, detail: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    @property
    def headers(self) -> dict[str, str]:
        """The HTTP headers of an answer with this error: Retry-After when it is worth retrying."""
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}


class NotFound(HoshinError):
    """The thing asked for does not exist (or is not visible to the asker)."""

    status = 404
    code = "not_found"


class Conflict(HoshinError):
    """The change clashes with the current state (a stale version, a duplicate)."""

    status = 409
    code = "conflict"


class PreconditionFailed(Conflict):
    """The entity changed since the version the client read; ``detail`` is its state now."""

    status = 412
    code = "precondition_failed"


class PreconditionRequired(HoshinError):
    """A change to an existing entity must say which version it read (If-Match)."""

    status = 428
    code = "precondition_required"


class InvalidInput(HoshinError):
    """The input breaks a rule; ``detail`` lists the problems."""

    status = 422
    code = "invalid_input"


class Unauthorized(HoshinError):
    """No valid session cookie or API token."""

    status = 401
    code = "unauthorized"


class Forbidden(HoshinError):
    """The asker may not do this."""

    status = 403
    code = "forbidden"


class TooManyAttempts(Forbidden):
    """Too many failed sign-ins: ``detail`` is the number of seconds to wait (Retry-After)."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, seconds: int) -> None:
        super().__init__(
            f"too many failed sign-ins for this account or from this address: try again in "
            f"{duration(seconds)} (each further failure makes the wait longer, up to 15 minutes)",
            seconds,
        )
        self.retry_after = seconds


class Busy(HoshinError):
    """The database was busy with other changes for too long: try again shortly."""

    status = 503
    code = "busy"
    retry_after = 1


def duration(seconds: int) -> str:
    """``seconds`` in words: "1 second", "45 seconds", "3 minutes"."""
    if seconds < 120:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
