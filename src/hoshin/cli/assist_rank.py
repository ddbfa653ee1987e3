"""``hoshin assist parents`` and ``hoshin assist overlaps``: where an objective belongs, and
which objectives and metrics of different units or people say the same thing."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from hoshin.cli.assist import AsOfOption, FormatOption, OrgOption, Output, PlanArgument, assist_app
from hoshin.cli.documents import plan_source
from hoshin.domain.assist.overlaps import LIMIT, THRESHOLD, OverlapScan
from hoshin.domain.assist.parents import LEVEL_ABOVE, ParentSuggestion
from hoshin.errors import InvalidInput
from hoshin.service.assist import suggest

SourceArgument = Annotated[
    list[str],
    typer.Argument(help="PLAN.yaml OBJECTIVE, or OBJECTIVE with --org.", show_default=False),
]
TopOption = Annotated[
    int, typer.Option("--top", min=1, max=20, help="How many parents to suggest (1 to 20).")
]
ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help=f"The similarity (0 to 1) above which two texts overlap (default {THRESHOLD}).",
        show_default=False,
    ),
]


@assist_app.command("parents")
def parents(
    source: SourceArgument,
    org: OrgOption = None,
    as_of: AsOfOption = None,
    top: TopOption = 3,
    output: FormatOption = Output.text,
) -> None:
    """Rank the objectives of the level above that an objective most plausibly supports
    (its current supports ignored), each with a score and the reasons."""
    if len(source) not in (1, 2):
        raise InvalidInput("give PLAN.yaml OBJECTIVE, or OBJECTIVE with --org SLUG")
    file, key = (Path(source[0]), source[1]) if len(source) == 2 else (None, source[0])
    plan = plan_source(file, org, as_of).plan
    found = suggest.parents(plan, key, top=top)
    if output is Output.json:
        rows = [{"rank": at, **asdict(item)} for at, item in enumerate(found, 1)]
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    objective = next(o for o in plan.objectives if o.id == key)
    console = Console(highlight=False, markup=False)  # plan text is never rich markup
    now = ", ".join(objective.supports) or "nothing"
    console.print(
        f"Where does {key} belong? {objective.title} ({objective.level}; it supports {now} "
        f"now). The {LEVEL_ABOVE[objective.level]} objectives it most plausibly supports:",
        markup=False,
    )
    console.print(_parents_table(found))


def _parents_table(found: list[ParentSuggestion]) -> Table:
    """One row per suggested parent: rank, id, title, score, reasons (one a line)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=2)
    table.add_column("score", justify="right")
    table.add_column("reasons", ratio=3)
    for at, item in enumerate(found, 1):
        table.add_row(str(at), item.objective, item.title, f"{item.score:.2f}", _lines(item))
    return table


def _lines(item: ParentSuggestion) -> str:
    return "\n".join(item.reasons) or "-"


@assist_app.command("overlaps")
def overlaps(
    file: PlanArgument = None,
    org: OrgOption = None,
    as_of: AsOfOption = None,
    threshold: ThresholdOption = None,
    output: FormatOption = Output.text,
) -> None:
    """List pairs of objectives (and of metrics) of different units or people that say the
    same thing, with their similarity and a suggested merge or shared metric."""
    plan = plan_source(file, org, as_of).plan
    scan = suggest.overlap_scan(plan, threshold=threshold)
    if output is Output.json:
        body = {
            "space": "model",
            "threshold": scan.threshold,
            "total": scan.total,
            "overlaps": [asdict(item) for item in scan.overlaps],
        }
        sys.stdout.write(json.dumps(body) + "\n")
        return
    console = Console(highlight=False, markup=False)  # plan text is never rich markup
    if scan.overlaps:
        console.print(_overlaps_table(scan))
    console.print(_summary(scan), markup=False)


def _overlaps_table(scan: OverlapScan) -> Table:
    """One block per pair: its similarity and kind, then the two (id and title, one a line)
    and the suggestion after an arrow, each wrapped in its own column."""
    table = Table.grid(padding=(0, 2, 0, 0), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for item in scan.overlaps:
        width = max(len(item.first), len(item.second))
        said = (
            f"{item.first:<{width}} {item.first_title}\n"
            f"{item.second:<{width}} {item.second_title}\n→ {item.suggestion}\n"
        )
        table.add_row(f"{item.similarity:.2f} {item.kind}", said)
    return table


def _summary(scan: OverlapScan) -> str:
    """How many overlaps there are at the threshold, and how many are shown."""
    if not scan.total:
        return f"No overlaps at similarity {scan.threshold:.2f} or above."
    shown = "" if scan.total <= LIMIT else f" (the best {LIMIT:,} shown)"
    pairs = "overlap" if scan.total == 1 else "overlaps"
    return f"{scan.total:,} {pairs} at similarity {scan.threshold:.2f} or above{shown}."
