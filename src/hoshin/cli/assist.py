"""``hoshin assist``: the strategy assistant on a plan file or an organisation, offline."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from hoshin.cli.app import app

assist_app = typer.Typer(
    help="The strategy assistant, offline: parents, overlaps, SMART review, drafts, metrics.",
    no_args_is_help=True,
)
app.add_typer(assist_app, name="assist")


class Output(enum.StrEnum):
    """How a command prints what it found."""

    text = "text"
    json = "json"


PlanArgument = Annotated[
    Path | None,
    typer.Argument(help="The plan file (YAML, JSON or .xlsx); or give --org.", show_default=False),
]
OrgOption = Annotated[
    str | None, typer.Option("--org", help="The organisation's plan (its slug) in the database.")
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Analyse as of this date (YYYY-MM-DD; default today).")
]
FormatOption = Annotated[
    Output, typer.Option("--format", help="text for people, json for machines.")
]

# The commands, each in its own module, register themselves on assist_app.
from hoshin.cli import (  # noqa: E402
    assist_draft,
    assist_metrics,
    assist_rank,
    assist_review,
    assist_situation,
)

__all__ = [
    "assist_app",
    "assist_draft",
    "assist_metrics",
    "assist_rank",
    "assist_review",
    "assist_situation",
]
