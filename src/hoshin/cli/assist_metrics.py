"""``hoshin assist metrics``: the metric catalogue searched by meaning (or listed)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hoshin.cli.assist import FormatOption, Output, assist_app
from hoshin.domain.assist.catalogue import SECTORS, Kpi
from hoshin.errors import InvalidInput
from hoshin.service.assist import catalogue as catalogue_service

SECTOR_HELP = "Only indicators of this sector: " + ", ".join(SECTORS) + "."


@assist_app.command("metrics")
def metrics(
    query: Annotated[
        str | None,
        typer.Argument(
            help="What you want to measure, in your words "
            "(e.g. 'patients waiting too long in the emergency department').",
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many indicators to show (1 to 50).")] = 5,
    sector: Annotated[str | None, typer.Option("--sector", help=SECTOR_HELP)] = None,
    listing: Annotated[
        bool, typer.Option("--list", help="List the whole catalogue (or --sector's part).")
    ] = False,
    output: FormatOption = Output.text,
) -> None:
    """Find key performance indicators in the shipped catalogue by meaning, offline."""
    if listing:
        if query is not None:
            raise InvalidInput("give a search or --list, not both")
        found: Sequence[tuple[Kpi, float | None]] = [
            (kpi, None) for kpi in catalogue_service.catalogue_of(sector)
        ]
    else:
        found = catalogue_service.search_metrics(query or "", top=top, sector=sector)
    if output is Output.json:
        rows = [asdict(kpi) | ({} if score is None else {"score": score}) for kpi, score in found]
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    console = Console(highlight=False, markup=False)  # plan text is never rich markup
    console.print(_table(found), markup=False)
    if listing:
        console.print(f"{len(found)} indicators", markup=False)


def _table(found: Sequence[tuple[Kpi, float | None]]) -> Table:
    """One row per indicator: its name, its unit, direction, frequency and sector (the plan
    file's words, to copy into a metric), its definition, and its score when searched."""
    scored = any(score is not None for _, score in found)
    # One wide column rather than one per fact: it reads on a 60-column terminal as well.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("indicator")
    if scored:
        table.add_column("score", justify="right")
    for at, (kpi, score) in enumerate(found, start=1):
        cell = Text(kpi.name, style="bold")
        facts = f"unit {kpi.unit} · direction {kpi.direction} · {kpi.frequency} · {kpi.sector}"
        cell.append("\n" + facts, style="dim")
        cell.append("\n" + kpi.definition)
        table.add_row(str(at), cell, *([f"{score:.2f}"] if score is not None else []))
    return table
