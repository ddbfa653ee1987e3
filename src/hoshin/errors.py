"""One error hierarchy for every layer; the API, the CLI and the pages each render it once."""

from __future__ import annotations


class HoshinError(Exception):
    """An error a user can act on; ``message`` says what and where."""

    def __init__(self, message: str, detail: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(HoshinError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class Conflict(HoshinError):
    """The change clashes with the current state (a stale version, a duplicate)."""


class InvalidInput(HoshinError):
    """The input breaks a rule; ``detail`` lists the problems."""


class Forbidden(HoshinError):
    """The asker may not do this."""


class Busy(HoshinError):
    """The database was busy with other changes for too long: try again shortly."""

    headers = {"Retry-After": "1"}  # noqa: RUF012 - read by the API's error handler
