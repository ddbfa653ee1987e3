"""``hoshin assist draft``: an objective with its metric drafted from one sentence
(backward goal-setting), printed as a plan-file fragment."""

from __future__ import annotations

import enum
import sys
from typing import Annotated

import typer

from hoshin.cli.app import parse_day
from hoshin.cli.assist import AsOfOption, assist_app
from hoshin.domain.model import LEVELS, Level
from hoshin.service.assist import drafting, llm

# The choices of --level and --format, from the one list of each.
LevelChoice = enum.StrEnum("LevelChoice", [(level, level) for level in LEVELS])  # type: ignore[misc]
FormatChoice = enum.StrEnum("FormatChoice", [(fmt, fmt) for fmt in drafting.FORMATS])  # type: ignore[misc]
YAML = FormatChoice("yaml")
NO_MODEL = (
    "hoshin: no chat model is configured (HOSHIN_LLM_URL): the title is the sentence as written"
)


@assist_app.command("draft")
def draft(
    sentence: Annotated[
        str,
        typer.Argument(
            help="The goal in one sentence, e.g. 'cut lead time from 9 to 4 weeks by Q4 2027'.",
            show_default=False,
        ),
    ],
    as_of: AsOfOption = None,
    level: Annotated[
        LevelChoice | None,
        typer.Option(
            "--level",
            help="The objective's level (default: breakthrough when the date is 3 years or "
            "more away, else annual).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        FormatChoice,
        typer.Option(
            "--format", help="yaml: a fragment to paste into a plan file; json: for machines."
        ),
    ] = YAML,
    fiscal_year_start: Annotated[
        int,
        typer.Option(
            "--fiscal-year-start",
            min=1,
            max=12,
            help="The month number your fiscal year opens (for 'by FY2028' and each year's "
            "targets).",
        ),
    ] = 1,
    polish: Annotated[
        bool,
        typer.Option(
            "--rewrite", help="Polish the title with the chat model, when HOSHIN_LLM_URL is set."
        ),
    ] = False,
) -> None:
    """Draft an objective with its metric from one sentence, as a plan-file fragment."""
    if polish and not llm.llm_configured():
        typer.echo(NO_MODEL, err=True)
    text = drafting.draft_text(
        sentence,
        as_of=parse_day(as_of, "--as-of"),
        level=_level(None if level is None else str(level)),
        fmt="json" if output == "json" else "yaml",
        fiscal_year_start=fiscal_year_start,
        polish=polish,
    )
    sys.stdout.write(text)


def _level(name: str | None) -> Level | None:
    """The level named (typer has checked it is one)."""
    return next((level for level in LEVELS if level == name), None)
