"""`hoshin audit`: the audit trail of an organisation, or of the accounts, oldest first."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from itertools import islice
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hoshin.cli.app import app
from hoshin.config import settings
from hoshin.errors import InvalidInput
from hoshin.runtime.sessions import one_session
from hoshin.service.audit import events_of

ROWS = 500  # events per table printed: a long trail is shown as it is read, never held whole
VALUE_LENGTH = 40  # characters of one value in a summary
SUMMARY_LENGTH = 160  # characters of a summary


class Format(StrEnum):
    """Output of ``hoshin audit``."""

    text = "text"
    json = "json"


@app.command()
def audit(
    org: Annotated[
        str | None, typer.Option("--org", help="The organisation whose trail to print.")
    ] = None,
    system: Annotated[
        bool,
        typer.Option(
            "--system",
            help="Print the account events of no organisation: users, passwords, API tokens.",
        ),
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only events from this day (YYYY-MM-DD, from 00:00 UTC) or moment "
            "(an ISO timestamp, UTC unless it names an offset).",
        ),
    ] = None,
    output: Annotated[
        Format,
        typer.Option("--format", help="text: a table for people; json: one object per line."),
    ] = Format.text,
) -> None:
    """Print who changed what, when and from where, oldest first: an organisation's trail
    (--org) or the accounts' (--system). Exit 2 on a bad option or an unknown organisation."""
    if (org is None) == (not system):
        raise InvalidInput("give either --org SLUG or --system")
    moment = None if since is None else since_moment(since)
    with one_session(settings().database_url, writing=False) as session:
        events = events_of(session, slug=org, since=moment)
        if output is Format.json:
            for event in events:
                sys.stdout.write(json.dumps(event) + "\n")
        else:
            _print_table(Console(highlight=False), events, org or "the accounts", since)


def since_moment(text: str) -> datetime:
    """The moment ``--since`` names: a day from 00:00 UTC, or an ISO timestamp (UTC unless it
    names an offset); InvalidInput otherwise."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"--since: '{text}' is neither a date nor a timestamp: write YYYY-MM-DD "
            "or an ISO timestamp such as 2026-12-04T18:30:00Z"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def summary(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """A change in short: the fields that changed (``role: viewer → editor``), or the fields
    of what was created (``name=ci``) or deleted (``was role=viewer``)."""
    if before is not None and after is not None:
        names = [name for name in {**before, **after} if before.get(name) != after.get(name)]
        text = "; ".join(
            f"{name}: {_value(before.get(name))} → {_value(after.get(name))}" for name in names
        )
    elif after is not None:
        text = _fields(after)
    elif before is not None:
        text = "was " + _fields(before)
    else:
        text = ""
    return _cut(text, SUMMARY_LENGTH)


def _fields(state: dict[str, Any]) -> str:
    return ", ".join(f"{name}={_value(value)}" for name, value in state.items())


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return _cut(text, VALUE_LENGTH)


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _cell(text: str) -> Text:
    """Text shown as it is: no rich markup, and control characters (a terminal's escape
    sequences among them) written as escapes, not sent to the terminal."""
    return Text(
        "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    )


def _print_table(
    console: Console, events: Iterator[dict[str, Any]], whose: str, since: str | None
) -> None:
    """The events as tables of ROWS rows, the first with the header; the columns' widths
    depend on the console's alone (ratios), so that the tables line up."""
    first = True
    while chunk := list(islice(events, ROWS)):
        console.print(_table(chunk, header=first))
        first = False
    if first:
        text = f"no audit events of {whose}" + (f" since {since}" if since else "")
        console.print(text, markup=False)


def _table(events: Iterable[dict[str, Any]], *, header: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_header=header, expand=True, pad_edge=False)
    table.add_column("when (UTC)", no_wrap=True, min_width=19)
    table.add_column("who", ratio=3, overflow="fold")
    table.add_column("from", ratio=2, overflow="fold")
    table.add_column("what", ratio=4, overflow="fold")
    table.add_column("change", ratio=6, overflow="fold")
    for event in events:
        at = datetime.fromisoformat(event["at"]).astimezone(UTC)
        what = f"{event['entity']} {event['key']} {event['change']}"
        table.add_row(
            at.strftime("%Y-%m-%d %H:%M:%S"),
            *(_cell(text) for text in (event["actor"], event["origin"] or "-", what)),
            _cell(summary(event["before"], event["after"])),
        )
    return table
