"""Commands on plan files: init, demo, check."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pydantic_core
import typer
from rich.console import Console

from hoshin.cli.app import app, parse_day
from hoshin.cli.report import render_report
from hoshin.domain.analysis import paused_gc
from hoshin.domain.report import report
from hoshin.service import plan as plan_service

# The last check's plan, analysis and report, kept: the process ends after the command
# (hoshin.cli.main, without freeing its objects), and freeing them one by one as the command
# returns took a second at 50,000 people.
_KEPT: list[object] = []


class Format(StrEnum):
    """Output of ``hoshin check``."""

    text = "text"
    json = "json"


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="Where to write the starter plan.")],
    force: Annotated[bool, typer.Option(help="Overwrite the file if it exists.")] = False,
    today: Annotated[
        str | None,
        typer.Option(
            help="Date the starter plan from this day (YYYY-MM-DD; default today): "
            "three months of actuals up to the month before, every deadline ahead."
        ),
    ] = None,
) -> None:
    """Write a commented starter plan to fill in."""
    plan_service.write_starter(file, today=parse_day(today, "--today"), force=force)
    typer.echo(f"wrote {file}: fill it in, then run `hoshin check {file}`")


@app.command()
def demo(
    file: Annotated[Path, typer.Argument(help="Where to write the demo plan.")],
    force: Annotated[bool, typer.Option(help="Overwrite the file if it exists.")] = False,
    today: Annotated[
        str | None,
        typer.Option(help="Date the demo's actuals run up to (YYYY-MM-DD; default today)."),
    ] = None,
) -> None:
    """Write a realistic demo plan: a mid-size company with two years of monthly actuals."""
    plan = plan_service.write_demo(file, today=parse_day(today, "--today"), force=force)
    typer.echo(
        f"wrote {file}: {plan.organization.name}, {len(plan.objectives)} objectives, "
        f"{len(plan.actions)} actions"
    )


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="The plan file (YAML, or JSON ending in .json).")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Analyse as of this date (YYYY-MM-DD; default today)."),
    ] = None,
    output: Annotated[
        Format, typer.Option("--format", help="text for people, json for machines.")
    ] = Format.text,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when there is any warning (for CI of a plan in git).")
    ] = False,
    depth: Annotated[
        int,
        typer.Option(
            min=1, max=4, help="Levels shown in the text report: 1 breakthrough ... 4 individual."
        ),
    ] = 4,
    assist: Annotated[
        bool,
        typer.Option(
            "--assist",
            help="Add the assistant's overlap findings (objectives and metrics of different "
            "units or people that say the same thing; runs the shipped model).",
        ),
    ] = False,
) -> None:
    """Check a plan file: status tree, bowling chart, findings. Exit 2 on a bad file."""
    with paused_gc():
        checked = plan_service.check_file(file, as_of=parse_day(as_of, "--as-of"))
        if assist:
            # imported here: the assistant's model and its libraries load for --assist only
            from hoshin.service.assist.suggest import with_overlaps

            checked = replace(checked, analysis=with_overlaps(checked.plan, checked.analysis))
        if output is Format.json:
            # One line (pipe into jq to read), by pydantic's encoder in Rust: five times
            # json.dumps on the 80 MB report of 10,000 people; ASCII and NaN as json writes.
            # Escaping to ASCII costs a third more, and a report is ASCII but for its texts:
            # encoded as it is, then escaped only if some text is not.
            result = report(checked.plan, checked.analysis)
            encoded = pydantic_core.to_json(result)
            if not encoded.isascii():
                encoded = pydantic_core.to_json(result, ensure_ascii=True)
            sys.stdout.buffer.write(encoded + b"\n")
            _KEPT[:] = [checked, result]
        else:
            render_report(Console(highlight=False), checked.plan, checked.analysis, depth=depth)
            _KEPT[:] = [checked]
    if strict and any(item.severity == "warning" for item in checked.analysis.findings):
        raise typer.Exit(code=1)
