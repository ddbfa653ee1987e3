"""The Typer app and what every command shares: dates from options, errors to stderr."""

from __future__ import annotations

import getpass
import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from hoshin import __version__
from hoshin.domain.months import in_calendar
from hoshin.errors import HoshinError, InvalidInput


class Commands(TyperGroup):
    """hoshin's commands: the HoshinError of any of them is printed, and exits 2 (fail), as
    is a database still locked by another writer after the busy timeout."""

    # Any: the context's class is Typer's own copy of click's, which it names privately.
    def invoke(self, ctx: Any) -> Any:
        """Runs the command; its HoshinError becomes fail's exit (sub-commands run within)."""
        try:
            return super().invoke(ctx)
        except HoshinError as error:
            raise fail(error) from None
        except Exception as error:
            if not _database_error(error):
                raise
            from hoshin.runtime.sessions import busy_database

            raise fail(busy_database(error)) from None


def _database_error(error: Exception) -> bool:
    """Whether ``error`` is the database layer's DATABASE_ERROR. That layer (SQLAlchemy,
    Alembic: a second of CPU) is imported by the commands that use it, never here: a command
    on a plan file does without it, and an error of it comes only once it is loaded."""
    if "sqlalchemy.exc" not in sys.modules:
        return False
    from hoshin.runtime.sessions import DATABASE_ERROR

    return isinstance(error, DATABASE_ERROR)


app = typer.Typer(
    name="hoshin",
    cls=Commands,
    help="Strategy deployment: plan files, roll-up, backward schedule and alignment checks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def today() -> date:
    """Today's date on this machine."""
    # The engine never reads the clock; the command line is where "today" comes from.
    return date.today()  # noqa: DTZ011 - a plan's calendar is the user's local calendar


def parse_day(text: str | None, option: str) -> date:
    """The date given to ``option`` (today when it is not given); InvalidInput if malformed."""
    if text is None:
        return today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option}: '{text}' is not a date; write YYYY-MM-DD") from None
    try:
        return in_calendar(day)
    except ValueError as error:
        raise InvalidInput(f"{option}: {error}") from None


ORIGIN = "cli"  # where a command's changes come from, in the audit trail


def operator() -> str:
    """Who runs a command, for the audit trail: "cli:" and the operating system's user."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # a user id without a name (a container's, often)
        return "cli:unknown"


def fail(error: HoshinError) -> typer.Exit:
    """Prints the error (each FILE:LINE problem on its own line) and gives exit code 2."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    # A plan file's FILE:LINE problems; a field's {"field", "reason"} is in the message already.
    listed = error.detail if isinstance(error.detail, list) else []
    problems = [problem for problem in listed if not isinstance(problem, dict)]
    for problem in problems:
        err.print(str(problem), markup=False)
    if not problems:
        err.print(f"hoshin: {error.message}", markup=False)
    return typer.Exit(code=2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hoshin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """hoshin: from the five-year vision to this month's work."""
