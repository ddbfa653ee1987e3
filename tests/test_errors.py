"""One error hierarchy: each kind carries its HTTP status and machine code, and every door
renders it from there (the API's body, the pages' status, the command line's exit 2)."""

from __future__ import annotations

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hoshin.api import errors as api_errors
from hoshin.cli.app import Commands
from hoshin.errors import (
    Busy,
    Conflict,
    Forbidden,
    HoshinError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    TooManyAttempts,
    Unauthorized,
)
from hoshin.web.outcome import attempt, page_status

KINDS: list[tuple[type[HoshinError], int, str]] = [
    (HoshinError, 400, "error"),
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (PreconditionFailed, 412, "precondition_failed"),
    (InvalidInput, 422, "invalid_input"),
    (PreconditionRequired, 428, "precondition_required"),
    (Busy, 503, "busy"),
]


@pytest.mark.parametrize(("kind", "status", "code"), KINDS)
def test_each_kind_carries_its_status_and_code(
    kind: type[HoshinError], status: int, code: str
) -> None:
    error = kind("it went wrong", ["a detail"])
    assert (error.status, error.code, error.message, error.detail) == (
        status, code, "it went wrong", ["a detail"],
    )  # fmt: skip


def test_a_stale_version_is_a_conflict_and_too_many_attempts_a_refusal() -> None:
    """The doors that catch the general kind catch the special one too."""
    assert isinstance(PreconditionFailed("stale"), Conflict)
    waiting = TooManyAttempts(90)
    assert isinstance(waiting, Forbidden)
    assert (waiting.status, waiting.code, waiting.detail) == (429, "too_many_attempts", 90)


def test_only_errors_worth_retrying_say_when() -> None:
    assert Busy("busy").headers == {"Retry-After": "1"}
    assert TooManyAttempts(90).headers == {"Retry-After": "90"}
    assert NotFound("no unit 'icu'").headers == {}


@pytest.mark.parametrize(("kind", "status", "code"), KINDS)
def test_the_api_answers_the_status_of_the_kind(
    kind: type[HoshinError], status: int, code: str
) -> None:
    app = FastAPI()
    api_errors.install(app)

    @app.get("/fails")
    def fails() -> None:
        raise kind("it went wrong", {"field": "title"})

    answer = TestClient(app).get("/fails")
    assert answer.status_code == status
    assert answer.json() == {"error": "it went wrong", "detail": {"field": "title"}}
    assert answer.headers.get("Retry-After") == ("1" if kind is Busy else None)


def test_a_command_prints_its_error_and_exits_2() -> None:
    """One handler for every command (hoshin.cli.app.Commands), sub-commands included."""
    app = typer.Typer(cls=Commands)
    group = typer.Typer()
    app.add_typer(group, name="org")

    @group.command("create")
    def create() -> None:
        raise Conflict("organisation acme exists already")

    @app.command("check")
    def check() -> None:
        """A second command, so that Typer keeps the group."""

    result = CliRunner().invoke(app, ["org", "create"])
    assert result.exit_code == 2
    assert result.stderr == "hoshin: organisation acme exists already\n"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (HoshinError("x"), 400),
        (NotFound("x"), 404),
        (Forbidden("x"), 403),
        (TooManyAttempts(90), 429),
        (InvalidInput("x"), 422),
        (Conflict("x"), 409),
        (PreconditionFailed("x"), 409),  # a page's form sends its version, not If-Match
        (PreconditionRequired("x"), 400),
        (Busy("x"), 503),
    ],
)
def test_a_page_shows_the_status_of_the_kind(error: HoshinError, status: int) -> None:
    assert page_status(error) == status


class _Session:
    """What attempt needs of a session: rollback, counted."""

    def __init__(self) -> None:
        self.rollbacks = 0

    def rollback(self) -> None:
        self.rollbacks += 1


def test_a_page_attempt_is_the_result_or_the_refusal_rolled_back() -> None:
    def save(key: str, *, title: str) -> str:
        if not title:
            raise InvalidInput(f"{key}: a title is needed")
        return key

    session = _Session()
    assert attempt(session, save, "o1", title="Grow") == "o1"  # type: ignore[arg-type]
    refused = attempt(session, save, "o1", title="")  # type: ignore[arg-type]
    assert isinstance(refused, InvalidInput) and refused.message == "o1: a title is needed"
    assert session.rollbacks == 1
